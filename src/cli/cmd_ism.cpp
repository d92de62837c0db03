// seqnn ism: in-silico saturation mutagenesis of FASTA sequences, streamed to .npy files a few
// sequences at a time (memory depends on the chunk, not on the number of sequences).
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/mutagenesis/ism_stream.h"
#include "seqnn/util/runtime_info.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {
namespace {

struct IsmArgs {
  CommonOptions common;
  McCliOptions mc;
  std::string model, fasta, out, mode = "diff", engine = "auto";
  std::vector<std::string> targets;
  int64_t start = 0, end = -1;
  int64_t batch_size = 64, chunk = 16;
  bool resume = false;
  std::string shard;
  ResumeOptions resume_settings;  // filled from the parsed flags
};

void run_ism(const IsmArgs& a) {
  const std::string device = apply_common_options(a.common);
  IsmStreamOptions opts;
  opts.ism.predict.batch_size = a.batch_size;
  opts.ism.predict.device = device;
  opts.ism.start = a.start;
  opts.ism.end = a.end;
  opts.ism.mc = to_mc_options(a.mc);
  opts.ism.engine = parse_enum(a.engine, ism_engine_names(), "--ism-engine");
  opts.targets = a.targets;
  opts.mode = parse_ism_mode(a.mode);
  opts.chunk = a.chunk;
  opts.out = a.out;
  opts.input_name = a.fasta;
  opts.show_progress = !a.common.quiet;
  opts.resume = a.resume_settings;
  opts.shard = shard_from_flag(a.shard);
  Model model = Model::load(a.model);
  auto source = fasta_source(a.fasta);
  const IsmStreamResult r = ism_stream(model, *source, opts);
  if (!r.engine_note.empty()) std::fprintf(stderr, "seqnn ism: full forward passes: %s\n", r.engine_note.c_str());
  if (r.reference_bytes > 0) {
    std::fprintf(stderr, "seqnn ism: reference values held for the incremental engine: %.1f MiB (largest chunk)\n",
                 r.reference_bytes / 1048576.0);
  }

  const std::string mc = opts.ism.mc.enabled() ? " x " + std::to_string(opts.ism.mc.samples) + " MC samples" : "";
  if (r.resumed > 0) std::fprintf(stderr, "seqnn ism: resumed after %lld sequences\n", static_cast<long long>(r.resumed));
  std::fprintf(stderr, "seqnn ism: %lld sequences, %lld mutants%s (%s engine) on %s in %.2f s (%.0f mutant passes/s); peak RSS %.0f MiB -> %s\n",
               static_cast<long long>(r.sequences), static_cast<long long>(r.mutants), mc.c_str(), enum_name(r.engine, ism_engine_names()), device.c_str(), r.seconds,
               r.passes / std::max(r.seconds, 1e-9), peak_rss_mib(), join(r.files, ' ').c_str());
}

}  // namespace

void register_ism(CLI::App& app) {
  auto a = std::make_shared<IsmArgs>();
  auto* cmd = add_command(app, "ism", "in-silico saturation mutagenesis: every single-base substitution");
  add_model_option(cmd, a->model);
  add_fasta_option(cmd, a->fasta, "sequences (all of one length)")->required();
  add_out_option(cmd, a->out, "output OUT.npy (several outputs: OUT.<name>.npy; identities in OUT.rows.tsv)");
  cmd->add_option("--start", a->start, "first position to mutate (0-based)")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--end", a->end, "end of the mutated window, exclusive (-1 = sequence end)")->capture_default_str();
  add_target_option(cmd, a->targets);
  cmd->add_option("--mode", a->mode, "raw (mutants + reference), diff (mutant - reference) or attribution (N, A, L_w)")
      ->check(CLI::IsMember(ism_mode_names()))
      ->capture_default_str();
  add_batch_size_option(cmd, a->batch_size, "mutants per forward pass");
  add_ism_engine_option(cmd, a->engine);
  add_chunk_option(cmd, a->chunk, "sequences mutated at a time (bounds memory)");
  add_mc_options(cmd, a->mc, /*with_pairing=*/true);
  add_stream_resume_flag(cmd, a->resume);
  add_shard_option(cmd, a->shard);
  add_common_options(cmd, a->common);
  cmd->callback([a, cmd] {
    a->resume_settings = resume_options(*cmd, a->resume);
    run_ism(*a);
  });
}

}  // namespace seqnn::cli
