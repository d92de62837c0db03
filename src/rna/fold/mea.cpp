#include "seqnn/rna/fold/mea.h"

#include <algorithm>
#include <cmath>

#include "rna/fold/band_matrix.h"
#include "seqnn/rna/fold/fold_options.h"
#include "seqnn/util/error.h"

namespace seqnn::rna::fold {

MeaResult mea_structure(int n, const std::vector<PairProbability>& pairs, double gamma, int max_span) {
  if (n <= 0) return {};
  FoldOptions o;
  o.max_span = max_span;
  int w = max_pair_distance(n, o);
  // 1-based: partners of i with i < j, and unpaired probabilities.
  std::vector<std::vector<std::pair<int, double>>> right(static_cast<size_t>(n) + 2);
  std::vector<double> pu(static_cast<size_t>(n) + 2, 1.0);
  for (const auto& p : pairs) {
    if (p.i < 0 || p.j >= n || p.i >= p.j) throw Error("mea_structure: bad pair (" + std::to_string(p.i) + ", " + std::to_string(p.j) + ")");
    w = std::max(w, std::min(n - 1, p.j - p.i));
    right[static_cast<size_t>(p.i) + 1].push_back({p.j + 1, 2.0 * gamma * p.p});
    pu[static_cast<size_t>(p.i) + 1] -= p.p;
    pu[static_cast<size_t>(p.j) + 1] -= p.p;
  }
  for (auto& v : pu) v = std::max(0.0, v);
  // M(i, j) for j - i <= w: best score of i..j inside an enclosing pair; M(i, i - 1) = 0.
  detail::RowBand<double> M;
  M.init(n, w, 0.0);
  auto m = [&](int i, int j) -> double { return j < i ? 0.0 : M.at(i, j); };
  for (int i = n; i >= 1; --i) {
    const int jmax = std::min(n, i + w);
    for (int j = i; j <= jmax; ++j) {
      double best = (j > i ? m(i + 1, j) : 0.0) + pu[static_cast<size_t>(i)];
      for (const auto& [k, s] : right[static_cast<size_t>(i)]) {
        if (k > j) continue;
        best = std::max(best, s + m(i + 1, k - 1) + (k < j ? m(k + 1, j) : 0.0));
      }
      M.at(i, j) = best;
    }
  }
  // Exterior: F(j) over 1..j.
  std::vector<double> F(static_cast<size_t>(n) + 1, 0.0);
  std::vector<std::vector<std::pair<int, double>>> left(static_cast<size_t>(n) + 2);
  for (int i = 1; i <= n; ++i) {
    for (const auto& [k, s] : right[static_cast<size_t>(i)]) left[static_cast<size_t>(k)].push_back({i, s});
  }
  for (int j = 1; j <= n; ++j) {
    double best = F[static_cast<size_t>(j - 1)] + pu[static_cast<size_t>(j)];
    for (const auto& [i, s] : left[static_cast<size_t>(j)]) best = std::max(best, F[static_cast<size_t>(i - 1)] + s + m(i + 1, j - 1));
    F[static_cast<size_t>(j)] = best;
  }
  MeaResult r;
  r.expected_accuracy = F[static_cast<size_t>(n)];
  r.structure.assign(static_cast<size_t>(n), '.');
  // Traceback: exterior, then nested segments.
  std::vector<std::pair<int, int>> segs;
  const double eps = 1e-12;
  for (int j = n; j >= 1;) {
    const double f = F[static_cast<size_t>(j)];
    if (std::abs(f - (F[static_cast<size_t>(j - 1)] + pu[static_cast<size_t>(j)])) <= eps * std::max(1.0, f)) {
      --j;
      continue;
    }
    bool found = false;
    for (const auto& [i, s] : left[static_cast<size_t>(j)]) {
      if (std::abs(f - (F[static_cast<size_t>(i - 1)] + s + m(i + 1, j - 1))) <= eps * std::max(1.0, f)) {
        r.structure[static_cast<size_t>(i - 1)] = '(';
        r.structure[static_cast<size_t>(j - 1)] = ')';
        segs.push_back({i + 1, j - 1});
        j = i - 1;
        found = true;
        break;
      }
    }
    if (!found) throw Error("internal error: MEA traceback (exterior)");
  }
  while (!segs.empty()) {
    auto [i, j] = segs.back();
    segs.pop_back();
    if (j < i) continue;
    const double f = M.at(i, j);
    if (std::abs(f - ((j > i ? m(i + 1, j) : 0.0) + pu[static_cast<size_t>(i)])) <= eps * std::max(1.0, f)) {
      segs.push_back({i + 1, j});
      continue;
    }
    bool found = false;
    for (const auto& [k, s] : right[static_cast<size_t>(i)]) {
      if (k > j) continue;
      if (std::abs(f - (s + m(i + 1, k - 1) + (k < j ? m(k + 1, j) : 0.0))) <= eps * std::max(1.0, f)) {
        r.structure[static_cast<size_t>(i - 1)] = '(';
        r.structure[static_cast<size_t>(k - 1)] = ')';
        segs.push_back({i + 1, k - 1});
        segs.push_back({k + 1, j});
        found = true;
        break;
      }
    }
    if (!found) throw Error("internal error: MEA traceback");
  }
  return r;
}

}  // namespace seqnn::rna::fold
