#pragma once
// Maximum expected accuracy structure from pair probabilities (as RNAfold --MEA): the nested
// structure S maximising  sum_{(i,j) in S} 2 gamma p(i,j) + sum_{i unpaired in S} p_u(i),
// p_u(i) = 1 - sum_j p(i,j). Only pairs in the list (all canonical, hairpins >= 3) are used.
#include <string>
#include <vector>

#include "seqnn/rna/fold/partition.h"

namespace seqnn::rna::fold {

struct MeaResult {
  std::string structure;  // dot-bracket
  double expected_accuracy = 0.0;  // the maximised sum
};

// max_span (as FoldOptions::max_span, 0 = none) only bounds the work; pairs longer than it
// should not be in the list.
MeaResult mea_structure(int n, const std::vector<PairProbability>& pairs, double gamma = 1.0, int max_span = 0);

}  // namespace seqnn::rna::fold
