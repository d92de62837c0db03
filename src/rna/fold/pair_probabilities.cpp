// Base-pair probabilities by the outside pass: the derivative of Z with respect to every inside
// entry, pushed from each cell to the cells its recursion reads (outer cells first), so the
// outside sums use exactly the inside products. P(i, j) = QB(i, j) * dZ/dQB(i, j) / Z.
#include <algorithm>

#include "rna/fold/partition_tables.h"

namespace seqnn::rna::fold {
namespace {

std::vector<PairProbability> outside_pass(const PartitionFunction::Tables& t) {
  const int n = t.n, w = t.w;
  detail::RowBand<double> QBo, QMo;
  detail::ColBand<double> QM1o;
  QBo.init(n, w, 0.0);
  QMo.init(n, w, 0.0);
  QM1o.init(n, w, 0.0);
  std::vector<double> Q5o(static_cast<size_t>(n) + 1, 0.0);
  Q5o[static_cast<size_t>(n)] = 1.0;
  for (int j = n; j >= 1; --j) {
    const double g = Q5o[static_cast<size_t>(j)];
    if (g == 0.0) continue;
    Q5o[static_cast<size_t>(j - 1)] += g * t.sc(1);
    for (int k = std::max(1, j - w); k <= j - kMinHairpin - 1; ++k) {
      const double qb = t.QB.at(k, j);
      if (qb == 0.0) continue;
      const double ext = t.exterior_term(k, j);
      Q5o[static_cast<size_t>(k - 1)] += g * qb * ext;
      QBo.at(k, j) += g * t.Q5[static_cast<size_t>(k - 1)] * ext;
    }
  }
  const double ml_one = t.ml_unpaired(1);
  const double z = t.Q5[static_cast<size_t>(n)];
  std::vector<PairProbability> out;
  for (int i = 1; i <= n; ++i) {
    const int jmax = std::min(n, i + w);
    for (int j = jmax; j >= i + kMinHairpin + 1; --j) {
      // QM(i, j) = sum_k [unpaired(k - i) + QM(i, k - 1)] QM1(k, j)
      const double gm = QMo.at(i, j);
      if (gm != 0.0) {
        double* col = &QM1o.at(i, j);
        const double* q1 = &t.QM1.at(i, j);
        for (int k = i; k <= j - kMinHairpin - 1; ++k) {
          const double f1 = q1[k - i];
          if (f1 == 0.0) continue;
          double pre = t.ml_unpaired(k - i);
          if (k - 1 >= i + kMinHairpin + 1) {
            pre += t.QM.at(i, k - 1);
            QMo.at(i, k - 1) += gm * f1;
          }
          col[k - i] += gm * pre;
        }
      }
      // QM1(i, j) = QM1(i, j - 1) unpaired(1) + QB(i, j) branch(i, j)
      const double g1 = QM1o.at(i, j);
      if (g1 != 0.0) {
        if (j - 1 >= i + kMinHairpin + 1) QM1o.at(i, j - 1) += g1 * ml_one;
        if (t.QB.at(i, j) != 0.0) QBo.at(i, j) += g1 * t.multi_branch_term(i, j);
      }
      const double qb = t.QB.at(i, j);
      const double gb = QBo.at(i, j);
      if (qb == 0.0 || gb == 0.0) continue;
      const double p = qb * gb / z;
      if (p >= PartitionFunction::Tables::kPairFloor) out.push_back({i - 1, j - 1, std::min(1.0, p)});
      const int kmax = std::min(i + kMaxLoop + 1, j - kMinHairpin - 2);
      for (int k = i + 1; k <= kmax; ++k) {
        const int lmin = std::max(k + kMinHairpin + 1, j - 1 - (kMaxLoop - (k - i - 1)));
        const double* qrow = &t.QB.at(k, k);
        double* orow = &QBo.at(k, k);
        for (int l = j - 1; l >= lmin; --l) {
          if (qrow[l - k] == 0.0) continue;
          orow[l - k] += gb * t.interior_term(i, j, k, l);
        }
      }
      if (j - i - 1 >= 2 * (kMinHairpin + 2)) {
        const double c = gb * t.multi_closing_term(i, j);
        const double* qm = &t.QM.at(i + 1, i + 1);
        const double* qm1 = &t.QM1.at(i + 2, j - 1);
        double* qmo = &QMo.at(i + 1, i + 1);
        double* qm1o = &QM1o.at(i + 2, j - 1);
        for (int u = i + kMinHairpin + 2; u <= j - kMinHairpin - 3; ++u) {
          const int x = u - (i + 1);
          qmo[x] += c * qm1[x];
          qm1o[x] += c * qm[x];
        }
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const PairProbability& a, const PairProbability& b) {
    return a.i != b.i ? a.i < b.i : a.j < b.j;
  });
  return out;
}

}  // namespace

const std::vector<PairProbability>& PartitionFunction::pair_probabilities() const {
  if (!t_->have_pairs) {
    t_->pairs = outside_pass(*t_);
    t_->have_pairs = true;
  }
  return t_->pairs;
}

std::vector<PairProbability> PartitionFunction::pair_probabilities(double threshold) const {
  std::vector<PairProbability> out;
  for (const auto& p : pair_probabilities()) {
    if (p.p >= threshold) out.push_back(p);
  }
  return out;
}

}  // namespace seqnn::rna::fold
