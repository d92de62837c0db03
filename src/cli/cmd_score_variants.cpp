// seqnn score-variants: stream a VCF through a model, chunk by chunk: windows around each variant
// from the genome, REF checked, reference vs alternative predicted, scores written as they come.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/runtime_info.h"
#include "seqnn/util/strings.h"
#include "seqnn/variants/score_vcf.h"

namespace seqnn::cli {
namespace {

struct ScoreVariantsArgs {
  CommonOptions common;
  McCliOptions mc;
  std::string model, genome, vcf, out, rc = "none", engine = "auto";
  std::vector<std::string> scores = {"diff"}, targets;
  int64_t length = 0;
  int64_t batch_size = 64;
  int64_t chunk = 1024;
  bool resume = false;
  std::string shard;
  ResumeOptions resume_settings;  // filled from the parsed flags
};

VcfScoringOptions scoring_options(const ScoreVariantsArgs& a, const ModelInfo& info, const std::string& device) {
  VcfScoringOptions o;
  o.scoring.length = variant_window_length(a.length, info);
  o.scoring.scores = a.scores;
  o.scoring.rc = parse_strand_combine(a.rc);
  o.scoring.targets = a.targets;
  o.scoring.predict.batch_size = a.batch_size;
  o.scoring.predict.device = device;
  o.scoring.mc = to_mc_options(a.mc);
  o.scoring.engine = parse_enum(a.engine, ism_engine_names(), "--ism-engine");
  o.chunk = a.chunk;
  o.out = a.out;
  o.input_name = a.vcf;
  o.show_progress = !a.common.quiet;
  o.resume = a.resume_settings;
  o.shard = shard_from_flag(a.shard);
  return o;
}

void run_score_variants(const ScoreVariantsArgs& a) {
  const std::string device = apply_common_options(a.common);
  Model model = Model::load(a.model);
  IndexedFasta genome(a.genome);
  VcfReader vcf(a.vcf);
  const VcfScoringOptions opts = scoring_options(a, model.info(), device);
  const VcfScoringResult r = score_vcf(model, genome, vcf, opts);

  std::fputs(r.skip_report.c_str(), stderr);
  if (r.resumed > 0) std::fprintf(stderr, "seqnn score-variants: resumed after %lld variants\n", static_cast<long long>(r.resumed));
  if (!r.engine_note.empty()) std::fprintf(stderr, "seqnn score-variants: full forward passes: %s\n", r.engine_note.c_str());
  if (!r.output_note.empty()) std::fprintf(stderr, "seqnn score-variants: warning: %s\n", r.output_note.c_str());
  const std::string mc = opts.scoring.mc.enabled() ? ", " + std::to_string(a.mc.samples) + " MC samples (" + a.mc.pairing + ")" : "";
  std::fprintf(stderr,
               "seqnn score-variants: %lld variants read, %lld scored (%lld on the incremental engine), %lld skipped, "
               "%lld windows padded at a chromosome end; %zu tasks%s on %s in %.1f s (%.0f variants/s); peak RSS "
               "%.0f MiB -> %s\n",
               static_cast<long long>(r.read), static_cast<long long>(r.scored), static_cast<long long>(r.incremental),
               static_cast<long long>(r.skipped),
               static_cast<long long>(r.padded), r.targets.size(), mc.c_str(), device.c_str(), r.seconds,
               (r.read - r.resumed) / std::max(r.seconds, 1e-9), peak_rss_mib(), join(r.files, ' ').c_str());
}

}  // namespace

void register_score_variants(CLI::App& app) {
  auto a = std::make_shared<ScoreVariantsArgs>();
  auto* cmd = add_command(app, "score-variants", "score the effect of VCF variants with a sequence model");
  add_model_option(cmd, a->model);
  add_genome_option(cmd, a->genome)->required();
  cmd->add_option("--vcf,-v", a->vcf, "variants: VCF, bgzip VCF or BCF")->type_name("FILE")->required();
  add_out_option(cmd, a->out, "output: .tsv, .vcf, .vcf.gz or .npy");
  cmd->add_option("--length,-l", a->length, "window length (default: the model's input length)")->check(kPositive);
  cmd->add_option("--scores", a->scores, "scores: ref alt diff abs_diff logit_diff log2fc")
      ->check(CLI::IsMember(variant_score_names()))
      ->capture_default_str();
  cmd->add_option("--rc", a->rc, "reverse complement: none, mean or max of both strands")
      ->check(CLI::IsMember({"none", "mean", "max"}))
      ->capture_default_str();
  add_target_option(cmd, a->targets);
  add_ism_engine_option(cmd, a->engine);
  add_batch_size_option(cmd, a->batch_size, "windows per forward pass");
  add_chunk_option(cmd, a->chunk, "variants read and scored at a time (bounds memory)");
  add_mc_options(cmd, a->mc, /*with_pairing=*/true);
  add_stream_resume_flag(cmd, a->resume);
  add_shard_option(cmd, a->shard);
  add_common_options(cmd, a->common);
  cmd->callback([a, cmd] {
    a->resume_settings = resume_options(*cmd, a->resume);
    run_score_variants(*a);
  });
}

}  // namespace seqnn::cli
