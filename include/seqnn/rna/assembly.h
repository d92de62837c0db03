#pragma once
// Assembly ("S2", exact): from candidate stem boxes with scores, the subset with the largest
// total score such that no base is in two pairs and no two pairs cross (the result is
// pseudoknot-free). Dynamic programming over intervals:
//   F(a, b) = max( F(a+1, b),  max over stems s with i = a, j <= b of
//                  score(s) + F(a + w, j - w) + F(j + 1, b) ),
// O(L^2 * stems starting at a position) time, O(L^2) memory. Two stems are compatible exactly
// when one lies entirely inside the other's loop or they are disjoint, so the DP explores every
// valid subset (tests check it against brute force over all subsets).
#include <cstdint>
#include <vector>

#include "seqnn/rna/boxes.h"
#include "seqnn/rna/structure.h"

namespace seqnn::rna {

struct Assembly {
  std::vector<size_t> chosen;  // indices into the stems given, sorted
  double score = 0.0;
  Structure structure;
};

// stems: stem boxes inside 0..length-1 whose innermost pair has i < j; scores: one per stem.
// Stems with a score <= 0 are never chosen. Ties: the DP prefers leaving a base unpaired, then
// the stem given first.
Assembly assemble_stems(int64_t length, const std::vector<Box>& stems, const std::vector<double>& scores);

}  // namespace seqnn::rna
