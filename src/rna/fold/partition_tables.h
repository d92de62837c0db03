#pragma once
// The partition function's inside tables, shared by the inside pass (partition.cpp), the outside
// pass (pair_probabilities.cpp) and stochastic sampling (sampling.cpp). Every entry for the
// segment i..j holds its true value times scale^-(j - i + 1).
#include <cmath>
#include <vector>

#include "rna/fold/band_matrix.h"
#include "rna/fold/loop_energies.h"
#include "seqnn/rna/fold/partition.h"

namespace seqnn::rna::fold {

struct PartitionFunction::Tables {
  EncodedSequence seq;
  const EnergyParams* params = nullptr;
  int n = 0, w = 0;
  bool smooth = true;               // FoldOptions::pf_smooth
  double kt_dcal = 0.0;             // RT in dcal/mol
  double log_scale = 0.0;           // ln of the per-nucleotide scale factor
  std::vector<double> inv_scale;    // scale^-k, k = 0..n+2
  std::vector<double> boltz_table;  // exp(-E / RT) for E in [kBoltzMin, kBoltzMax]
  std::vector<double> ml_free;      // k unpaired multiloop bases: exp(-k MLbase / RT) scale^-k
  detail::RowBand<double> QB, QM;   // pair-closed; multiloop part with >= 1 stem
  detail::ColBand<double> QM1;      // exactly one stem starting at i
  std::vector<double> Q5;           // exterior loop of 1..j
  mutable bool have_pairs = false;
  mutable std::vector<PairProbability> pairs;  // p >= kPairFloor

  static constexpr int kBoltzMin = -3000, kBoltzMax = 6000;
  static constexpr double kPairFloor = 1e-6;

  double boltz(int e) const {
    if (e >= kBoltzMin && e <= kBoltzMax) return boltz_table[static_cast<size_t>(e - kBoltzMin)];
    return std::exp(-e / kt_dcal);
  }
  double sc(int k) const { return inv_scale[static_cast<size_t>(k)]; }

  // The terms of each recursion, shared by the three passes so that they sum the same products.
  double hairpin_term(int i, int j) const {
    const int e = detail::hairpin_energy(*params, seq, i, j, seq.type(i, j));
    if (e >= kInf) return 0.0;
    const int size = j - i - 1;
    if (smooth && size > kMaxLoop) {  // RNAfold's partition function extrapolates without rounding
      const double exact = params->lxc * std::log(static_cast<double>(size) / kMaxLoop);
      return std::exp(-(e - detail::loop_extrapolation(*params, size) + exact) / kt_dcal) * sc(j - i + 1);
    }
    return boltz(e) * sc(j - i + 1);
  }
  double interior_term(int i, int j, int k, int l) const {
    return boltz(detail::interior_energy(*params, seq, i, j, k, l, seq.type(i, j), seq.type(l, k))) * sc((k - i) + (j - l));
  }
  // Stems in the exterior loop and in multiloops. As in RNAfold's partition function, the
  // mismatch and dangle parts of a stem's energy are smoothed (pf_smooth), the rest is not.
  double stem_weight(const double (&mm)[8][5][5], int type, int b5, int b3) const {
    double q;
    if (b5 >= 0 && b3 >= 0) {
      q = mm[type][b5][b3];
    } else if (b5 >= 0) {
      q = exp_dangle5[type][b5];
    } else if (b3 >= 0) {
      q = exp_dangle3[type][b3];
    } else {
      q = 1.0;
    }
    return type > 2 ? q * exp_terminal_au : q;
  }
  double multi_closing_term(int i, int j) const {
    return exp_ml_closing * exp_ml_intern * stem_weight(exp_mismatch_multi, seq.type(j, i), seq.base(j - 1), seq.base(i + 1)) * sc(2);
  }
  double multi_branch_term(int i, int j) const {
    return exp_ml_intern * stem_weight(exp_mismatch_multi, seq.type(i, j), seq.base(i - 1), seq.base(j + 1));
  }
  double exterior_term(int k, int j) const { return stem_weight(exp_mismatch_exterior, seq.type(k, j), seq.base(k - 1), seq.base(j + 1)); }

  double exp_mismatch_exterior[8][5][5], exp_mismatch_multi[8][5][5], exp_dangle5[8][5], exp_dangle3[8][5];
  double exp_terminal_au = 1.0, exp_ml_intern = 1.0, exp_ml_closing = 1.0;
  double ml_unpaired(int count) const { return ml_free[static_cast<size_t>(count)]; }
};

}  // namespace seqnn::rna::fold
