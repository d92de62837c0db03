// seqnn predict: stream sequences (FASTA, or BED windows over a genome) through a model and
// write predictions (.tsv or .npy) with bounded memory.
#include <cstdio>
#include <map>

#include "cli/common_options.h"
#include "seqnn/inference/predict_stream.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn::cli {
namespace {

const std::map<std::string, at::ScalarType> kDtypes = {
    {"float32", at::kFloat}, {"float64", at::kDouble}, {"float16", at::kHalf}, {"bfloat16", at::kBFloat16}};

struct PredictArgs {
  CommonOptions common;
  McCliOptions mc;
  SequenceInput input;
  std::string model, out, dtype = "float32";
  int64_t batch_size = 64;
  int64_t chunk = 4096;
  bool resume = false;
  std::string shard;
  ResumeOptions resume_settings;  // filled from the parsed flags
};

void run_predict(const PredictArgs& a) {
  const std::string device = apply_common_options(a.common);
  Model model = Model::load(a.model);
  auto source = open_sequence_input(a.input, model.info());
  PredictStreamOptions opts;
  opts.predict.batch_size = a.batch_size;
  opts.predict.device = device;
  opts.predict.dtype = kDtypes.at(a.dtype);
  opts.mc = to_mc_options(a.mc);
  opts.chunk = a.chunk;
  opts.out = a.out;
  opts.input_name = a.input.name();
  opts.show_progress = !a.common.quiet;
  opts.resume = a.resume_settings;
  opts.shard = shard_from_flag(a.shard);
  const PredictStreamResult r = predict_stream(model, *source, opts);

  if (r.resumed > 0) std::fprintf(stderr, "seqnn predict: resumed after %lld sequences\n", static_cast<long long>(r.resumed));
  std::fprintf(stderr, "seqnn predict: %lld sequences of length %s on %s in %.1f s (%.0f seq/s)",
               static_cast<long long>(r.sequences), length_range(r.shortest, r.longest).c_str(), device.c_str(),
               r.seconds, (r.sequences - r.resumed) / std::max(r.seconds, 1e-9));
  if (!a.input.bed.empty()) {
    std::fprintf(stderr, "; %lld windows ran off their chromosome (%lld bases padded with N)",
                 static_cast<long long>(r.padded_windows), static_cast<long long>(r.padded_bases));
  }
  std::string files;
  for (const auto& f : r.files) files += (files.empty() ? "" : ", ") + f;
  std::fprintf(stderr, "; peak RSS %.0f MiB -> %s\n", peak_rss_mib(), files.c_str());
}

}  // namespace

void register_predict(CLI::App& app) {
  auto a = std::make_shared<PredictArgs>();
  auto* cmd = add_command(app, "predict", "predict with a model on sequences from FASTA or BED windows");
  add_model_option(cmd, a->model);
  add_fasta_option(cmd, a->input.fasta, "sequences (FASTA: plain, gzip or bgzip)");
  add_bed_option(cmd, a->input.bed, "intervals (BED/narrowPeak); windows are cut from --genome");
  add_genome_option(cmd, a->input.genome);
  cmd->add_option("--length,-l", a->input.length, "window length for --bed (default: the model's input length)")
      ->check(kPositive);
  cmd->add_flag("--summit", a->input.summit, "centre BED windows on the narrowPeak summit (column 10)");
  add_out_option(cmd, a->out, "output: .tsv or .npy");
  add_batch_size_option(cmd, a->batch_size, "sequences per forward pass");
  add_chunk_option(cmd, a->chunk, "sequences read and encoded at a time (bounds memory)");
  cmd->add_option("--dtype", a->dtype, "compute dtype (float16 and bfloat16 for CUDA)")
      ->check(CLI::IsMember([] {
        std::vector<std::string> names;
        for (const auto& [name, type] : kDtypes) names.push_back(name);
        return names;
      }()))
      ->capture_default_str();
  add_mc_options(cmd, a->mc, /*with_pairing=*/false);
  add_stream_resume_flag(cmd, a->resume);
  add_shard_option(cmd, a->shard);
  add_common_options(cmd, a->common);
  cmd->callback([a, cmd] {
    a->resume_settings = resume_options(*cmd, a->resume);
    run_predict(*a);
  });
}

}  // namespace seqnn::cli
