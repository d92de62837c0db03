#pragma once
// Evaluation of predicted structures and boxes.
//   Base pairs: precision = TP / predicted pairs, recall = TP / true pairs, F1 their harmonic
//   mean, per sequence (pseudoknotted pairs included on both sides). Empty cases: no predicted
//   pairs -> precision 0; no true pairs -> recall 0; F1 = 0 when precision + recall = 0 - except
//   that an empty prediction of an empty structure scores 1 for all three.
//   Boxes: sensitivity = fraction of true boxes with an identical predicted box (same type,
//   corner and sizes), and with an overlapping one (same type, rectangles share a pixel).
#include <array>
#include <cstdint>
#include <vector>

#include "seqnn/rna/boxes.h"
#include "seqnn/rna/structure.h"

namespace seqnn::rna {

struct PairScores {
  int64_t true_pairs = 0, predicted_pairs = 0, correct = 0;
  double precision = 0.0, recall = 0.0, f1 = 0.0;
};
PairScores pair_scores(const Structure& truth, const Structure& predicted);

struct BoxSensitivity {
  std::array<int64_t, kNumBoxTypes> true_boxes{}, identical{}, overlapping{};
  void add(const BoxSensitivity& o);
  int64_t total_true() const;
  double identical_rate(int type = -1) const;    // -1 = all types
  double overlapping_rate(int type = -1) const;  // NaN when there are no true boxes
};
BoxSensitivity box_sensitivity(const std::vector<Box>& truth, const std::vector<Box>& predicted);

}  // namespace seqnn::rna
