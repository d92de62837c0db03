// seqnn rna train: train the S1 model on a table of sequences and structures.
#include <torch/torch.h>

#include <cstdio>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/rna/s1_train.h"
#include "seqnn/util/error.h"

namespace seqnn::cli {
namespace {

struct RnaTrainArgs {
  CommonOptions common;
  std::string data, val_data, out, init;
  std::vector<std::string> filters{"32,32,64,64,64,128,128"}, widths{"9,9,9,9,9,9,9"}, hidden{"50"};
  int64_t max_records = 0;
  std::string loss_weights;
  rna::S1TrainOptions train;
};

void run_rna_train(RnaTrainArgs& a) {
  S1Run run{a.data, a.val_data, a.init, apply_common_options(a.common), a.max_records};
  rna::S1Config cfg;
  cfg.filters = parse_int_list(a.filters, "--num-filters");
  cfg.widths = parse_int_list(a.widths, "--filter-width");
  cfg.hidden = parse_int_list(a.hidden, "--hidden");
  a.train.seed = a.common.seed;
  a.train.out_dir = a.out;
  a.train.progress = !a.common.quiet;
  a.train.loss_weights = rna::S1LossWeights::parse(a.loss_weights);
  run_s1_training(run, cfg, a.train);
}

}  // namespace

void run_s1_training(const S1Run& run, const rna::S1Config& cfg, rna::S1TrainOptions opts) {
  if (run.init.empty()) cfg.validate("--num-filters/--filter-width");
  if (opts.validation_fraction <= 0.0 || opts.validation_fraction >= 1.0) throw Error("--validation-fraction must be in (0, 1)");
  auto records = rna::read_rna_table(run.data, run.max_records);
  std::vector<rna::RnaRecord> validation;
  if (!run.val_data.empty()) validation = rna::read_rna_table(run.val_data);
  // --init: start from a trained model (e.g. pre-trained on MFE structures), its architecture kept.
  rna::S1Model model = run.init.empty() ? rna::S1Model::create(cfg, opts.seed) : rna::S1Model::load(run.init);
  model.to(at::Device(run.device));
  std::fprintf(stderr, "seqnn rna train: %zu records from %s, S1 with %lld parameters on %s, loss weights %s\n",
               records.size(), run.data.c_str(), static_cast<long long>(model.num_parameters()), run.device.c_str(),
               opts.loss_weights.to_string().c_str());
  const auto s = rna::train_s1(model, std::move(records), opts, std::move(validation));
  double on_auroc = 0;
  for (const auto& [k, v] : s.best_validation) on_auroc += (k.find("_on.auroc") != std::string::npos) ? v / 3.0 : 0.0;
  std::fprintf(stderr,
               "seqnn rna train: %lld train / %lld validation records (%lld longer than %lld dropped), %lld epochs in %.1f s; "
               "best epoch %lld (summed score %.4f, mean on-auROC %.4f) -> %s/model_best.pt, %s/metrics.csv\n",
               static_cast<long long>(s.train_records), static_cast<long long>(s.validation_records),
               static_cast<long long>(s.dropped_long), static_cast<long long>(opts.max_length),
               static_cast<long long>(opts.epochs), s.seconds, static_cast<long long>(s.best_epoch), s.best_score, on_auroc,
               opts.out_dir.c_str(), opts.out_dir.c_str());
}

void register_rna_train(CLI::App& rna) {
  auto a = std::make_shared<RnaTrainArgs>();
  auto* cmd = rna.add_subcommand("train", "train the S1 box model (metrics.csv and a checkpoint per epoch)");
  cmd->add_option("--data,-d", a->data, "TSV/CSV (.gz ok) with sequence and structure or base_pairs columns")->required();
  cmd->add_option("--val-data", a->val_data, "validation table (instead of a random split of --data)");
  cmd->add_option("--out,-o", a->out, "output directory (metrics.csv, model_epoch_<k>.pt, model_best.pt)")->required();
  cmd->add_option("--num-filters", a->filters, "filters per 2D conv layer (e.g. 32,32,64)")->capture_default_str();
  cmd->add_option("--filter-width", a->widths, "kernel width per conv layer (same count)")->capture_default_str();
  auto* hidden = cmd->add_option("--hidden", a->hidden, "shared 1x1 layer sizes")->capture_default_str();
  cmd->add_option("--init", a->init, "start from this S1 model's weights and architecture (fine-tuning)")
      ->check(CLI::ExistingFile)
      ->excludes(cmd->get_option("--num-filters"))
      ->excludes(cmd->get_option("--filter-width"))
      ->excludes(hidden);
  cmd->add_option("--epochs", a->train.epochs, "training epochs")->capture_default_str();
  cmd->add_option("--batch-size", a->train.batch_size, "sequences per batch")->capture_default_str();
  cmd->add_option("--lr", a->train.learning_rate, "Adam learning rate")->capture_default_str();
  cmd->add_option("--max-length", a->train.max_length, "drop sequences longer than this")->capture_default_str();
  cmd->add_option("--validation-fraction", a->train.validation_fraction, "held-out fraction (shuffled with --seed)")->capture_default_str();
  cmd->add_option("--bucket-width", a->train.bucket_width, "length bucket (nt) for batching")->capture_default_str();
  cmd->add_option("--train-eval-size", a->train.train_eval_size, "training records scored per epoch (0 = validation size)")
      ->capture_default_str();
  cmd->add_option("--loss-weights", a->loss_weights,
                  "weights of the loss kinds, e.g. on=10 (kinds on, location, sm_size, sl_size; default all 1)");
  cmd->add_option("--max-records", a->max_records, "read only the first N records (0 = all)")->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_rna_train(*a); });
}

}  // namespace seqnn::cli
