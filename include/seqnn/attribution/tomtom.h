#pragma once
// Motif-motif comparison with TOMTOM's statistics (Gupta, Stamatoyannopoulos, Bailey & Noble,
// "Quantifying similarity between motifs", Genome Biology 8:R24, 2007; the "complete scores"
// that MEME's tomtom uses by default). docs/attribution.md describes the method step by step:
//
//  1. a score for every pair of (query column, target column), over all target columns of the
//     database (and their reverse complements when both strands are compared): Pearson
//     correlation of the two letter distributions (TOMTOM's default) or minus their Euclidean
//     distance (ED, tangermeme's default);
//  2. each query column's scores shifted by their median (TOMTOM's shift quantile 0.5) and all
//     scores scaled to integers 0..bins (bins = 100, TOMTOM's BINS);
//  3. the null distribution of one query column's score is the distribution of its scores
//     against all database columns; that of a span of query columns is their convolution;
//  4. an alignment (offset) sums the aligned columns' scores, an unaligned query column counts
//     as the median (a shifted score of 0); the best alignment of a target is the highest sum
//     (ties: the larger overlap);
//  5. its p-value is P(max ≥ score) for the maximum over the alignments of a target of that
//     width (both strands: twice as many) of independent alignment scores with those nulls;
//     E = p x targets; q-values by Benjamini-Hochberg over the targets.
//
// Plain C++ (no LibTorch).
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/attribution/meme.h"
#include "seqnn/util/enum_names.h"

namespace seqnn {

enum class ColumnScore { pearson, euclidean };
const std::vector<EnumName<ColumnScore>>& column_score_names();  // pearson, ed

struct TomtomOptions {
  ColumnScore score = ColumnScore::pearson;
  int64_t bins = 100;         // integer range of a column score
  bool both_strands = true;   // also compare with the targets' reverse complements (4-letter alphabets)
};

struct TomtomMatch {
  int64_t target = -1;   // index in the target list
  bool reverse = false;  // matched to the target's reverse complement
  int64_t offset = 0;    // query column i is aligned with column i + offset of the matched strand
  int64_t overlap = 0;   // aligned columns
  int64_t score = 0;     // complete score, in the integer units of step 2
  double p_value = 1, e_value = 1, q_value = 1;
};

// One match per target (its better strand), in target order. All motifs must have as many
// letters as the query; throws seqnn::Error otherwise, or for an empty list.
std::vector<TomtomMatch> tomtom(const Motif& query, const std::vector<Motif>& targets, const TomtomOptions& options);

// The reverse complement of a 4-letter motif (columns reversed, letters ACGT -> TGCA).
Motif reverse_complement(const Motif& motif);

// Step 1 for one pair of columns.
double column_score(const std::vector<double>& a, const std::vector<double>& b, ColumnScore score);

// Benjamini-Hochberg q-values of p-values (any order; the result is in the same order).
std::vector<double> benjamini_hochberg(const std::vector<double>& p);

}  // namespace seqnn
