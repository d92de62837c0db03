#pragma once
// Percentile ranks, as mhcflurry reports them: the rank of a prediction among the predictions
// for random peptides and the same allele. The random peptides are a fixed set: residues drawn
// with the natural amino-acid frequencies of UniProtKB/Swiss-Prot, lengths min..max equally
// often, from std::mt19937_64(seed) with seqnn's own draws (the same set on every platform).
// An allele's calibration is the predictions for that set at 1,001 evenly spaced quantiles
// (0, 0.1 %, ..., 100 %); a prediction's percentile rank is the percentage of random peptides
// predicted to bind at least as strongly (0 = stronger than all, 100 = weaker than all),
// interpolated linearly between the stored quantiles.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace seqnn::mhc {

// Background frequencies of the 20 amino acids, in Alphabet::protein() letter order.
const std::vector<double>& natural_amino_acid_frequencies();

std::vector<std::string> random_peptides(int64_t n, int64_t min_length, int64_t max_length, uint64_t seed);

// Sorted predictions (higher = stronger binding) at `points` evenly spaced quantiles.
std::vector<double> score_quantiles(std::vector<double> scores, int64_t points = 1001);
// Percent of the calibration set scoring at least `score` (0..100), from score_quantiles().
double percentile_rank(const std::vector<double>& quantiles, double score);

struct Calibration {
  int64_t peptides = 0;  // size of the random set (0: no calibration)
  int64_t min_length = 8, max_length = 11;
  uint64_t seed = 1;
  std::map<std::string, std::vector<double>> quantiles;  // by allele name as stored
};

}  // namespace seqnn::mhc
