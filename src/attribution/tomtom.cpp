#include "seqnn/attribution/tomtom.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "seqnn/util/error.h"

namespace seqnn {

const std::vector<EnumName<ColumnScore>>& column_score_names() {
  static const std::vector<EnumName<ColumnScore>> names = {{ColumnScore::pearson, "pearson"}, {ColumnScore::euclidean, "ed"}};
  return names;
}

double column_score(const std::vector<double>& a, const std::vector<double>& b, ColumnScore score) {
  const size_t n = a.size();
  if (score == ColumnScore::euclidean) {
    double d = 0;
    for (size_t i = 0; i < n; ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
    return -std::sqrt(d);
  }
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;  // a uniform column correlates with nothing
}

Motif reverse_complement(const Motif& motif) {
  Motif rc = motif;
  rc.columns.assign(motif.columns.rbegin(), motif.columns.rend());
  for (auto& col : rc.columns) {
    if (col.size() != 4) throw Error("reverse complement of motif " + motif.id + ": needs 4 letters, has " + std::to_string(col.size()));
    std::reverse(col.begin(), col.end());  // A C G T -> T G C A
  }
  return rc;
}

std::vector<double> benjamini_hochberg(const std::vector<double>& p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> q(m);
  double running = 1;
  for (size_t k = m; k-- > 0;) {
    running = std::min(running, p[order[k]] * static_cast<double>(m) / static_cast<double>(k + 1));
    q[order[k]] = std::min(1.0, running);
  }
  return q;
}

namespace {

// TOMTOM's shift quantile 0.5 (shift_all_pairwise_scores): the mean of sorted[floor(n/2) - 1]
// and sorted[ceil(n/2) - 1].
double tomtom_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  const size_t lo = std::max<size_t>(1, n / 2) - 1, hi = (n + 1) / 2 - 1;
  return (v[lo] + v[hi]) / 2;
}

// pmf of a + b for independent a ~ x, b ~ y.
std::vector<double> tomtom_convolve(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> z(x.size() + y.size() - 1, 0.0);
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] == 0) continue;
    for (size_t j = 0; j < y.size(); ++j) z[i + j] += x[i] * y[j];
  }
  return z;
}

}  // namespace

