#pragma once
// One call for everything the engine computes for a sequence: the MFE structure and, on request,
// the ensemble (free energy, the MFE structure's probability, pair probabilities), sampled
// structures and the MEA structure. Non-ACGU letters cannot pair (RNAfold's rule); lower case and
// T are read as RNA.
//
//   FoldSettings s; s.partition = true;
//   FoldResult r = fold_sequence("GGGAAAUCC", s);
//   r.mfe.structure, r.mfe.kcal(), r.ensemble_energy, r.mfe_probability, r.pairs (0-based)
//   dense_pair_matrix(n, r.pairs)  // n x n float matrix, e.g. model input channels
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/rna/fold/mea.h"
#include "seqnn/rna/fold/mfe.h"
#include "seqnn/rna/fold/partition.h"

namespace seqnn::rna::fold {

struct FoldSettings {
  FoldOptions options;
  bool partition = false;            // ensemble energy, MFE probability, pair probabilities
  double pair_threshold = 1e-5;      // pairs below this are not returned
  bool pair_probabilities = true;    // false: the ensemble only (no outside pass), unless mea
  int samples = 0;                   // stochastic samples (needs partition; turned on if > 0)
  uint64_t seed = 0;                 // of the samples
  bool mea = false;                  // MEA structure (needs partition; turned on if set)
  double mea_gamma = 1.0;
};

struct FoldResult {
  std::string sequence;  // as folded: upper case, U for T
  MfeResult mfe;
  bool has_ensemble = false;
  double ensemble_energy = 0.0;  // kcal/mol
  double mfe_probability = 0.0;  // exp(-(E_mfe - G_ensemble) / RT)
  std::vector<PairProbability> pairs;
  std::vector<std::string> samples;
  MeaResult mea;
};

FoldResult fold_sequence(const std::string& sequence, const FoldSettings& settings = {});

}  // namespace seqnn::rna::fold
