// seqnn ism: in-silico saturation mutagenesis of FASTA sequences, streamed to .npy files a few
// sequences at a time (memory depends on the chunk, not on the number of sequences).
#include <torch/torch.h>

#include <cstdio>
#include <map>

#include "cli/common_options.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/runtime_info.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {
namespace {

struct IsmArgs {
  CommonOptions common;
  McCliOptions mc;
  std::string model, fasta, out, mode = "diff";
  std::vector<std::string> targets;
  int64_t start = 0, end = -1;
  int64_t batch_size = 64, chunk = 16;
};

// --target names or indices → column indices, using the model's output names.
std::vector<int64_t> target_indices(const std::vector<std::string>& targets, const ModelInfo& info) {
  std::vector<int64_t> out;
  for (const auto& t : targets) {
    int64_t found = -1;
    for (size_t c = 0; c < info.output_names.size() && found < 0; ++c) {
      if (info.output_names[c] == t) found = static_cast<int64_t>(c);
    }
    if (found < 0 && !t.empty() && t.find_first_not_of("0123456789") == std::string::npos) found = std::stoll(t);
    if (found < 0) throw Error("--target '" + t + "' is neither an index nor one of the model's output names");
    out.push_back(found);
  }
  return out;
}

// One .npy stream per (array name): OUT.npy when there is a single array, else OUT.<name>.npy.
class IsmOutputs {
 public:
  IsmOutputs(std::string out) : stem_(out.substr(0, out.size() - 4)), rows_(std::make_unique<AtomicFile>(stem_ + ".rows.tsv")) {}
  void write(const std::vector<std::pair<std::string, at::Tensor>>& arrays, const RowLabels& labels) {
    if (streams_.empty()) {
      for (const auto& [name, t] : arrays) {
        const std::string path = arrays.size() == 1 ? stem_ + ".npy" : stem_ + "." + name + ".npy";
        std::vector<int64_t> trailing(t.sizes().begin() + 1, t.sizes().end());
        streams_.push_back(std::make_unique<NpyWriter>(path, at::kFloat, trailing));
      }
      rows_->write(join(labels.columns) + "\n");
    }
    for (size_t i = 0; i < arrays.size(); ++i) streams_[i]->append(arrays[i].second);
    std::string buf;
    for (const auto& r : labels.rows) buf += join(r) + "\n";
    rows_->write(buf);
  }
  std::vector<std::string> close() {
    std::vector<std::string> files;
    for (auto& s : streams_) {
      s->close();
      files.push_back(s->path());
    }
    files.push_back(rows_->path());
    rows_->commit();
    return files;
  }

