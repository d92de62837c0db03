#pragma once
// Base-pair posteriors from S1's stem heads, and the MEA structure over them: the "pairs" decoder
// of rna predict (the "boxes" decoder votes, filters and assembles whole stems, proposals.h).
// A pixel (r, c) inside a stem box whose top-right corner is (i, j) is a base pair exactly when
// its row and column offsets agree (r - i == j - c: the box's anti-diagonal), so
//   P(r pairs with c) = p_on_stem(r, c) * sum_k P(location x = k) P(location y = k)
// (k over the 12 classes; the "beyond" class counts as agreeing, the approximation of a stem of
// more than 11 pairs). Non-canonical pairs and hairpins under 3 bases are left out, and the
// structure maximises sum 2 gamma p(i, j) + sum p_unpaired(i) (fold/mea.h, as RNAfold --MEA).
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/rna/fold/mea.h"
#include "seqnn/rna/s1_model.h"

namespace seqnn::rna {

// Item n of a batch output, cropped to the sequence; pairs with p >= min_probability, sorted by (i, j).
std::vector<fold::PairProbability> s1_pair_probabilities(const S1Output& out, int64_t n, const std::string& sequence,
                                                         double min_probability = 1e-3);

// The MEA structure over those pairs.
Structure s1_mea_structure(const std::vector<fold::PairProbability>& pairs, int64_t length, double gamma);

}  // namespace seqnn::rna
