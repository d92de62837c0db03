#pragma once
// Variant effect scoring in chunks: windows from the genome around each variant, REF checked,
// reference and alternative predicted (deterministically, and with Monte-Carlo dropout when
// asked), scores computed for the selected tasks. The CLI streams a VCF through this chunk by
// chunk, so memory and speed per variant do not depend on the size of the VCF.
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/inference/predict.h"
#include "seqnn/mutagenesis/variant_effect.h"
#include "seqnn/variants/vcf.h"

namespace seqnn {

class IndexedFasta;

struct VariantScoringOptions {
  int64_t length = 0;                              // window length (the model's input length)
  std::vector<std::string> scores = {"diff"};      // names from variant_score_names()
  StrandCombine rc = StrandCombine::kNone;
  std::vector<std::string> targets;                // names or indices of output columns; empty = all
  PredictOptions predict;                          // batch size, device, dtype
  McOptions mc;                                    // samples > 0 adds MC-dropout statistics
  IsmEngine engine = IsmEngine::kAuto;             // SNVs on the incremental engine (predict_pairs)
};

// MC statistics reported per variant and task, in this order (names used as column prefixes).
const std::vector<std::string>& mc_statistic_names();  // ref_mean ref_sd alt_mean alt_sd diff_mean diff_sd corr p_diff_gt0

struct SkippedVariant {
  Variant variant;
  std::string reason;
};

struct ScoredChunk {
  std::vector<Variant> variants;           // the scored ones, in input order
  std::vector<int64_t> padded;             // N-padded bases of each variant's windows
  std::vector<at::Tensor> scores;          // one (n, tasks) float tensor per requested score
  std::vector<at::Tensor> mc;              // one (n, tasks) float64 tensor per MC statistic (when MC)
  std::vector<SkippedVariant> skipped;     // variants of this chunk that were not scored, and why
  int64_t incremental = 0;                 // scored variants whose alternative came from the incremental engine
  std::string engine_note;                 // with IsmEngine::kAuto: why the incremental engine did not run
};

class VariantScorer {
 public:
  // Checks the options against the model: scores known, window length accepted by the model
  // (one forward pass), targets exist.
  VariantScorer(Model& model, const IndexedFasta& genome, VariantScoringOptions opts);

  // Scores a chunk of variants. Variants with a problem (symbolic ALT, bad bases), an unknown
  // chromosome or a REF that does not match the genome are skipped and listed, never scored.
  // The incremental engine is checked once, on the first chunk with an SNV (PairPredictor).
  ScoredChunk score(const std::vector<Variant>& variants);

  // Names of the selected task columns (resolved by the constructor).
  const std::vector<std::string>& task_names() const { return task_names_; }
  const VariantScoringOptions& options() const { return opts_; }

 private:
  at::Tensor select_tasks(const ModelOutput& out);
  void resolve_tasks(const ModelOutput& out);

  Model& model_;
  const IndexedFasta& genome_;
  VariantScoringOptions opts_;
  PairPredictor pairs_;
  std::vector<std::string> all_names_;
  std::vector<int64_t> task_index_;
  std::vector<std::string> task_names_;
};

}  // namespace seqnn
