#pragma once
// Paired predictions with single-base substitutions on the incremental engine (private to
// libseqnn; callers use seqnn::predict_pairs).
#include <ATen/core/Tensor.h>

#include <optional>
#include <string>

#include "seqnn/mutagenesis/variant_effect.h"

namespace seqnn {

// The pairs' predictions with every single-base substitution's alternative from the engine and
// the other pairs' alternatives from the model; nullopt when no pair is a substitution (why_not
// stays empty) or the engine cannot run the model (why_not says why).
std::optional<PairedPrediction> predict_pairs_incremental(Model& model, const at::Tensor& ref, const at::Tensor& alt,
                                                          const PredictOptions& opts, StrandCombine rc,
                                                          std::string& why_not);

}  // namespace seqnn
