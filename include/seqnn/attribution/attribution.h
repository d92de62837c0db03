#pragma once
// Attributions: how much each base of each sequence contributes to one scalar of the model's
// output (docs/attribution.md). The scalar of sequence i is the chosen output (`output`) at the
// chosen columns of its dim 1 (`targets`), summed with all its remaining dimensions (e.g. a
// profile's positions). Every method returns (N, A, L), float32 on the CPU:
//   saliency               d f / d x, every base of every position (a per-base map)
//   input-x-gradient       x * d f / d x
//   integrated-gradients   (x - r) * mean over steps of d f / d x at r + a (x - r), a the midpoints
//                          (k + 1/2) / steps, averaged over the references
//   deeplift-shap          DeepLIFT multipliers m (rescale rule for univariate non-linearities,
//                          the max rule for max pools and max over length), (x - r) * m averaged
//                          over the references, so that sum = f(x) - mean f(r) (completeness)
//   ism                    in-silico mutagenesis, mutant - reference summed over the targets and
//                          mean-centred over the alphabet (seqnn::ism_attribution)
// `hypothetical` (integrated gradients, deeplift-shap, input-x-gradient): as tangermeme's
// hypothetical_attributions, the attribution each base would get had it been at the position,
// h[a, l] = m[a, l] - sum_c r[c, l] m[c, l], averaged over references; at the observed base it
// equals the ordinary attribution summed over the alphabet.
//
// The call shape is tangermeme's: attribute(model, X, args, options). X stays on the CPU (int8
// one-hot allowed); references, steps and sequences are processed in batches of
// `predict.batch_size` forward rows (DeepLIFT runs the input and reference rows of a batch
// together, 2 x batch_size rows), on `predict.device`, with the model in eval mode (dropout off).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/inference/predict.h"
#include "seqnn/models/model.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/util/enum_names.h"

namespace seqnn {

enum class AttributionMethod { kSaliency, kInputXGradient, kIntegratedGradients, kDeepLiftShap, kIsm };
// "saliency", "input-x-gradient", "integrated-gradients", "deeplift-shap", "ism"
const std::vector<EnumName<AttributionMethod>>& attribution_method_names();

// What each sequence is compared with (integrated gradients, deeplift-shap).
struct References {
  enum class Kind { kShuffle, kZeros, kGiven };
  Kind kind = Kind::kShuffle;
  int64_t shuffles = 20;  // kShuffle: K dinucleotide shuffles per sequence (sequence/shuffle.h)
  uint64_t seed = 0;      // kShuffle
  // kGiven: (K, A, L) shared by every sequence, or (N, K, A, L), one set per sequence.
  at::Tensor given;
  int64_t first_index = 0;  // kShuffle and per-sequence kGiven: index of X[0] in the whole input
};

// "shuffle:K" (K > 0), "shuffle" (K = 20), "zeros", or a file: FASTA (K sequences shared by all,
// of the input's length) or .npy ((K, A, L) or (N, K, A, L)). Errors name the spec or the file.
References parse_references(const std::string& spec, uint64_t seed, const std::string& alphabet = "dna");
// The references of sequences [first, first + n) of X's rows: (n, K, A, L), float, CPU.
at::Tensor references_for(const References& refs, const at::Tensor& X, int64_t first, int64_t n);

struct AttributionOptions {
  AttributionMethod method = AttributionMethod::kDeepLiftShap;
  std::string output;            // name or index of the output; "" = the only one
  std::vector<int64_t> targets;  // columns of the output's dim 1, summed; empty = all
  References references;         // integrated gradients, deeplift-shap
  int64_t steps = 50;            // integrated gradients
  bool hypothetical = false;
  // tangermeme's warning_threshold: |convergence delta| above this is reported (IG, DeepLIFT).
  double warning_threshold = 1e-3;
  PredictOptions predict;  // batch size (forward rows), device, dtype, progress (items = rows)
  IsmEngine ism_engine = IsmEngine::kAuto;
};

struct AttributionResult {
  at::Tensor attributions;  // (N, A, L) float32, CPU
  // integrated gradients and deeplift-shap: (N) sum of attributions - (f(x) - mean f(r))
  // (undefined for the other methods), and f(x), mean f(r).
  at::Tensor deltas, scores, reference_scores;
  double max_abs_delta = 0;
  std::string warning;      // non-empty when some |delta| > warning_threshold
  std::string output_name;  // the output attributed
  int64_t forward_rows = 0; // rows run through the model (both directions count once)
};

// Throws seqnn::Error in one line: an unknown output or target, a model op DeepLIFT has no rule
// for (naming the op), references of the wrong shape.
AttributionResult attribute(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args = {},
                            const AttributionOptions& opts = {});

// The index of the output `want` names (a name, or an index); "" is the only output. Errors name
// the outputs there are ("--output NAME: the model's outputs are ...").
size_t choose_output(const ModelOutput& out, const std::string& want);

// tangermeme's hypothetical_attributions for one reference: multipliers m and references r of
// shape (n, A, L) -> h[a, l] = m[a, l] - sum_c r[c, l] m[c, l].
at::Tensor hypothetical_attributions(const at::Tensor& multipliers, const at::Tensor& references);

}  // namespace seqnn
