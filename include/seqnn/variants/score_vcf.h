#pragma once
// Streaming variant effect scoring: a VCF read chunk by chunk, each chunk scored by a
// VariantScorer and written as it comes (variant_writer.h), skipped variants listed beside
// (skip_log.h). Memory and speed per variant do not depend on the size of the VCF. This is
// `seqnn score-variants` as a library call.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seqnn/util/resume.h"
#include "seqnn/util/shard.h"
#include "seqnn/variants/variant_scoring.h"
#include "seqnn/variants/vcf.h"

namespace seqnn {

class IndexedFasta;

struct VcfScoringOptions {
  VariantScoringOptions scoring;  // window length, scores, --rc, targets, batch size, device, MC
  int64_t chunk = 1024;           // variants read and scored at a time
  std::string out;                // .tsv, .vcf, .vcf.gz or .npy; skipped variants: <stem>.skipped.tsv
  std::string input_name;         // names the VCF in errors ("my.vcf: no variants")
  bool show_progress = true;      // progress bar on stderr
  ResumeOptions resume;           // checkpoints after every chunk; --resume continues from the last
  ShardSpec shard;                // a block of whole chunks (util/shard.h) and OUT.shard.json
};

struct VcfScoringResult {
  int64_t read = 0, scored = 0, skipped = 0;
  int64_t resumed = 0;               // variants read by the interrupted run this one continued
  int64_t padded = 0;                // variants whose windows were padded at a chromosome end
  std::vector<std::string> targets;  // names of the scored columns
  std::string skip_report;           // SkipLog::report(): empty when nothing was skipped
  double seconds = 0;
  std::vector<std::string> files;    // the outputs, a .vcf.gz's CSI index included
  std::string output_note;           // e.g. why a .vcf.gz got no index (unsorted records)
  int64_t incremental = 0;           // variants whose alternative came from the incremental engine
  std::string engine_note;           // with IsmEngine::kAuto: why the incremental engine did not run
};

VcfScoringResult score_vcf(Model& model, const IndexedFasta& genome, VcfReader& vcf, const VcfScoringOptions& opts);

// The window length: `requested` when positive (it must then agree with a model that has a fixed
// input length), else the model's input length; an error when neither gives one.
int64_t variant_window_length(int64_t requested, const ModelInfo& info);

}  // namespace seqnn
