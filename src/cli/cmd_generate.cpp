// seqnn train-lm / generate: a character-level language model on sequences, and sampling from it.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/common_options.h"
#include "cli/distributed_options.h"
#include "seqnn/training/lm_run.h"
#include "seqnn/util/atomic_file.h"

namespace seqnn::cli {
namespace {

struct TrainLmArgs {
  CommonOptions common;
  DistributedCliOptions dist;
  int64_t split_seed = 0;  // INT, as `seqnn train --split-seed`
  std::string cell = "lstm";
  LmRunOptions run;
};

void run_train_lm(TrainLmArgs& a) {
  if (auto status = launch_local_workers_if_asked(a.dist, "seqnn train-lm")) {
    if (*status != 0) std::exit(*status);
    return;
  }
  const std::string device = apply_common_options(a.common);
  const JoinedRun run = join_training_run(a.dist, "cpu");
  a.run.train.parallel = run.parallel;
  if (device != "cpu" && run.reports()) std::fprintf(stderr, "seqnn train-lm: note: the language model trains on the CPU\n");
  a.run.train.seed = a.common.seed;
  a.run.split_seed = static_cast<uint64_t>(a.split_seed);
  a.run.model.cell = parse_enum(a.cell, rnn_cell_names(), "--cell");
  a.run.train.progress = !a.common.quiet && run.reports();
  const LmRunResult r = train_lm_on_fasta(a.run);
  if (run.reports()) std::fprintf(stderr, "seqnn train-lm: %s\n", lm_run_summary(r, a.run).c_str());
}

struct GenerateArgs {
  CommonOptions common;
  std::string model, out;
  GenerateOptions gen;
};

void run_generate(GenerateArgs& a) {
  apply_common_options(a.common);
  a.gen.seed = a.common.seed;
  a.gen.progress = !a.common.quiet;
  const GeneratedFasta g = generate_fasta(a.model, a.gen);
  if (a.out.empty() || a.out == "-") {
    std::fwrite(g.text.data(), 1, g.text.size(), stdout);
  } else {
    AtomicFile f(a.out);
    f.write(g.text);
    f.commit();
  }
  std::fprintf(stderr, "seqnn generate: %lld sequences, mean length %.1f, temperature %g, seed %llu -> %s\n",
               static_cast<long long>(a.gen.n), static_cast<double>(g.letters) / a.gen.n, a.gen.temperature,
               static_cast<unsigned long long>(a.gen.seed), a.out.empty() ? "stdout" : a.out.c_str());
}

}  // namespace

void register_train_lm(CLI::App& app) {
  auto a = std::make_shared<TrainLmArgs>();
  LmRunOptions& run = a->run;
  auto* cmd = add_command(app, "train-lm", "train a character-level language model on FASTA sequences");
  add_fasta_option(cmd, run.fasta, "training sequences (FASTA or aligned FASTA/a2m)")->required();
  add_out_option(cmd, run.train.out_dir, "output directory (metrics.csv, checkpoint_<N>.pt, model_best.pt, config.json)");
  cmd->add_flag("--strip-gaps", run.strip_gaps, "remove '-' and '.' (alignment gaps); sequences are upper-cased");
  cmd->add_option("--alphabet", run.model.alphabet, "dna, rna or protein")->capture_default_str();
  std::vector<std::string> cells;
  for (const auto& c : rnn_cell_names()) cells.emplace_back(c.name);
  cmd->add_option("--cell", a->cell, "recurrent cell")->check(CLI::IsMember(cells))->capture_default_str();
  cmd->add_option("--embedding", run.model.embedding, "token embedding size (> 0)")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--hidden", run.model.hidden, "recurrent hidden size")->check(kPositive)->capture_default_str();
  cmd->add_option("--layers", run.model.layers, "stacked recurrent layers")->check(kPositive)->capture_default_str();
  cmd->add_option("--dropout", run.model.dropout, "dropout on the recurrent outputs")->check(CLI::Range(0.0, 0.999999))->capture_default_str();
  add_epochs_option(cmd, run.train.epochs);
  add_batch_size_option(cmd, run.train.batch_size, "sequences per batch");
  add_lr_option(cmd, run.train.lr, "Adam learning rate");
  cmd->add_option("--clip-grad-norm", run.train.clip_grad_norm, "gradient-norm clipping (0 = off)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_val_fraction_option(cmd, run.val_fraction);
  cmd->add_option("--split-seed", a->split_seed, "seed of the held-out split")->check(kNonNegative)->capture_default_str();
  add_resume_flag(cmd, run.train.resume);
  add_common_options(cmd, a->common);
  add_distributed_options(cmd, a->dist);
  cmd->callback([a] { run_train_lm(*a); });
}

void register_generate(CLI::App& app) {
  auto a = std::make_shared<GenerateArgs>();
  auto* cmd = add_command(app, "generate", "sample sequences from a character-level language model");
  add_model_option(cmd, a->model, "language model (model_best.pt from train-lm)");
  cmd->add_option("--n", a->gen.n, "number of sequences")->check(kPositive)->capture_default_str();
  cmd->add_option("--max-length", a->gen.max_length, "stop a sequence at this many letters (> 0)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--temperature", a->gen.temperature, "softmax temperature (< 1 sharper, > 1 more diverse)")
      ->check(kPositive)
      ->capture_default_str();
  add_out_option(cmd, a->out, "output FASTA (default stdout)")->required(false);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_generate(*a); });
}

}  // namespace seqnn::cli
