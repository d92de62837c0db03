#pragma once
// The flags every seqnn command shares (one vocabulary across commands, like bcftools), and the
// per-command plumbing: apply threads/seed, warn about a slow BLAS, run with one-line errors.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "seqnn/inference/mc_dropout.h"

namespace seqnn::cli {

struct CommonOptions {
  std::string device = "auto";
  int threads = 0;  // 0 = LibTorch's default
  uint64_t seed = 0;
  bool quiet = false;
};

// Adds --device, --threads, --seed, --quiet to a subcommand.
void add_common_options(CLI::App* cmd, CommonOptions& opts);
// Applies threads and seed; resolves the device name (throws seqnn::Error for a bad one).
std::string apply_common_options(const CommonOptions& opts);

// --mc-samples K, --mc-seed S, --mc-pairing paired|independent (predict, ism, score-variants).
struct McCliOptions {
  int64_t samples = 0;
  uint64_t seed = 0;
  std::string pairing = "paired";
};
void add_mc_options(CLI::App* cmd, McCliOptions& opts, bool with_pairing);
McOptions to_mc_options(const McCliOptions& opts);

// Registers a subcommand whose body runs inside the error handler: seqnn::Error and other
// exceptions become "seqnn <name>: error: <one line>" and exit code 1.
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description);

// Each command file defines one of these.
void register_info(CLI::App& app);
void register_predict(CLI::App& app);
void register_simulate(CLI::App& app);
void register_init_model(CLI::App& app);
void register_ism(CLI::App& app);
void register_score_variants(CLI::App& app);
void register_train(CLI::App& app);
void register_train_lm(CLI::App& app);  // cmd_generate.cpp
void register_generate(CLI::App& app);
void register_plot_metrics(CLI::App& app);
void register_deepseq(CLI::App& app);  // cmd_deepseq.cpp: train | score | weights
void register_rna(CLI::App& app);  // cmd_rna.cpp: train | predict | eval

}  // namespace seqnn::cli
