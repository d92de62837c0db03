// seqnn mhc train: the pan-allele model on a table of measurements and allele pseudo-sequences.
#include <cstdio>

#include "cli/common_options.h"
#include "cli/mhc_commands.h"
#include "seqnn/mhc/train_run.h"
#include "seqnn/training/train_request.h"
#include "seqnn/util/error.h"

namespace seqnn::cli {
namespace {

struct MhcTrainArgs {
  CommonOptions common;
  std::vector<std::string> filters;
  std::vector<std::string> target_columns = {"meas"};
  int64_t split_seed = 0;
  mhc::MhcTrainOptions run;
};

void run_mhc_train(MhcTrainArgs& a) {
  mhc::MhcTrainOptions& o = a.run;
  o.train.device = apply_common_options(a.common);
  o.train.seed = a.common.seed;
  o.train.progress = !a.common.quiet;
  o.split.split_seed = static_cast<uint64_t>(a.split_seed);
  if (a.target_columns.size() != 1) throw Error("--target-columns: the pan-allele model has one target column");
  o.columns.target_column = a.target_columns[0];
  for (const auto& f : a.filters) o.columns.filters.push_back(mhc::parse_filter(f));
  o.on_start = [](const std::string& line) { std::fprintf(stderr, "seqnn mhc train: %s\n", line.c_str()); };
  const mhc::MhcTrainResult r = mhc::run_mhc_training(o);
  for (size_t k = 0; k < r.members.size(); ++k) {
    TrainJobResult member;
    member.train = r.members[k];
    member.test.metrics = r.members[k].test_metrics;
    member.test_rows = r.test_rows;
    std::fprintf(stderr, "seqnn mhc train: %s%s\n", r.members.size() > 1 ? ("member " + std::to_string(k) + ": ").c_str() : "",
                 summarize_train_result(member, o.train.device).c_str());
  }
  std::string ensemble;
  if (r.members.size() > 1) {
    ensemble = "ensemble of " + std::to_string(r.members.size()) + " -> " + r.model;
    if (r.test_rows > 0) ensemble += " (test " + format_metric_values(r.test.metrics, 4) + ")";
    ensemble += "; ";
  }
  std::fprintf(stderr, "seqnn mhc train: %s%lld allele(s) calibrated in %.1f s\n", ensemble.c_str(),
               static_cast<long long>(r.calibrated), r.calibration_seconds);
}

CLI::Option* add_ints(CLI::App* cmd, const std::string& name, std::vector<int64_t>& values, const std::string& help) {
  return cmd->add_option(name, values, help)->check(kPositive)->capture_default_str();
}

CLI::Option* add_count(CLI::App* cmd, const std::string& name, int64_t& value, const std::string& help) {
  return cmd->add_option(name, value, help)->check(kNonNegative)->capture_default_str();
}

}  // namespace

void register_mhc_train(CLI::App& mhc) {
  auto a = std::make_shared<MhcTrainArgs>();
  mhc::MhcTrainOptions& o = a->run;
  mhc::PanModelOptions& m = o.model;
  TrainOptions& t = o.train;
  t.epochs = 30;
  t.batch_size = 64;
  t.early_stopping = 6;
  t.best_rule = "meas.spearman";
  auto* cmd = add_command(mhc, "train", "train the pan-allele model (peptide and allele pseudo-sequence; metrics.csv, checkpoints)");
  // Data.
  cmd->add_option("--table", o.table, "TSV/CSV of measurements: peptide, allele and IC50 columns")->type_name("FILE")->required();
  cmd->add_option("--pseudo-sequences", o.pseudo_sequences, "allele pseudo-sequences (NetMHCpan's MHC_pseudo.dat format)")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--sequence-column", o.columns.sequence_column, "peptide column of --table")->capture_default_str();
  cmd->add_option("--allele-column", o.columns.allele_column, "allele column of --table")->capture_default_str();
  cmd->add_option("--target-columns", a->target_columns, "the IC50 (nM) column of --table")->capture_default_str();
  cmd->add_option("--filter", a->filters, "keep table rows with column=value (e.g. species=human)");
  // Split.
  add_count(cmd, "--folds", o.split.folds, "k-fold cross-validation within each allele: number of folds");
  add_count(cmd, "--fold", o.split.fold, "k-fold: the held-out test fold (0-based)");
  add_val_fraction_option(cmd, o.split.val_fraction);
  add_count(cmd, "--split-seed", a->split_seed, "seed of the split");
  cmd->add_option("--test-allele", o.test_allele, "leave this allele out: its rows are the test set, none trains");
  // Model.
  cmd->add_option("--arch", m.arch, "peptide branch: lstm, gru (bidirectional, on a learned embedding) or cnn")
      ->check(CLI::IsMember({"lstm", "gru", "cnn"}))
      ->capture_default_str();
  add_count(cmd, "--embedding", m.embedding, "lstm/gru: learned embedding size");
  cmd->add_option("--hidden", m.hidden, "lstm/gru: hidden size per direction")->check(kPositive)->capture_default_str();
  add_ints(cmd, "--num-filters", m.num_filters, "cnn: filters per conv layer");
  add_ints(cmd, "--filter-width", m.filter_width, "cnn: width per conv layer (the last value repeats)");
  cmd->add_option("--peptide-units", m.peptide_features, "features of the peptide branch")
      ->check(kPositive)
      ->capture_default_str();
  cmd->add_option("--allele-units", m.allele_features, "features of the pseudo-sequence branch")
      ->check(kPositive)
      ->capture_default_str();
  cmd->add_option("--combine", m.combine, "how the branch features p, a are joined: concat [p, a] or product [p, a, p*a]")
      ->check(CLI::IsMember({"concat", "product"}))
      ->capture_default_str();
  add_ints(cmd, "--dense-units", m.dense_units, "dense layers after the two branches are joined");
  cmd->add_option("--dropout", m.dropout, "dropout after each joint dense layer")
      ->check(CLI::Range(0.0, 0.999999))
      ->capture_default_str();
  cmd->add_option("--max-length", m.max_length, "longest peptide the model takes (cnn: pads to it)")
      ->check(CLI::Range(int64_t{8}, int64_t{64}))
      ->capture_default_str();
  // Loop.
  add_epochs_option(cmd, t.epochs);
  add_batch_size_option(cmd, t.batch_size, "rows per optimiser step");
  add_lr_option(cmd, t.lr, "Adam learning rate");
  cmd->add_option("--weight-decay", t.weight_decay, "weight decay (L2)")->check(kNonNegative)->capture_default_str();
  add_count(cmd, "--early-stopping", t.early_stopping, "stop after this many epochs without a new best (0 = off)");
  cmd->add_option("--best-rule", t.best_rule, "rule that picks the best epoch: sum of validation metrics, or one column")
      ->capture_default_str();
  cmd->add_flag("--bucket", t.bucket, "length bucketing of training batches");
  cmd->add_option("--ensemble", o.ensemble, "members trained with seeds --seed, --seed + 1, ... and averaged into one model")
      ->check(kPositive)
      ->capture_default_str();
  add_count(cmd, "--calibration-peptides", o.calibration_peptides,
            "random peptides per allele for percentile ranks, stored in the model (0 = none)");
  add_out_option(cmd, t.out_dir, "output directory (metrics.csv, checkpoint_<N>.pt, model_best.pt, config.json, test_predictions.tsv)");
  add_resume_flag(cmd, t.resume);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_mhc_train(*a); });
}

}  // namespace seqnn::cli
