// seqnn rna train: train the S1 model on a table of sequences and structures.
#include <cstdio>
#include <cstdlib>

#include "cli/common_options.h"
#include "cli/distributed_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/s1_run.h"

namespace seqnn::cli {
namespace {

struct RnaTrainArgs {
  CommonOptions common;
  DistributedCliOptions dist;
  std::string loss_weights;
  std::string inputs = "sequence";
  rna::S1RunOptions run;
};

void run_rna_train(RnaTrainArgs& a) {
  if (auto status = launch_local_workers_if_asked(a.dist, "seqnn rna train")) {
    if (*status != 0) std::exit(*status);
    return;
  }
  const JoinedRun run = join_training_run(a.dist, apply_common_options(a.common));
  a.run.device = run.device;
  a.run.train.parallel = run.parallel;
  a.run.train.seed = a.common.seed;
  a.run.train.progress = !a.common.quiet && run.reports();
  a.run.train.loss_weights = rna::S1LossWeights::parse(a.loss_weights);
  a.run.config.inputs = rna::parse_s1_inputs(a.inputs);
  if (run.reports()) a.run.on_start = [](const std::string& line) { std::fprintf(stderr, "seqnn rna train: %s\n", line.c_str()); };
  const rna::S1RunResult r = rna::run_s1_training(a.run);
  if (!run.reports()) return;
  const auto& s = r.summary;
  const auto& t = a.run.train;
  std::fprintf(stderr,
               "seqnn rna train: %lld train / %lld validation records (%lld longer than %lld dropped), %lld epochs in %.1f s%s; "
               "best epoch %lld (summed score %.4f, mean on-auROC %.4f) -> %s/model_best.pt, %s/metrics.csv\n",
               static_cast<long long>(s.train_records), static_cast<long long>(s.validation_records),
               static_cast<long long>(s.dropped_long), static_cast<long long>(t.max_length),
               static_cast<long long>(t.epochs), s.seconds, describe_ranks(s.ranks, s.exposed_comm_seconds, s.steps).c_str(), static_cast<long long>(s.best_epoch), s.best_score,
               r.mean_on_auroc, t.out_dir.c_str(), t.out_dir.c_str());
}

// A list of integers: space-separated values, or one comma-separated value ("32,32,64").
CLI::Option* add_int_list(CLI::App* cmd, const std::string& name, std::vector<int64_t>& values, const std::string& help) {
  return cmd->add_option(name, values, help)->delimiter(',')->check(kPositive)->capture_default_str();
}

}  // namespace

void register_rna_train(CLI::App& rna) {
  auto a = std::make_shared<RnaTrainArgs>();
  rna::S1RunOptions& run = a->run;
  auto* cmd = add_command(rna, "train", "train the S1 box model (metrics.csv and a checkpoint per epoch)");
  cmd->add_option("--data,-d", run.data, "TSV/CSV (.gz ok) with sequence and structure or base_pairs columns")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--val-data", run.val_data, "validation table (instead of a random split of --data)")->type_name("FILE");
  add_out_option(cmd, run.train.out_dir, "output directory (metrics.csv, checkpoint_<N>.pt, model_best.pt, config.json)");
  auto* filters = add_int_list(cmd, "--num-filters", run.config.filters, "filters per 2D conv layer (e.g. 32 32 64)");
  auto* widths = add_int_list(cmd, "--filter-width", run.config.widths, "kernel width per conv layer (same count)");
  auto* dense = add_int_list(cmd, "--dense-units", run.config.hidden, "sizes of the shared 1x1 conv layers");
  auto* inputs = cmd->add_option("--inputs", a->inputs,
                                 "sequence: the one-hot pair map; thermo: also the folding engine's pair probabilities "
                                 "and MFE pairs (docs/rna.md)")
                     ->check(CLI::IsMember({"sequence", "thermo"}))
                     ->capture_default_str();
  cmd->add_option("--init", run.init, "start from this S1 model's weights and architecture (fine-tuning)")
      ->type_name("FILE")
      ->check(CLI::ExistingFile)
      ->excludes(filters)
      ->excludes(widths)
      ->excludes(dense)
      ->excludes(inputs);
  add_epochs_option(cmd, run.train.epochs);
  add_batch_size_option(cmd, run.train.batch_size, "sequences per batch");
  add_lr_option(cmd, run.train.learning_rate, "Adam learning rate");
  cmd->add_option("--max-length", run.train.max_length, "drop sequences longer than this (0 = keep all)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_val_fraction_option(cmd, run.train.validation_fraction);
  cmd->add_option("--bucket-width", run.train.bucket_width, "length bucket (nt) for batching")
      ->check(kPositive)
      ->capture_default_str();
  cmd->add_option("--train-eval-size", run.train.train_eval_size, "training records scored per epoch (0 = validation size)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--loss-weights", a->loss_weights,
                  "weights of the loss kinds, e.g. on=10 (kinds on, location, sm_size, sl_size; default all 1)");
  cmd->add_option("--max-records", run.max_records, "read only the first N records (0 = all)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_resume_flag(cmd, run.train.resume);
  add_common_options(cmd, a->common);
  add_distributed_options(cmd, a->dist);
  cmd->callback([a] { run_rna_train(*a); });
}

}  // namespace seqnn::cli
