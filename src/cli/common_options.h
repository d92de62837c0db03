#pragma once
// The flags every seqnn command shares, each written once (one vocabulary across commands, like
// bcftools; docs/cli.md is the table), and the per-command plumbing: apply threads/seed, warn
// about a slow BLAS, register a command whose errors become one line.
//
// A command's file only wires flags to an options struct with these adders and calls one
// library function. Numeric flags are typed (INT, UINT, FLOAT in --help) and range-checked by
// CLI11, so `--batch-size 0` is refused before the command runs.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/util/resume.h"
#include "seqnn/util/shard.h"

namespace seqnn::cli {

struct CommonOptions {
  std::string device = "auto";
  int threads = 0;  // 0 = LibTorch's default
  uint64_t seed = 0;
  bool quiet = false;
};

// Range checks for numeric flags. CLI11's own PositiveNumber prints its range as
// "0.000000 to 1797693…" (309 digits); these say "--batch-size: must be greater than 0, got 0".
extern const CLI::Validator kPositive;     // > 0
extern const CLI::Validator kNonNegative;  // >= 0

// Adds --device, --threads, --seed, -q/--quiet to a command.
void add_common_options(CLI::App* cmd, CommonOptions& opts);
// Applies threads and seed; resolves the device name (throws seqnn::Error for a bad one).
std::string apply_common_options(const CommonOptions& opts);

// -m/--model FILE (required unless the caller says otherwise).
CLI::Option* add_model_option(CLI::App* cmd, std::string& path, const std::string& help = "model file (TorchScript or native seqnn)");
// -o/--out PATH (required): the output file, or the output directory of a training command.
CLI::Option* add_out_option(CLI::App* cmd, std::string& path, const std::string& help);
// -f/--fasta FILE.
CLI::Option* add_fasta_option(CLI::App* cmd, std::string& path, const std::string& help);
// -g/--genome FILE: an indexed reference FASTA.
CLI::Option* add_genome_option(CLI::App* cmd, std::string& path,
                               const std::string& help = "reference FASTA with .fai (bgzip also needs .gzi)");
// -b/--bed FILE: intervals whose windows are cut from --genome.
CLI::Option* add_bed_option(CLI::App* cmd, std::string& path, const std::string& help);
// -c/--config FILE: a JSON config.
CLI::Option* add_config_option(CLI::App* cmd, std::string& path, const std::string& help);
// --batch-size INT > 0: items per forward pass (or per training step).
CLI::Option* add_batch_size_option(CLI::App* cmd, int64_t& n, const std::string& help);
// --chunk INT > 0: items read and processed at a time (bounds memory).
CLI::Option* add_chunk_option(CLI::App* cmd, int64_t& n, const std::string& help);
// --target NAME|INDEX ...: output columns to keep (default all).
CLI::Option* add_target_option(CLI::App* cmd, std::vector<std::string>& targets);
// --ism-engine auto|incremental|naive: how single-base mutants are computed (ism, score-variants);
// parse the value with parse_enum(engine, ism_engine_names(), "--ism-engine").
CLI::Option* add_ism_engine_option(CLI::App* cmd, std::string& engine);

// The training vocabulary (train, train-lm, rna train, deepseq train).
// --epochs INT > 0.
CLI::Option* add_epochs_option(CLI::App* cmd, int64_t& epochs);
// --lr FLOAT > 0.
CLI::Option* add_lr_option(CLI::App* cmd, double& lr, const std::string& help = "learning rate");
// --val-fraction FLOAT in [0, 1).
CLI::Option* add_val_fraction_option(CLI::App* cmd, double& fraction);
// --resume: continue from the last checkpoint in --out (the same result as one uninterrupted run).
CLI::Option* add_resume_flag(CLI::App* cmd, bool& resume);
// --resume for the streaming commands (predict, ism, score-variants), which journal every run.
CLI::Option* add_stream_resume_flag(CLI::App* cmd, bool& resume);
// --shard i/N for the streaming commands: run block i of N of the input and write OUT.shard.json
// (seqnn/util/shard.h; `seqnn merge` joins the shards). Parse with parse_shard ("" = unsharded).
CLI::Option* add_shard_option(CLI::App* cmd, std::string& shard);
ShardSpec shard_from_flag(const std::string& shard);
// What a resumed streaming run must share with the interrupted one (seqnn/util/resume.h): every
// flag's value but --resume's and --quiet's, the size and modification time of every input file,
// and the seqnn version.
ResumeOptions resume_options(const CLI::App& cmd, bool resume);

// --mc-samples K, --mc-seed S, --mc-pairing paired|independent (predict, ism, score-variants).
struct McCliOptions {
  int64_t samples = 0;
  uint64_t seed = 0;
  std::string pairing = "paired";
};
void add_mc_options(CLI::App* cmd, McCliOptions& opts, bool with_pairing);
McOptions to_mc_options(const McCliOptions& opts);

// Registers a subcommand of app (or of a command group such as `rna`).
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description);

// Every command, as main() registers them (tests walk the same tree).
void register_all_commands(CLI::App& app);

// Each command file defines one of these.
void register_info(CLI::App& app);
void register_predict(CLI::App& app);
void register_simulate(CLI::App& app);
void register_init_model(CLI::App& app);
void register_models(CLI::App& app);
void register_ism(CLI::App& app);
void register_attribute(CLI::App& app);
void register_score_variants(CLI::App& app);
void register_train(CLI::App& app);
void register_evaluate(CLI::App& app);
void register_train_lm(CLI::App& app);  // cmd_generate.cpp
void register_generate(CLI::App& app);
void register_plot_metrics(CLI::App& app);
void register_plot_logo(CLI::App& app);
void register_seqlets(CLI::App& app);
void register_experiments(CLI::App& app);  // cmd_experiments.cpp: marginalize | ablate | space | design
void register_deepseq(CLI::App& app);  // cmd_deepseq.cpp: train | score | weights
void register_rna(CLI::App& app);  // cmd_rna.cpp: train | predict | eval
void register_mhc(CLI::App& app);  // cmd_mhc.cpp: train | predict
void register_merge(CLI::App& app);  // cmd_merge.cpp: joins --shard outputs

}  // namespace seqnn::cli
