#include "seqnn/attribution/seqlets.h"

#include <algorithm>
#include <cmath>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

void check_seqlet_options(const SeqletOptions& o) {
  if (o.min_seqlet_len < 1) throw Error("seqlets: min_seqlet_len must be >= 1");
  if (o.max_seqlet_len < o.min_seqlet_len) throw Error("seqlets: max_seqlet_len must be >= min_seqlet_len");
  if (o.additional_flanks < 0) throw Error("seqlets: additional_flanks must be >= 0");
  if (o.n_bins < 2) throw Error("seqlets: n_bins must be >= 2");
  if (!(o.threshold > 0 && o.threshold <= 1)) throw Error("seqlets: threshold must be in (0, 1]");
}

int64_t seqlet_bin(double value, const SeqletNull& null, int64_t k, size_t size) {
  const double b = std::floor((value - null.x_min * static_cast<double>(k)) / null.bin_width);
  return std::clamp<int64_t>(static_cast<int64_t>(b), 0, static_cast<int64_t>(size) - 1);
}

}  // namespace

SeqletNull seqlet_null(const std::vector<double>& x, const SeqletOptions& o) {
  check_seqlet_options(o);
  SeqletNull null;
  if (x.empty()) return null;
  const auto [mn, mx] = std::minmax_element(x.begin(), x.end());
  null.x_min = *mn;
  null.bin_width = (*mx - *mn) / static_cast<double>(o.n_bins - 1);
  if (!(null.bin_width > 0)) return null;  // a constant map: nothing stands out
  std::vector<double> f(static_cast<size_t>(o.n_bins), 0.0);
  for (double v : x) {
    const int64_t b = std::clamp<int64_t>(static_cast<int64_t>(std::floor((v - null.x_min) / null.bin_width)), 0, o.n_bins - 1);
    f[static_cast<size_t>(b)] += 1;
  }
  for (double& v : f) v /= static_cast<double>(x.size());
  std::vector<size_t> nonzero;
  for (size_t j = 0; j < f.size(); ++j) {
    if (f[j] > 0) nonzero.push_back(j);
  }
  null.p.resize(static_cast<size_t>(o.max_seqlet_len + 1));
  std::vector<double> pmf = f;  // of the summed bins of k values
  for (int64_t k = 1; k <= o.max_seqlet_len; ++k) {
    if (k > 1) {
      std::vector<double> next(pmf.size() + f.size() - 1, 0.0);
      for (size_t i = 0; i < pmf.size(); ++i) {
        if (pmf[i] == 0) continue;
        for (size_t j : nonzero) next[i + j] += pmf[i] * f[j];
      }
      pmf.swap(next);
    }
    auto& p = null.p[static_cast<size_t>(k)];
    p.assign(pmf.size(), 0.0);
    p[0] = 1;
    for (size_t b = 1; b < pmf.size(); ++b) p[b] = std::max(p[b - 1] - pmf[b], 0.0);
  }
  return null;
}

std::vector<Seqlet> recursive_seqlets(const std::vector<double>& x, int64_t n, int64_t l, const SeqletOptions& o) {
  check_seqlet_options(o);
  if (n < 0 || l < 0 || static_cast<int64_t>(x.size()) != n * l) throw Error("seqlets: the map has the wrong size");
  const SeqletNull null = seqlet_null(x, o);
  std::vector<Seqlet> out;
  if (null.p.empty()) return out;
  const int64_t kmax = o.max_seqlet_len, kmin = o.min_seqlet_len;
  std::vector<double> csum(static_cast<size_t>(l + 1));
  std::vector<std::vector<double>> p(static_cast<size_t>(kmax + 1), std::vector<double>(static_cast<size_t>(l)));
  for (int64_t i = 0; i < n; ++i) {
    csum[0] = 0;
    for (int64_t j = 0; j < l; ++j) csum[static_cast<size_t>(j + 1)] = csum[static_cast<size_t>(j)] + x[static_cast<size_t>(i * l + j)];
    // p[k][s]: the span [s, s + k)'s p-value, made the largest of its prefixes of length >= kmin;
    // shorter lengths are 0 (they always pass), spans that do not fit are 1.
    for (int64_t k = 0; k <= kmax; ++k) std::fill(p[static_cast<size_t>(k)].begin(), p[static_cast<size_t>(k)].end(), k < kmin ? 0.0 : 1.0);
    for (int64_t k = kmin; k <= kmax; ++k) {
      const auto& table = null.p[static_cast<size_t>(k)];
      for (int64_t s = 0; s + k <= l; ++s) {
        const double sum = csum[static_cast<size_t>(s + k)] - csum[static_cast<size_t>(s)];
        const double pk = table[static_cast<size_t>(seqlet_bin(sum, null, k, table.size()))];
        p[static_cast<size_t>(k)][static_cast<size_t>(s)] = std::max(pk, p[static_cast<size_t>(k - 1)][static_cast<size_t>(s)]);
      }
    }
    // Longest first; within a length, the smallest p-value first.
    for (int64_t k = kmax; k >= kmin; --k) {
      auto& row = p[static_cast<size_t>(k)];
      while (l > 0) {
        const int64_t s = std::min_element(row.begin(), row.end()) - row.begin();
        const double ps = row[static_cast<size_t>(s)];
        row[static_cast<size_t>(s)] = 1;
        if (ps >= o.threshold) break;
        bool inside = true;  // every span that starts inside and ends by s + k passes
        for (int64_t j = 1; j < k && inside; ++j) inside = p[static_cast<size_t>(k - j)][static_cast<size_t>(s + j)] < o.threshold;
        if (!inside) continue;
        for (int64_t c = s; c < s + k; ++c) {
          for (auto& r : p) r[static_cast<size_t>(c)] = 1;
        }
        Seqlet q;
        q.example = i;
        q.start = std::max<int64_t>(s - o.additional_flanks, 0);
        q.end = std::min<int64_t>(s + k + o.additional_flanks, l);
        q.attribution = csum[static_cast<size_t>(q.end)] - csum[static_cast<size_t>(q.start)];
        q.p_value = ps;
        out.push_back(q);
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Seqlet& a, const Seqlet& b) {
    if (a.p_value != b.p_value) return a.p_value < b.p_value;
    if (a.example != b.example) return a.example < b.example;
    return a.start < b.start;
  });
  return out;
}

}  // namespace seqnn