 private:
  std::string stem_;
  std::unique_ptr<AtomicFile> rows_;
  std::vector<std::unique_ptr<NpyWriter>> streams_;
};

// The arrays of one chunk, named "<output>" (single output: "ism") plus a suffix per kind.
std::vector<std::pair<std::string, at::Tensor>> ism_arrays(const IsmResult& r, const std::string& mode) {
  std::vector<std::pair<std::string, at::Tensor>> arrays;
  const bool single = r.output_names.size() == 1;
  auto name = [&](size_t j, const std::string& what) {
    return single ? what : r.output_names[j] + (what.empty() ? "" : "." + what);
  };
  if (!r.mc.empty()) {
    const std::vector<std::string> stats = {"ref_mean", "ref_sd", "alt_mean", "alt_sd", "diff_mean", "diff_sd", "corr", "p_diff_gt0"};
    using S = PairedMoments::Summary;
    const std::vector<at::Tensor S::*> members = {&S::ref_mean, &S::ref_sd, &S::alt_mean, &S::alt_sd, &S::diff_mean, &S::diff_sd, &S::corr, &S::p_diff_positive};
    for (size_t j = 0; j < r.mc.size(); ++j) {
      for (size_t s = 0; s < stats.size(); ++s) arrays.emplace_back(name(j, stats[s]), r.mc[j].*members[s]);
    }
    return arrays;
  }
  for (size_t j = 0; j < r.mutants.size(); ++j) {
    at::Tensor diff = ism_difference(r.mutants[j], r.reference[j]);
    if (mode == "raw") {
      arrays.emplace_back(name(j, "mutants"), r.mutants[j]);
      arrays.emplace_back(name(j, "reference"), r.reference[j]);
    } else if (mode == "diff") {
      arrays.emplace_back(name(j, ""), diff);
    } else {
      arrays.emplace_back(name(j, ""), ism_attribution(diff));
    }
  }
  if (single && arrays.size() == 1) arrays[0].first = "ism";
  return arrays;
}

at::Tensor encode_chunk(const SequenceChunk& chunk, const Alphabet& alphabet, int64_t& length) {
  for (size_t i = 0; i < chunk.sequences.size(); ++i) {
    const int64_t len = static_cast<int64_t>(chunk.sequences[i].size());
    if (length <= 0) length = len;
    if (len != length) fail(chunk.where[i], "sequence length " + std::to_string(len) + " differs from " + std::to_string(length) + " (ism needs one length)");
  }
  at::Tensor x = torch::zeros({static_cast<int64_t>(chunk.sequences.size()), alphabet.size(), length}, torch::kInt8);
  for (size_t i = 0; i < chunk.sequences.size(); ++i) {
    one_hot_encode_into(chunk.sequences[i], alphabet, x[static_cast<int64_t>(i)].data_ptr<int8_t>(), UnknownRule::kZero, chunk.where[i]);
  }
  return x;
}

void run_ism(const IsmArgs& a) {
  const std::string device = apply_common_options(a.common);
  if (a.mode != "raw" && a.mode != "diff" && a.mode != "attribution") throw Error("--mode " + a.mode + ": choose raw, diff or attribution");
  if (!ends_with(a.out, ".npy")) throw Error(a.out + ": ism writes .npy arrays (give --out NAME.npy)");
  if (a.batch_size <= 0 || a.chunk <= 0) throw Error("--batch-size and --chunk must be positive");
  Model model = Model::load(a.model);
  const ModelInfo info = model.info();
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  IsmOptions opts;
  opts.predict.batch_size = a.batch_size;
  opts.start = a.start;
  opts.end = a.end;
  opts.targets = target_indices(a.targets, info);
  opts.mc = to_mc_options(a.mc);
  ModelStateGuard placement(model, device, std::nullopt);

  auto source = fasta_source(a.fasta);
  IsmOutputs outputs(a.out);
  int64_t length = info.input_length.value_or(0), sequences = 0, mutants = 0, passes = 0;
  ProgressBar bar("ism", 0, "mut", !a.common.quiet);
  SequenceChunk chunk;
  while (source->next(a.chunk, chunk)) {
    at::Tensor x = encode_chunk(chunk, alphabet, length);
    const int64_t base = passes;
    opts.predict.progress = [&](int64_t done, int64_t) { bar.update(base + done); };
    IsmResult r = ism(model, x, {}, opts);
    outputs.write(ism_arrays(r, a.mode), chunk.labels);
    sequences += x.size(0);
    passes = bar.done();  // mutants x MC samples
    const int64_t window = a.end > 0 ? std::min<int64_t>(a.end, x.size(2)) - a.start : x.size(2) - a.start;
    mutants += x.size(0) * window * (x.size(1) - 1);
  }
  if (sequences == 0) throw Error(a.fasta + ": no sequences");
  const std::vector<std::string> files = outputs.close();
  bar.finish();
  const double secs = bar.elapsed_seconds();
  std::fprintf(stderr, "seqnn ism: %lld sequences, %lld mutants%s on %s in %.1f s (%.0f mutant passes/s); peak RSS %.0f MiB -> %s\n",
               static_cast<long long>(sequences), static_cast<long long>(mutants),
               opts.mc.enabled() ? (" x " + std::to_string(opts.mc.samples) + " MC samples").c_str() : "", device.c_str(), secs,
               passes / std::max(secs, 1e-9), peak_rss_mib(), join(files, ' ').c_str());
}

}  // namespace

void register_ism(CLI::App& app) {
  auto a = std::make_shared<IsmArgs>();
  auto* cmd = add_command(app, "ism", "in-silico saturation mutagenesis: every single-base substitution");
  cmd->add_option("--model,-m", a->model, "model file (TorchScript or native seqnn)")->required();
  cmd->add_option("--fasta,-f", a->fasta, "sequences (all of one length)")->required();
  cmd->add_option("--out,-o", a->out, "output OUT.npy (several outputs: OUT.<name>.npy; identities in OUT.rows.tsv)")->required();
  cmd->add_option("--start", a->start, "first position to mutate (0-based)")->capture_default_str();
  cmd->add_option("--end", a->end, "end of the mutated window, exclusive (-1 = sequence end)")->capture_default_str();
  cmd->add_option("--target", a->targets, "output columns to keep, by index or name (default: all)");
  cmd->add_option("--mode", a->mode, "raw (mutants + reference), diff (mutant - reference) or attribution (N, A, L_w)")
      ->capture_default_str();
  cmd->add_option("--batch-size", a->batch_size, "mutants per forward pass")->capture_default_str();
  cmd->add_option("--chunk", a->chunk, "sequences mutated at a time (bounds memory)")->capture_default_str();
  add_mc_options(cmd, a->mc, /*with_pairing=*/true);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_ism(*a); });
}

}  // namespace seqnn::cli
