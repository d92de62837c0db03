// seqnn predict: stream sequences (FASTA, or BED windows over a genome) through a model and
// write predictions (.tsv or .npy) with bounded memory.
#include <torch/torch.h>

#include <cstdio>
#include <limits>

#include "cli/common_options.h"
#include "seqnn/inference/mc_dropout.h"
#include "seqnn/inference/predict.h"
#include "seqnn/inference/prediction_writer.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn::cli {
namespace {

struct PredictArgs {
  CommonOptions common;
  McCliOptions mc;
  std::string model, fasta, bed, genome, out, dtype = "float32";
  int64_t length = 0;
  int64_t batch_size = 64;
  int64_t chunk = 4096;
  bool summit = false;
};

std::optional<at::ScalarType> parse_dtype(const std::string& name) {
  if (name == "float32") return at::kFloat;
  if (name == "float16") return at::kHalf;
  if (name == "bfloat16") return at::kBFloat16;
  if (name == "float64") return at::kDouble;
  throw Error("--dtype " + name + ": unknown dtype (float32, float16, bfloat16 or float64)");
}

// Input length of one chunk. Models that skip trailing padding (recurrent) take any lengths: the
// chunk is zero-padded to its longest sequence (at most the model's length, if it names one).
// Other models need every sequence at the model's length (or, without a fixed length, at the
// first sequence's), so a bad record is named before the model runs.
int64_t chunk_length(const SequenceChunk& chunk, const ModelInfo& info, int64_t& expected) {
  int64_t longest = 0;
  for (size_t i = 0; i < chunk.sequences.size(); ++i) {
    const int64_t len = static_cast<int64_t>(chunk.sequences[i].size());
    longest = std::max(longest, len);
    if (info.skips_trailing_padding) {
      if (info.input_length && len > *info.input_length)
        fail(chunk.where[i], "sequence length " + std::to_string(len) + " exceeds the model's input length " +
                                 std::to_string(*info.input_length));
      continue;
    }
    if (expected <= 0) expected = len;
    if (len != expected) {
      fail(chunk.where[i], "sequence length " + std::to_string(len) + " does not match " +
                               (info.input_length ? "the model's input length " : "the first sequence's length ") +
                               std::to_string(expected) + " (only recurrent models take mixed lengths)");
    }
  }
  return info.skips_trailing_padding ? longest : expected;
}

// "200" or "8-15" for the summary line.
std::string length_range(int64_t shortest, int64_t longest) {
  return shortest == longest ? std::to_string(longest) : std::to_string(shortest) + "-" + std::to_string(longest);
}

// OUT.tsv -> OUT.sd.tsv (the MC standard deviations go beside the means).
std::string sd_path(const std::string& out) {
  const size_t dot = out.rfind('.');
  return dot == std::string::npos ? out + ".sd" : out.substr(0, dot) + ".sd" + out.substr(dot);
}

void run_predict(const PredictArgs& a) {
  const std::string device = apply_common_options(a.common);
  if (a.fasta.empty() == a.bed.empty()) throw Error("give exactly one input: --fasta, or --bed with --genome");
  if (!a.bed.empty() && a.genome.empty()) throw Error("--bed needs --genome (an indexed FASTA)");
  if (a.batch_size <= 0 || a.chunk <= 0) throw Error("--batch-size and --chunk must be positive");
  auto dtype = parse_dtype(a.dtype);

  Model model = Model::load(a.model);
  ModelInfo info = model.info();
  Alphabet alphabet = Alphabet::from_name(info.alphabet);
  int64_t expected = info.input_length.value_or(0);
  if (!a.bed.empty() && a.length > 0 && info.input_length && a.length != *info.input_length) {
    throw Error("--length " + std::to_string(a.length) + " does not match the model's input length " +
                std::to_string(*info.input_length));
  }
  auto source = a.fasta.empty()
                    ? bed_source(a.bed, a.genome, a.length > 0 ? a.length : expected,
                                 a.summit ? WindowCentre::kSummit : WindowCentre::kInterval)
                    : fasta_source(a.fasta);
  auto writer = make_prediction_writer(a.out, info.output_names);
  const McOptions mc = to_mc_options(a.mc);
  std::unique_ptr<PredictionWriter> sd_writer;
  if (mc.enabled()) sd_writer = make_prediction_writer(sd_path(a.out), info.output_names);

  // Load the model onto the device once; predict() leaves it there between chunks.
  ModelStateGuard placement(model, device, dtype);
  PredictOptions popts;
  popts.batch_size = a.batch_size;
  ProgressBar bar("predict", source->total(), "seq", !a.common.quiet);
  SequenceChunk chunk;
  int64_t done = 0, padded_windows = 0, padded_bases = 0;
  int64_t shortest = std::numeric_limits<int64_t>::max(), longest = 0;
  const int64_t chunk_size = (a.chunk + a.batch_size - 1) / a.batch_size * a.batch_size;  // whole batches
  while (source->next(chunk_size, chunk)) {
    const int64_t length = chunk_length(chunk, info, expected);
    at::Tensor x = torch::zeros({static_cast<int64_t>(chunk.sequences.size()), alphabet.size(), length}, torch::kInt8);
    for (size_t i = 0; i < chunk.sequences.size(); ++i) {
      shortest = std::min<int64_t>(shortest, static_cast<int64_t>(chunk.sequences[i].size()));
      longest = std::max<int64_t>(longest, static_cast<int64_t>(chunk.sequences[i].size()));
      const int64_t len = static_cast<int64_t>(chunk.sequences[i].size());
      if (len == length) {
        one_hot_encode_into(chunk.sequences[i], alphabet, x[static_cast<int64_t>(i)].data_ptr<int8_t>(),
                            UnknownRule::kZero, chunk.where[i]);
        continue;
      }
      // A shorter sequence fills the first columns of its (A, length) row; the rest stays zero.
      at::Tensor row = torch::zeros({alphabet.size(), len}, torch::kInt8);
      one_hot_encode_into(chunk.sequences[i], alphabet, row.data_ptr<int8_t>(), UnknownRule::kZero, chunk.where[i]);
      x[static_cast<int64_t>(i)].narrow(1, 0, len).copy_(row);
    }
    popts.progress = [&](int64_t d, int64_t) { bar.update(done + d); };
    if (mc.enabled()) {
      // Masks are seeded per sample and batch position: chunks start at a batch boundary (the
      // chunk is rounded to whole batches below), so results do not depend on --chunk.
      McPrediction p = predict_mc(model, x, {}, popts, mc);
      writer->write(chunk.labels, p.mean);
      sd_writer->write(chunk.labels, p.sd);
    } else {
      writer->write(chunk.labels, predict(model, x, {}, popts));
    }
    done += x.size(0);
    padded_windows += chunk.padded_windows;
    padded_bases += chunk.padded_bases;
  }
  if (done == 0) throw Error((a.fasta.empty() ? a.bed : a.fasta) + ": no sequences");
  writer->close();
  if (sd_writer) sd_writer->close();
  bar.finish();
  double secs = bar.elapsed_seconds();
  std::string files;
  for (const auto& f : writer->files()) files += (files.empty() ? "" : ", ") + f;
  if (sd_writer) {
    for (const auto& f : sd_writer->files()) files += ", " + f;
  }
  std::fprintf(stderr, "seqnn predict: %lld sequences of length %s on %s in %.1f s (%.0f seq/s)", static_cast<long long>(done),
               length_range(shortest, longest).c_str(), device.c_str(), secs, done / std::max(secs, 1e-9));
  if (!a.bed.empty()) {
    std::fprintf(stderr, "; %lld windows ran off their chromosome (%lld bases padded with N)",
                 static_cast<long long>(padded_windows), static_cast<long long>(padded_bases));
  }
  std::fprintf(stderr, "; peak RSS %.0f MiB -> %s\n", peak_rss_mib(), files.c_str());
}

}  // namespace

