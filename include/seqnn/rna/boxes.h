#pragma once
// Local structures as boxes in the L x L pairing map (0-based, upper triangle: row < column).
// A box covers rows i..i+size_x-1 and columns j-size_y+1..j; (i, j) is its top-right corner.
//   stem:    stacked pairs (i, j), (i+1, j-1), ..., size_x = size_y = number of pairs;
//   hloop:   unpaired a..b closed by (a-1, b+1): corner (a-1, b+1), size b - a + 3 (square on
//            the diagonal, closing bases included);
//   iloop:   unpaired a1..a2 and b1..b2 between pairs (a1-1, b2+1) and (a2+1, b1-1) (a bulge has
//            one side empty): rows a1-1..a2+1, columns b1-1..b2+1; corners are the closing pairs.
// Multi-branch loops and pseudoknotted pairs are reported, not boxed (docs/rna.md). Boxes come
// from the nested (layer 0) pairs only.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/rna/structure.h"

namespace seqnn::rna {

enum class BoxType { kStem = 0, kIloop = 1, kHloop = 2 };
constexpr int kNumBoxTypes = 3;
const char* box_type_name(BoxType type);  // "stem", "iloop", "hloop"
BoxType parse_box_type(const std::string& name, const std::string& where);

struct Box {
  BoxType type = BoxType::kStem;
  int64_t i = 0, j = 0;            // top-right corner
  int64_t size_x = 1, size_y = 1;  // rows, columns
  int64_t bottom() const { return i + size_x - 1; }
  int64_t left() const { return j - size_y + 1; }
  bool contains(int64_t r, int64_t c) const { return r >= i && r <= bottom() && c >= left() && c <= j; }
  bool overlaps(const Box& o) const {
    return i <= o.bottom() && o.i <= bottom() && left() <= o.j && o.left() <= j;
  }
  bool operator==(const Box& o) const {
    return type == o.type && i == o.i && j == o.j && size_x == o.size_x && size_y == o.size_y;
  }
  bool operator<(const Box& o) const;
};

struct Multiloop {
  BasePair closing;               // (-1, -1) never: the exterior loop is not reported
  std::vector<BasePair> branches;  // the >= 2 pairs directly inside
};

struct Decomposition {
  std::vector<Box> boxes;  // sorted: by type, then corner
  std::vector<Multiloop> multiloops;
  std::vector<BasePair> pseudoknot_pairs;
};

Decomposition decompose(const Structure& structure);

// The pairs a stem box stands for: (i, j), (i+1, j-1), ..., size_x of them.
std::vector<BasePair> stem_pairs(const Box& stem);

}  // namespace seqnn::rna