std::vector<TomtomMatch> tomtom(const Motif& query, const std::vector<Motif>& targets, const TomtomOptions& o) {
  if (targets.empty()) throw Error("tomtom: no target motifs");
  const int64_t w = query.width();
  const size_t letters = query.columns.at(0).size();
  for (const Motif& t : targets) {
    if (t.columns.empty() || t.columns[0].size() != letters) {
      throw Error("tomtom: motif " + t.id + " has " + std::to_string(t.columns.empty() ? 0 : t.columns[0].size()) +
                  " letters, the query " + query.id + " has " + std::to_string(letters));
    }
  }
  if (o.both_strands && letters != 4) throw Error("tomtom: both strands need a 4-letter alphabet");
  // The database: the targets, then their reverse complements.
  std::vector<Motif> strands = targets;
  if (o.both_strands) {
    for (const Motif& t : targets) strands.push_back(reverse_complement(t));
  }
  std::vector<size_t> first_column;
  std::vector<const std::vector<double>*> columns;
  for (const Motif& t : strands) {
    first_column.push_back(columns.size());
    for (const auto& c : t.columns) columns.push_back(&c);
  }
  const size_t nc = columns.size();

  // Steps 1-2: shifted scores, scaled to integers.
  std::vector<std::vector<double>> s(static_cast<size_t>(w), std::vector<double>(nc));
  double small = 0, large = 0;
  for (int64_t i = 0; i < w; ++i) {
    auto& row = s[static_cast<size_t>(i)];
    for (size_t c = 0; c < nc; ++c) row[c] = column_score(query.columns[static_cast<size_t>(i)], *columns[c], o.score);
    const double median = tomtom_median(row);
    for (double& v : row) v -= median;
    const auto [mn, mx] = std::minmax_element(row.begin(), row.end());
    small = i == 0 ? *mn : std::min(small, *mn);
    large = i == 0 ? *mx : std::max(large, *mx);
  }
  const double scale = large > small ? std::max(1.0, std::floor(static_cast<double>(o.bins) / (large - small))) : 1.0;
  std::vector<std::vector<int64_t>> t(static_cast<size_t>(w), std::vector<int64_t>(nc));
  for (int64_t i = 0; i < w; ++i) {
    for (size_t c = 0; c < nc; ++c) t[static_cast<size_t>(i)][c] = std::llround((s[static_cast<size_t>(i)][c] - small) * scale);
  }
  const int64_t unaligned = std::llround(-small * scale);

  // Step 3: per-column nulls and span nulls (span[a][b - a] for query columns a..b).
  std::vector<std::vector<double>> f(static_cast<size_t>(w));
  for (int64_t i = 0; i < w; ++i) {
    auto& pmf = f[static_cast<size_t>(i)];
    const int64_t top = *std::max_element(t[static_cast<size_t>(i)].begin(), t[static_cast<size_t>(i)].end());
    pmf.assign(static_cast<size_t>(top + 1), 0.0);
    for (size_t c = 0; c < nc; ++c) pmf[static_cast<size_t>(t[static_cast<size_t>(i)][c])] += 1.0 / static_cast<double>(nc);
  }
  std::vector<std::vector<std::vector<double>>> span(static_cast<size_t>(w));
  for (int64_t a = 0; a < w; ++a) {
    span[static_cast<size_t>(a)].push_back(f[static_cast<size_t>(a)]);
    for (int64_t b = a + 1; b < w; ++b) {
      span[static_cast<size_t>(a)].push_back(tomtom_convolve(span[static_cast<size_t>(a)].back(), f[static_cast<size_t>(b)]));
    }
  }
  const auto aligned_span = [&](int64_t offset, int64_t n) {  // query columns a..b aligned with a target of width n
    const int64_t a = std::max<int64_t>(0, -offset), b = std::min<int64_t>(w - 1, n - 1 - offset);
    return std::pair<int64_t, int64_t>(a, b);
  };

  // Step 5's null for each target width: pmf of the maximum over its alignments (and strands).
  const int64_t top = w * std::max<int64_t>(o.bins, unaligned) + 1;
  std::map<int64_t, std::vector<double>> p_at_least;  // width -> P(max >= v)
  for (const Motif& target : targets) {
    const int64_t n = target.width();
    if (p_at_least.count(n)) continue;
    std::vector<double> best(static_cast<size_t>(top), 0.0);
    best[0] = 1;  // the maximum of nothing: a point mass below every score
    bool first = true;
    for (int64_t offset = -(w - 1); offset < n; ++offset) {
      const auto [a, b] = aligned_span(offset, n);
      const auto& pmf = span[static_cast<size_t>(a)][static_cast<size_t>(b - a)];
      std::vector<double> cur(static_cast<size_t>(top), 0.0);
      const int64_t shift = (w - (b - a + 1)) * unaligned;
      for (size_t v = 0; v < pmf.size(); ++v) cur[v + static_cast<size_t>(shift)] += pmf[v];
      for (int strand = 0; strand < (o.both_strands ? 2 : 1); ++strand) {
        if (first) {
          best = cur;
          first = false;
          continue;
        }
        std::vector<double> next(static_cast<size_t>(top));
        double cdf_best = 0, cdf_cur = 0;  // P(<= v - 1)
        for (size_t v = 0; v < next.size(); ++v) {
          next[v] = cur[v] * cdf_best + best[v] * cdf_cur + cur[v] * best[v];
          cdf_best += best[v];
          cdf_cur += cur[v];
        }
        best.swap(next);
      }
    }
    std::vector<double> pv(static_cast<size_t>(top + 1), 0.0);
    for (int64_t v = top - 1; v >= 0; --v) pv[static_cast<size_t>(v)] = pv[static_cast<size_t>(v + 1)] + best[static_cast<size_t>(v)];
    for (double& p : pv) p = std::min(1.0, p);
    p_at_least[n] = std::move(pv);
  }

  // Step 4: the best alignment of each strand of each target.
  std::vector<TomtomMatch> out;
  for (size_t ti = 0; ti < targets.size(); ++ti) {
    TomtomMatch best;
    best.target = static_cast<int64_t>(ti);
    bool have = false;
    for (int strand = 0; strand < (o.both_strands ? 2 : 1); ++strand) {
      const size_t si = ti + static_cast<size_t>(strand) * targets.size();
      const int64_t n = strands[si].width();
      for (int64_t offset = -(w - 1); offset < n; ++offset) {
        const auto [a, b] = aligned_span(offset, n);
        int64_t score = (w - (b - a + 1)) * unaligned;
        for (int64_t i = a; i <= b; ++i) score += t[static_cast<size_t>(i)][first_column[si] + static_cast<size_t>(i + offset)];
        const int64_t overlap = b - a + 1;
        if (!have || score > best.score || (score == best.score && overlap > best.overlap)) {
          best.score = score;
          best.overlap = overlap;
          best.offset = offset;
          best.reverse = strand == 1;
          have = true;
        }
      }
    }
    best.p_value = p_at_least[targets[ti].width()][static_cast<size_t>(std::clamp<int64_t>(best.score, 0, top))];
    best.e_value = best.p_value * static_cast<double>(targets.size());
    out.push_back(best);
  }
  std::vector<double> p;
  for (const auto& m : out) p.push_back(m.p_value);
  const auto q = benjamini_hochberg(p);
  for (size_t i = 0; i < out.size(); ++i) out[i].q_value = q[i];
  return out;
}

}  // namespace seqnn
