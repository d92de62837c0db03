#include "seqnn/rna/fold/fold.h"

namespace seqnn::rna::fold {

FoldResult fold_sequence(const std::string& sequence, const FoldSettings& settings) {
  const EncodedSequence s = encode_sequence(sequence);
  const EnergyParams& params = turner2004();
  FoldResult r;
  r.sequence = s.letters;
  r.mfe = fold_mfe(s, settings.options, params);
  if (!settings.partition && settings.samples <= 0 && !settings.mea) return r;
  PartitionFunction pf(s, settings.options, r.mfe.energy, params);
  r.has_ensemble = true;
  r.ensemble_energy = pf.ensemble_energy();
  r.mfe_probability = pf.probability_of_energy(r.mfe.energy);
  if ((settings.partition && settings.pair_probabilities) || settings.mea) r.pairs = pf.pair_probabilities(settings.pair_threshold);
  if (settings.mea) r.mea = mea_structure(s.n, r.pairs, settings.mea_gamma, settings.options.max_span);
  if (settings.samples > 0) r.samples = pf.sample(settings.samples, settings.seed);
  return r;
}

}  // namespace seqnn::rna::fold
