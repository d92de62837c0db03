#pragma once
// McCaskill partition function over all secondary structures in the same energy model as the
// MFE (-d2, Turner 2004, 37 C): ensemble free energy, base-pair probabilities (outside
// algorithm), probability of a structure of given energy, stochastic sampling (Ding-Lawrence).
// Values are doubles scaled per nucleotide (as RNAfold's pf_scale, from the MFE), so 3,000 nt and
// more do not overflow. Boltzmann weights exp(-E / RT) with R = 1.98717 cal/(mol K), T = 310.15 K.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "seqnn/rna/fold/energy_params.h"
#include "seqnn/rna/fold/fold_options.h"

namespace seqnn::rna::fold {

// RT at 37 C in kcal/mol.
double kt_kcal();

struct PairProbability {
  int i = 0, j = 0;  // 0-based, i < j
  double p = 0.0;
};

class PartitionFunction {
 public:
  // mfe_energy (dcal/mol) sets the scaling; pass the MFE of the same sequence and options.
  PartitionFunction(const EncodedSequence& sequence, const FoldOptions& options, int mfe_energy,
                    const EnergyParams& params = turner2004());
  ~PartitionFunction();
  PartitionFunction(PartitionFunction&&) noexcept;
  PartitionFunction& operator=(PartitionFunction&&) noexcept;

  int length() const;
  double log_z() const;            // ln Z, Z = sum over structures of exp(-E / RT)
  double ensemble_energy() const;  // -RT ln Z, kcal/mol
  // exp(-E / RT) / Z for a structure of energy E (dcal/mol), e.g. the MFE structure's frequency.
  double probability_of_energy(int energy) const;
  // Pair probabilities >= threshold, sorted by (i, j). The outside pass runs on the first call.
  const std::vector<PairProbability>& pair_probabilities() const;
  std::vector<PairProbability> pair_probabilities(double threshold) const;
  // count structures drawn from the Boltzmann distribution (dot-bracket), reproducible for a seed.
  std::vector<std::string> sample(int count, uint64_t seed) const;

  struct Tables;

 private:
  std::unique_ptr<Tables> t_;
};

// Dense n x n matrix (row-major, symmetric, 0 on the diagonal) of pair probabilities.
std::vector<float> dense_pair_matrix(int n, const std::vector<PairProbability>& pairs);

}  // namespace seqnn::rna::fold
