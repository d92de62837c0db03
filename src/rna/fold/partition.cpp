#include "seqnn/rna/fold/partition.h"

#include <algorithm>
#include <cmath>

#include "rna/fold/partition_tables.h"
#include "seqnn/util/error.h"

namespace seqnn::rna::fold {
namespace {

constexpr double kGasConstant = 1.98717;  // cal / (mol K), as RNAfold
constexpr double kKelvin37 = 37.0 + 273.15;

void fill_inside(PartitionFunction::Tables& t) {
  const int n = t.n, w = t.w;
  const EncodedSequence& s = t.seq;
  t.QB.init(n, w, 0.0);
  t.QM.init(n, w, 0.0);
  t.QM1.init(n, w, 0.0);
  const double ml_one = t.ml_unpaired(1);
  for (int i = n; i >= 1; --i) {
    const int jmax = std::min(n, i + w);
    for (int j = i + kMinHairpin + 1; j <= jmax; ++j) {
      double qb = 0.0;
      if (s.type(i, j)) {
        qb = t.hairpin_term(i, j);
        const int kmax = std::min(i + kMaxLoop + 1, j - kMinHairpin - 2);
        for (int k = i + 1; k <= kmax; ++k) {
          const int lmin = std::max(k + kMinHairpin + 1, j - 1 - (kMaxLoop - (k - i - 1)));
          const double* qrow = &t.QB.at(k, k);
          for (int l = j - 1; l >= lmin; --l) {
            const double q = qrow[l - k];
            if (q == 0.0) continue;
            qb += q * t.interior_term(i, j, k, l);
          }
        }
        if (j - i - 1 >= 2 * (kMinHairpin + 2)) {
          const double* qm = &t.QM.at(i + 1, i + 1);
          const double* qm1 = &t.QM1.at(i + 2, j - 1);
          double sum = 0.0;
          for (int u = i + kMinHairpin + 2; u <= j - kMinHairpin - 3; ++u) sum += qm[u - (i + 1)] * qm1[u - (i + 1)];
          if (sum > 0.0) qb += sum * t.multi_closing_term(i, j);
        }
      }
      t.QB.at(i, j) = qb;
      double q1 = qb > 0.0 ? qb * t.multi_branch_term(i, j) : 0.0;
      if (j - 1 >= i + kMinHairpin + 1) q1 += t.QM1.at(i, j - 1) * ml_one;
      t.QM1.at(i, j) = q1;
      double qm = 0.0;
      const double* col = &t.QM1.at(i, j);
      const double* qmrow = &t.QM.at(i, i);
      for (int k = i; k <= j - kMinHairpin - 1; ++k) {
        const double f1 = col[k - i];
        if (f1 == 0.0) continue;
        double pre = t.ml_unpaired(k - i);
        if (k - 1 >= i + kMinHairpin + 1) pre += qmrow[k - 1 - i];
        qm += pre * f1;
      }
      t.QM.at(i, j) = qm;
    }
  }
  t.Q5.assign(static_cast<size_t>(n) + 1, 0.0);
  t.Q5[0] = 1.0;
  for (int j = 1; j <= n; ++j) {
    double q = t.Q5[static_cast<size_t>(j - 1)] * t.sc(1);
    for (int k = std::max(1, j - w); k <= j - kMinHairpin - 1; ++k) {
      const double qb = t.QB.at(k, j);
      if (qb == 0.0) continue;
      q += t.Q5[static_cast<size_t>(k - 1)] * qb * t.exterior_term(k, j);
    }
    t.Q5[static_cast<size_t>(j)] = q;
  }
  if (!(t.Q5[static_cast<size_t>(n)] > 0.0) || !std::isfinite(t.Q5[static_cast<size_t>(n)])) {
    throw Error("partition function out of range (length " + std::to_string(n) + ")");
  }
}

// RNAfold's smoothing of dangle and exterior/multiloop mismatch energies in the partition
// function (its SMOOTH macro, on dcal/mol): unchanged below -8.66 dcal/mol, 0 above +12.28, a
// smooth ramp between (it changes the 0 entries). Returns the smoothed energy.
double smooth_stem_energy(double e) {
  const double x = -e / 10.0;
  if (x < -1.2283697) return 0.0;
  if (x > 0.8660254) return e;
  const double t = std::sin(x - 0.34242663) + 1.0;
  return -10.0 * 0.38490018 * t * t;
}

void fill_stem_weights(PartitionFunction::Tables& t, const EnergyParams& p) {
  auto w = [&](int e) { return std::exp(-(t.smooth ? smooth_stem_energy(e) : e) / t.kt_dcal); };
  for (int a = 0; a < 8; ++a) {
    for (int b = 0; b < 5; ++b) {
      t.exp_dangle5[a][b] = w(p.dangle5[a][b]);
      t.exp_dangle3[a][b] = w(p.dangle3[a][b]);
      for (int c = 0; c < 5; ++c) {
        t.exp_mismatch_exterior[a][b][c] = w(p.mismatch_exterior[a][b][c]);
        t.exp_mismatch_multi[a][b][c] = w(p.mismatch_multi[a][b][c]);
      }
    }
  }
  t.exp_terminal_au = std::exp(-p.terminal_au / t.kt_dcal);
  t.exp_ml_intern = std::exp(-p.ml_intern / t.kt_dcal);
  t.exp_ml_closing = std::exp(-p.ml_closing / t.kt_dcal);
}

}  // namespace

double kt_kcal() { return kGasConstant * kKelvin37 / 1000.0; }

PartitionFunction::PartitionFunction(const EncodedSequence& sequence, const FoldOptions& options, int mfe_energy,
                                     const EnergyParams& params)
    : t_(std::make_unique<Tables>()) {
  Tables& t = *t_;
  t.seq = sequence;
  t.params = &params;
  t.n = sequence.n;
  t.w = max_pair_distance(sequence.n, options);
  t.smooth = options.pf_smooth;
  t.kt_dcal = kGasConstant * kKelvin37 / 10.0;
  // RNAfold's pf_scale: exp(-1.07 * MFE / (n RT)) per nucleotide keeps the tables near 1.
  t.log_scale = -1.07 * mfe_energy / t.kt_dcal / std::max(1, t.n);
  t.inv_scale.resize(static_cast<size_t>(t.n) + 3);
  for (size_t k = 0; k < t.inv_scale.size(); ++k) t.inv_scale[k] = std::exp(-t.log_scale * static_cast<double>(k));
  t.boltz_table.resize(static_cast<size_t>(Tables::kBoltzMax - Tables::kBoltzMin) + 1);
  for (int e = Tables::kBoltzMin; e <= Tables::kBoltzMax; ++e) {
    t.boltz_table[static_cast<size_t>(e - Tables::kBoltzMin)] = std::exp(-e / t.kt_dcal);
  }
  t.ml_free.resize(static_cast<size_t>(t.n) + 2);
  for (size_t k = 0; k < t.ml_free.size(); ++k) {
    t.ml_free[k] = std::exp(-static_cast<double>(k) * params.ml_base / t.kt_dcal) * t.inv_scale[k];
  }
  fill_stem_weights(t, params);
  fill_inside(t);
}

PartitionFunction::~PartitionFunction() = default;
PartitionFunction::PartitionFunction(PartitionFunction&&) noexcept = default;
PartitionFunction& PartitionFunction::operator=(PartitionFunction&&) noexcept = default;

int PartitionFunction::length() const { return t_->n; }

double PartitionFunction::log_z() const { return std::log(t_->Q5[static_cast<size_t>(t_->n)]) + t_->n * t_->log_scale; }

double PartitionFunction::ensemble_energy() const { return -log_z() * t_->kt_dcal / 100.0; }

double PartitionFunction::probability_of_energy(int energy) const { return std::exp(-energy / t_->kt_dcal - log_z()); }

std::vector<float> dense_pair_matrix(int n, const std::vector<PairProbability>& pairs) {
  std::vector<float> m(static_cast<size_t>(n) * static_cast<size_t>(n), 0.0f);
  for (const auto& p : pairs) {
    m[static_cast<size_t>(p.i) * static_cast<size_t>(n) + static_cast<size_t>(p.j)] = static_cast<float>(p.p);
    m[static_cast<size_t>(p.j) * static_cast<size_t>(n) + static_cast<size_t>(p.i)] = static_cast<float>(p.p);
  }
  return m;
}

}  // namespace seqnn::rna::fold
