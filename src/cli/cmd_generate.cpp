// seqnn train-lm / generate: a character-level language model on sequences, and sampling from it.
#include <torch/torch.h>

#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/training/char_lm.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn::cli {
namespace {

struct TrainLmArgs {
  CommonOptions common;
  std::string fasta, result;
  bool strip_gaps = false;
  CharLmConfig model;
  LmTrainOptions train;
  double val_fraction = 0.1;
  uint64_t split_seed = 0;
};

void run_train_lm(TrainLmArgs& a) {
  const std::string device = apply_common_options(a.common);
  if (device != "cpu") std::fprintf(stderr, "seqnn train-lm: note: the language model trains on the CPU\n");
  if (a.result.empty()) throw Error("--result is required");
  Dataset data = load_fasta_sequences(a.fasta, a.strip_gaps);
  SplitOptions so;
  so.val_fraction = a.val_fraction;
  so.split_seed = a.split_seed;
  Split split = make_split(data, so);
  CharLm lm = make_char_lm(CharLmConfig::from_json(a.model.to_json(), "flags"), a.common.seed);
  a.train.seed = a.common.seed;
  a.train.result_dir = a.result;
  a.train.progress = !a.common.quiet;
  LmTrainResult r = train_char_lm(lm, data, split, a.train);
  std::fprintf(stderr,
               "seqnn train-lm: %zu training, %zu validation sequences; %lld epochs (%lld in this run, %.1f s, %.0f "
               "tokens/s); best epoch %lld, validation perplexity %.4f -> %s/lm_best.pt\n",
               split.train.size(), split.val.size(), static_cast<long long>(a.train.epochs),
               static_cast<long long>(r.epochs_run), r.train_seconds,
               r.train_tokens / std::max(r.train_seconds, 1e-9), static_cast<long long>(r.best_epoch),
               r.best_val_perplexity, a.result.c_str());
}

struct GenerateArgs {
  CommonOptions common;
  std::string model, out;
  int64_t n = 10, max_length = 1000;
  double temperature = 1.0;
};

void run_generate(const GenerateArgs& a) {
  apply_common_options(a.common);
  if (a.n <= 0 || a.max_length <= 0) throw Error("--n and --max-length must be positive");
  CharLm lm = load_char_lm(a.model);
  ProgressBar bar("generate", a.n, "seq", !a.common.quiet);
  std::string fasta;
  int64_t letters = 0;
  for (int64_t i = 0; i < a.n; ++i) {
    // One sequence per seed offset, so sequence i does not depend on how many are asked for.
    const std::string s = generate_sequences(lm, 1, a.max_length, a.temperature, a.common.seed + static_cast<uint64_t>(i))[0];
    fasta += ">gen_" + std::to_string(i + 1) + " length=" + std::to_string(s.size()) + " temperature=" +
             std::to_string(a.temperature) + "\n" + s + "\n";
    letters += static_cast<int64_t>(s.size());
    bar.advance(1);
  }
  bar.finish();
  if (a.out.empty() || a.out == "-") {
    std::fwrite(fasta.data(), 1, fasta.size(), stdout);
  } else {
    AtomicFile f(a.out);
    f.write(fasta);
    f.commit();
  }
  std::fprintf(stderr, "seqnn generate: %lld sequences, mean length %.1f, temperature %g, seed %llu -> %s\n",
               static_cast<long long>(a.n), static_cast<double>(letters) / a.n, a.temperature,
               static_cast<unsigned long long>(a.common.seed), a.out.empty() ? "stdout" : a.out.c_str());
}

}  // namespace

void register_train_lm(CLI::App& app) {
  auto a = std::make_shared<TrainLmArgs>();
  auto* cmd = add_command(app, "train-lm", "train a character-level language model on FASTA sequences");
  cmd->add_option("--fasta,-f", a->fasta, "training sequences (FASTA or aligned FASTA/a2m)")->required();
  cmd->add_option("--result", a->result, "result directory (metrics.csv, lm_ckpt_ep_<N>.pt, lm_best.pt)")->required();
  cmd->add_flag("--strip-gaps", a->strip_gaps, "remove '-' and '.' (alignment gaps); sequences are upper-cased");
  cmd->add_option("--alphabet", a->model.alphabet, "dna, rna or protein")->capture_default_str();
  cmd->add_option("--cell", a->model.cell, "lstm or gru")->capture_default_str();
  cmd->add_option("--embedding", a->model.embedding, "token embedding size")->capture_default_str();
  cmd->add_option("--hidden", a->model.hidden, "recurrent hidden size")->capture_default_str();
  cmd->add_option("--layers", a->model.layers, "stacked recurrent layers")->capture_default_str();
  cmd->add_option("--dropout", a->model.dropout, "dropout on the recurrent outputs")->capture_default_str();
  cmd->add_option("--epochs", a->train.epochs, "training epochs")->capture_default_str();
  cmd->add_option("--batch-size", a->train.batch_size, "sequences per batch")->capture_default_str();
  cmd->add_option("--lr", a->train.lr, "Adam learning rate")->capture_default_str();
  cmd->add_option("--clip-grad-norm", a->train.clip_grad_norm, "gradient-norm clipping (0 = off)")->capture_default_str();
  cmd->add_option("--val-fraction", a->val_fraction, "held-out fraction for perplexity")->capture_default_str();
  cmd->add_option("--split-seed", a->split_seed, "seed of the held-out split")->capture_default_str();
  cmd->add_flag("--resume", a->train.resume,
                "continue an interrupted run in --result (same flags; gives the uninterrupted run's result)");
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_train_lm(*a); });
}

void register_generate(CLI::App& app) {
  auto a = std::make_shared<GenerateArgs>();
  auto* cmd = add_command(app, "generate", "sample sequences from a character-level language model");
  cmd->add_option("--model,-m", a->model, "language model (lm_best.pt from train-lm)")->required();
  cmd->add_option("--n", a->n, "number of sequences")->capture_default_str();
  cmd->add_option("--max-length", a->max_length, "stop a sequence at this many letters")->capture_default_str();
  cmd->add_option("--temperature,-t", a->temperature, "softmax temperature (< 1 sharper, > 1 more diverse)")
      ->capture_default_str();
  cmd->add_option("--out,-o", a->out, "output FASTA (default stdout)");
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_generate(*a); });
}

}  // namespace seqnn::cli
