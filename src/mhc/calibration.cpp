#include "seqnn/mhc/calibration.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/util/error.h"

namespace seqnn::mhc {

const std::vector<double>& natural_amino_acid_frequencies() {
  // UniProtKB/Swiss-Prot amino-acid composition (percent), letters ACDEFGHIKLMNPQRSTVWY.
  static const std::vector<double> f = {8.25, 1.37, 5.45, 6.75, 3.86, 7.07, 2.27, 5.96, 5.84, 9.66,
                                        2.42, 4.06, 4.70, 3.93, 5.53, 6.56, 5.34, 6.87, 1.08, 2.92};
  return f;
}

std::vector<std::string> random_peptides(int64_t n, int64_t min_length, int64_t max_length, uint64_t seed) {
  if (min_length < 1 || max_length < min_length) throw Error("random peptides: lengths must satisfy 1 <= min <= max");
  const std::string& letters = Alphabet::protein().letters();
  std::vector<double> cumulative;
  double total = 0;
  for (double f : natural_amino_acid_frequencies()) cumulative.push_back(total += f);
  std::mt19937_64 rng(seed);
  // A uniform double in [0, 1) from the top 53 bits: the same on every platform.
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  const int64_t lengths = max_length - min_length + 1;
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    std::string p(static_cast<size_t>(min_length + i % lengths), 'A');
    for (char& c : p) {
      const double u = uniform() * total;
      const size_t k = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      c = letters[std::min(k, letters.size() - 1)];
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<double> score_quantiles(std::vector<double> scores, int64_t points) {
  if (scores.empty() || points < 2) throw Error("calibration: no scores, or fewer than 2 quantiles");
  std::sort(scores.begin(), scores.end());
  std::vector<double> q(static_cast<size_t>(points));
  const double last = static_cast<double>(scores.size() - 1);
  for (int64_t k = 0; k < points; ++k) {
    const double at = last * static_cast<double>(k) / static_cast<double>(points - 1);
    const size_t lo = static_cast<size_t>(std::floor(at));
    const size_t hi = std::min(lo + 1, scores.size() - 1);
    q[static_cast<size_t>(k)] = scores[lo] + (scores[hi] - scores[lo]) * (at - static_cast<double>(lo));
  }
  return q;
}

double percentile_rank(const std::vector<double>& q, double score) {
  if (q.size() < 2) throw Error("calibration: fewer than 2 quantiles");
  if (score >= q.back()) return 0.0;
  if (score < q.front()) return 100.0;
  // q[k] <= score < q[k + 1]: the fraction below score is (k + t) / (points - 1).
  const size_t k = static_cast<size_t>(std::upper_bound(q.begin(), q.end(), score) - q.begin()) - 1;
  const double width = q[k + 1] - q[k];
  const double t = width > 0 ? (score - q[k]) / width : 0.0;
  const double below = (static_cast<double>(k) + t) / static_cast<double>(q.size() - 1);
  return 100.0 * (1.0 - below);
}

}  // namespace seqnn::mhc
