#pragma once
// Seqlets: spans of high attribution, called with tangermeme's recursive seqlet algorithm
// (J. Schreiber, tangermeme.seqlet.recursive_seqlets; docs/attribution.md has the definition
// and where this implementation differs from that code at the sequence ends).
//
//  1. the projected attributions of all examples are binned into n_bins equal bins between
//     their minimum and maximum (bin b = floor((x - min) / width));
//  2. the null distribution of a span of length k is the k-fold convolution of that
//     histogram; a span whose summed attribution falls in bin b (floor((sum - k min) / width))
//     gets p = 1 - P(null bin in 1..b), and then the largest p of its prefixes of length
//     >= min_seqlet_len;
//  3. a seqlet is a span of length min..max whose every sub-span of length >= min has
//     p < threshold; lengths are taken longest first, and within a length by p-value; a called
//     seqlet's positions cannot start or lie inside another one.
//
// Plain C++ (no LibTorch).
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn {

struct SeqletOptions {
  double threshold = 0.01;        // p-value every sub-span must stay below
  int64_t min_seqlet_len = 4;
  int64_t max_seqlet_len = 25;
  int64_t additional_flanks = 0;  // added to each side of a called seqlet (may then overlap)
  int64_t n_bins = 1000;
};

struct Seqlet {
  int64_t example = 0;  // row of the map
  int64_t start = 0;    // 0-based, half open [start, end)
  int64_t end = 0;
  double attribution = 0;  // summed projected attribution over [start, end)
  double p_value = 1;      // of the called span (before flanks)
};

// x: n examples of l projected attributions each, row-major (x[i * l + j]). The seqlets of all
// examples, ranked by p-value (ties: example, then start). Throws seqnn::Error for bad options.
std::vector<Seqlet> recursive_seqlets(const std::vector<double>& x, int64_t n, int64_t l, const SeqletOptions& options);

// Step 2's table for tests: p[k][b] for span length k (0..max) and span bin b, and the binning.
struct SeqletNull {
  double x_min = 0, bin_width = 0;
  std::vector<std::vector<double>> p;  // p[k][b] = 1 - sum_{j=1..b} P_k(j), floored at 0
};
SeqletNull seqlet_null(const std::vector<double>& x, const SeqletOptions& options);

}  // namespace seqnn
