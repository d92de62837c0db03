#pragma once
// Paired prediction of reference and alternative sequences, the core of variant effect scoring,
// deterministic or with Monte-Carlo dropout.
//
// MC pairing (docs/mc_dropout.md): batches are always padded to the full batch size and, in each
// sample k, the reference batch and the alternative batch are run with the same dropout seed, so
// the reference and alternative of a variant (same row) go through the model with the same masks
// and Var(alt - ref) = Var(alt) + Var(ref) - 2 Cov(alt, ref) keeps its covariance term.
// McPairing::kIndependent gives the reference its own masks (standard MC dropout).
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/inference/predict.h"
#include "seqnn/mutagenesis/ism.h"

namespace seqnn {

// Reverse-complement handling: each window is also predicted on its reverse complement (one-hot
// flipped along both the alphabet and the length axis, valid for ACGT/ACGU order) and the two
// predictions are averaged (kMean) or the larger kept (kMax), element by element. In MC runs the
// forward and reverse passes of one sample use different masks (streams 0/2 for the alternative,
// and for the reference when paired), and the combination is applied per sample before the
// moments, so the statistics describe the strand-combined prediction.
enum class StrandCombine { kNone, kMean, kMax };
StrandCombine parse_strand_combine(const std::string& name);  // "none", "mean" or "max"

struct PairedPrediction {
  ModelOutput ref, alt;
  int64_t incremental = 0;  // pairs whose alternative came from the incremental engine
  std::string engine_note;  // with IsmEngine::kAuto: why the incremental engine did not run
};

// Predictions of pairs of windows, call after call (the chunks of one stream) with one model,
// options and engine choice. ref and alt are (N, A, L) with the same shape.
//
// Single-base substitutions (a pair whose windows differ in exactly one column, where alt holds
// one base) can skip most of the alternative's forward pass: with `engine` kAuto or kIncremental
// and a model the incremental engine runs (mutagenesis/incremental_ism.h), the reference windows
// take one pass through the model's op graph and each such alternative is that pass plus what its
// substitution reaches, on both strands with `rc`. Every other pair (indels, several changes, an
// N in alt) is predicted whole. The graph is analysed and checked against the model on the first
// call with a substitution and kept, so the model's weights must not change between calls.
// kIncremental throws seqnn::Error when the engine cannot run the model; kAuto then predicts
// every pair whole and says why in engine_note.
class SnvPairEngine;
class PairPredictor {
 public:
  PairPredictor(Model& model, PredictOptions opts = {}, StrandCombine rc = StrandCombine::kNone,
                IsmEngine engine = IsmEngine::kAuto);
  ~PairPredictor();
  PairPredictor(const PairPredictor&) = delete;
  PairPredictor& operator=(const PairPredictor&) = delete;

  PairedPrediction operator()(const at::Tensor& ref, const at::Tensor& alt);

 private:
  Model& model_;
  PredictOptions opts_;
  StrandCombine rc_;
  IsmEngine engine_;
  std::unique_ptr<SnvPairEngine> snvs_;
};

// One call of a PairPredictor.
PairedPrediction predict_pairs(Model& model, const at::Tensor& ref, const at::Tensor& alt,
                               const PredictOptions& opts = {}, StrandCombine rc = StrandCombine::kNone,
                               IsmEngine engine = IsmEngine::kAuto);

// One summary per model output, each tensor (N, outputs...).
std::vector<PairedMoments::Summary> predict_pairs_mc(Model& model, const at::Tensor& ref, const at::Tensor& alt,
                                                     const PredictOptions& opts, const McOptions& mc,
                                                     StrandCombine rc = StrandCombine::kNone);

// Variant effect scores of predictions (any shape). Names: ref, alt, diff (alt - ref),
// abs_diff, logit_diff (logit(alt) - logit(ref), probabilities clamped to [1e-6, 1 - 1e-6]),
// log2fc (log2((alt + 1e-6) / (ref + 1e-6))).
at::Tensor variant_score(const std::string& name, const at::Tensor& ref, const at::Tensor& alt);
bool is_variant_score(const std::string& name);
const std::vector<std::string>& variant_score_names();

}  // namespace seqnn
