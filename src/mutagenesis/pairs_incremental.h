#pragma once
// Paired predictions with single-base substitutions on the incremental engine (private to
// libseqnn; callers use seqnn::PairPredictor or seqnn::predict_pairs).
#include <ATen/core/Tensor.h>

#include <optional>
#include <string>

#include "seqnn/mutagenesis/incremental_ism.h"
#include "seqnn/mutagenesis/variant_effect.h"

namespace seqnn {

// The engine side of a PairPredictor, kept across calls: the model's op graph is analysed and
// checked against the model's forward pass on the first call that has a substitution, and a
// model the engine cannot run is not tried again.
class SnvPairEngine {
 public:
  // Every substitution's alternative from the engine, the other pairs' from the model; nullopt
  // when no pair is a substitution or the engine cannot run the model (why_not() then says why).
  std::optional<PairedPrediction> predict(Model& model, const at::Tensor& ref, const at::Tensor& alt,
                                          const PredictOptions& opts, StrandCombine rc);
  const std::string& why_not() const { return why_not_; }

 private:
  bool tried_ = false;
  std::optional<IncrementalEngine> engine_;
  ModelOutput structure_;  // the model's output kind and names, for the engine's outputs
  std::string why_not_;
};

}  // namespace seqnn
