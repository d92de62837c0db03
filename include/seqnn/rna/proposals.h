#pragma once
// S1 inference: pixels vote for boxes, identical votes are merged, weak or impossible boxes are
// dropped (docs/rna.md).
//   1. Every upper-triangle pixel whose p_on for a type exceeds min_pixel_prob proposes boxes:
//      corner = pixel - (location x argmax) rows, + (location y argmax) columns; size from the
//      size softmax argmax and, separately, from the rounded scalar size (a pixel whose two
//      sizes agree proposes one box). Catch-all classes (location "beyond", size "> 10") drop
//      that proposal; boxes reaching outside the sequence are dropped; hairpins must be square
//      on the diagonal.
//   2. Identical boxes merge: n_proposal = pixels proposing it, n_proposal_norm = n_proposal /
//      (size_x * size_y); prob = mean p_on of the type over the box's upper-triangle pixels.
//   3. Kept when n_proposal_norm >= min_norm (hairpins: min_norm / 2, only their upper half
//      can vote) and prob >= min_prob.
//   4. Pruned: stems with a non-canonical pair (AU, GC, GU only) or enclosing fewer than
//      min_hloop bases, hairpins with fewer than min_hloop unpaired bases, internal loops that
//      are not a loop (a side below 2, or both sides 2 = a stacked pair).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/rna/boxes.h"
#include "seqnn/rna/s1_model.h"

namespace seqnn::rna {

// One sequence's S1 output reduced to what inference needs, on the CPU; shapes (3, L, L).
struct PixelPredictions {
  at::Tensor p_on;                 // float, sigmoid
  at::Tensor loc_x, loc_y;         // int64 argmax classes
  at::Tensor size_x, size_y;       // int64 argmax classes (0..10)
  at::Tensor scalar_x, scalar_y;   // float
  int64_t length() const { return p_on.size(-1); }
};
// Item n of a batch, cropped to `length` (sequences were padded to the batch's longest).
PixelPredictions pixel_predictions(const S1Output& out, int64_t n, int64_t length);

struct Proposal {
  Box box;
  int64_t n_proposal = 0;
  double n_proposal_norm = 0.0;
  double prob = 0.0;
};

struct ProposalOptions {
  double min_pixel_prob = 0.5;
  double min_norm = 0.2;
  double min_prob = 0.0;
  int64_t min_hloop = 3;
  bool prune_noncanonical = true;
};

// Steps 1-2: all merged proposals, sorted by box.
std::vector<Proposal> propose_boxes(const PixelPredictions& pred, const ProposalOptions& opts);
// Steps 3-4 on a sequence (for the canonical-pair check).
std::vector<Proposal> filter_proposals(const std::vector<Proposal>& proposals, const std::string& sequence,
                                       const ProposalOptions& opts);
// Why a box is pruned in step 4 ("" = it is kept).
std::string prune_reason(const Box& box, const std::string& sequence, const ProposalOptions& opts);

}  // namespace seqnn::rna
