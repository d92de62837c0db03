#pragma once
// In-silico saturation mutagenesis: every single-base substitution in [start, end) of each
// sequence, run through the model. Mutants are built batch by batch from the reference on the
// fly; the full set of mutant sequences is never held in memory.
//
// Edits that would not change the sequence (the reference base) are not run: their slot takes the
// reference prediction. At an unknown position (all-zero column, e.g. N) every channel is a
// substitution. Extra arguments follow their sequence (row i of each arg goes with X[i]).
#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/inference/predict.h"
#include "seqnn/util/enum_names.h"

namespace seqnn {

// How mutants are computed. kIncremental recomputes, per layer, only the positions a
// substitution reaches (mutagenesis/incremental_ism.h); kNaive runs every mutant through the
// whole model; kAuto takes the incremental engine when the model's graph allows it and says why
// not otherwise (IsmResult::engine_note).
enum class IsmEngine { kAuto, kIncremental, kNaive };
const std::vector<EnumName<IsmEngine>>& ism_engine_names();  // "auto", "incremental", "naive"

// The incremental engine of one model kept between ism() calls on the same model, input shape,
// dtype and device (ism_stream's chunks): the op graph is frozen, analysed and checked against
// the model once, not once per call. Opaque; made by make_ism_engine_cache().
struct IsmEngineCache;
std::shared_ptr<IsmEngineCache> make_ism_engine_cache();

struct IsmOptions {
  PredictOptions predict;        // batch size, device, dtype, progress (items = mutants)
  int64_t start = 0;             // window [start, end) of positions to mutate
  int64_t end = -1;              // -1 = the sequence length
  std::vector<int64_t> targets;  // columns (dim 1) of each output to keep; empty = all
  McOptions mc;                  // samples > 0: Monte-Carlo dropout (see IsmResult::mc)
  IsmEngine engine = IsmEngine::kAuto;
  std::shared_ptr<IsmEngineCache> engine_cache;  // optional; deterministic runs only
};

struct IsmResult {
  // Deterministic run (mc.samples == 0):
  ModelOutput reference;  // (N, outputs...)
  ModelOutput mutants;    // (N, L_w, A, outputs...); identity slots hold the reference prediction
  // MC-dropout run: per output, the paired statistics of (reference, mutant) over K samples,
  // each tensor (N, L_w, A, outputs...). Reference and mutant rows share dropout masks when
  // pairing is kPaired. Identity slots are exactly 0 in diff and NaN in corr.
  std::vector<PairedMoments::Summary> mc;
  std::vector<std::string> output_names;
  int64_t samples = 0;
  IsmEngine engine = IsmEngine::kNaive;  // the engine that ran
  std::string engine_note;               // with kAuto: why the incremental engine did not run
  int64_t reference_bytes = 0;           // incremental: the stored reference values (largest chunk)
};

IsmResult ism(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args = {},
              const IsmOptions& opts = {});

// mutants - reference, broadcast over (L_w, A): (N, L_w, A, outputs...).
at::Tensor ism_difference(const at::Tensor& mutants, const at::Tensor& reference);
// Mean-centred attribution (N, A, L_w) of one output: d = mutant - reference summed over the
// output's remaining dimensions (e.g. the selected targets), then d - mean over the alphabet.
at::Tensor ism_attribution(const at::Tensor& differences);

}  // namespace seqnn