void register_predict(CLI::App& app) {
  auto a = std::make_shared<PredictArgs>();
  auto* cmd = add_command(app, "predict", "predict with a model on sequences from FASTA or BED windows");
  cmd->add_option("--model,-m", a->model, "model file (TorchScript or native seqnn)")->required();
  cmd->add_option("--fasta,-f", a->fasta, "sequences (FASTA: plain, gzip or bgzip)");
  cmd->add_option("--bed,-b", a->bed, "intervals (BED/narrowPeak); windows are cut from --genome");
  cmd->add_option("--genome,-g", a->genome, "reference FASTA with .fai (bgzip also needs .gzi)");
  cmd->add_option("--length,-l", a->length, "window length for --bed (default: the model's input length)");
  cmd->add_flag("--summit", a->summit, "centre BED windows on the narrowPeak summit (column 10)");
  cmd->add_option("--out,-o", a->out, "output: .tsv or .npy")->required();
  cmd->add_option("--batch-size", a->batch_size, "sequences per forward pass")->capture_default_str();
  cmd->add_option("--chunk", a->chunk, "sequences read and encoded at a time (bounds memory)")->capture_default_str();
  cmd->add_option("--dtype", a->dtype, "compute dtype: float32, float64, float16, bfloat16 (the last two for CUDA)")
      ->capture_default_str();
  add_mc_options(cmd, a->mc, /*with_pairing=*/false);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_predict(*a); });
}

}  // namespace seqnn::cli
