#pragma once
// Per-pixel training targets of the S1 model, for every box type t (stem, iloop, hloop), on the
// upper triangle (row r < column c) of the L x L map:
//   on[t]         1 inside a box of type t;
//   location x/y  offset of the pixel from the box's top-right corner (i, j): x = r - i (rows),
//                 y = j - c (columns); classes 0..10, 11 = "beyond" (offset > 10);
//   size x/y      box width as a class (0..9 = width 1..10, 10 = "> 10") and as a number; stems and
//                 hairpins are square (y = x), internal loops have separate row/column sizes.
// Masks: `on` is scored within +-10 rows and columns of any box (any type) on the upper
// triangle; location and size only inside a box of that type. A pixel inside two boxes of one
// type (internal loops sharing a closing pair) takes the box whose corner is nearest (smallest
// x + y, then the smaller i): that pixel is the inner box's own corner.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "seqnn/rna/boxes.h"

namespace seqnn::rna {

constexpr int64_t kLocationClasses = 12;  // 0..10 and "beyond"
constexpr int64_t kSizeClasses = 11;      // 1..10 and "> 10"
constexpr int64_t kOnMaskMargin = 10;

int64_t location_class(int64_t offset);  // min(offset, 11)
int64_t size_class(int64_t size);        // min(size, 11) - 1

struct S1Targets {
  // Shapes (3, L, L) with the type as the first index, or (N, 3, L, L) after stack().
  at::Tensor on;        // float 0/1
  at::Tensor on_mask;   // bool; the same for all three types
  at::Tensor inside;    // bool: location/size mask
  at::Tensor loc_x, loc_y;          // int64 classes
  at::Tensor size_x_cls, size_y_cls;  // int64 classes
  at::Tensor size_x, size_y;        // float widths
  // Batches of equal L; with pad_to > L each item is zero-padded (masks false) to pad_to.
  static S1Targets stack(const std::vector<S1Targets>& items, int64_t pad_to = 0);
  S1Targets to(const at::Device& device) const;
};

S1Targets make_targets(int64_t length, const std::vector<Box>& boxes);

// The 8 x L x L input: channels 0-3 the one-hot (ACGU) of base i (row), 4-7 of base j (column);
// N and other IUPAC codes are zeros. T is read as U. Invalid characters raise seqnn::Error.
at::Tensor pair_input(const std::string& sequence, const std::string& where = "sequence");
// Batch of equal-length or padded sequences: (N, 8, P, P), P = pad_to or the longest.
at::Tensor pair_input_batch(const std::vector<std::string>& sequences, int64_t pad_to = 0);

}  // namespace seqnn::rna
