#include "seqnn/mhc/train_run.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "seqnn/models/native.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/json_object.h"
#include "seqnn/util/strings.h"

namespace seqnn::mhc {

using nlohmann::json;

namespace {

// A binder has IC50 <= 500 nM: y >= 1 - log(500) / log(50000).
double binder_threshold() { return 1.0 - std::log(500.0) / std::log(50000.0); }

// A resumed run continues the recorded one: only its length may change.
void require_recorded_settings(const std::string& config, const std::string& out_dir) {
  const std::string path = out_dir + "/config.json";
  const json recorded = parse_json(read_text_file(path, "training config"), path);
  const json now = json::parse(config);
  for (auto it = now.begin(); it != now.end(); ++it) {
    if (it.key() == "epochs") continue;
    const json was = recorded.contains(it.key()) ? recorded.at(it.key()) : json();
    if (was != it.value()) {
      fail(path, "--resume: setting '" + it.key() + "' was " + was.dump() + " in this run, now " + it.value().dump() +
                     " (resume with the run's settings, or train into a new --out)");
    }
  }
}

std::string number_text(double v) {
  std::string s;
  append_number(s, v);
  return s;
}

void write_test_predictions(const std::string& path, const MhcData& d, const std::vector<int64_t>& rows,
                            const at::Tensor& output) {
  const at::Tensor p = output.to(torch::kDouble).reshape({-1}).contiguous();
  std::string out = "id\tallele\tmeas.target\tmeas.prediction\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t i = static_cast<size_t>(rows[r]);
    const Example& ex = d.data.examples[i];
    out += join({ex.id, d.alleles[i], ex.mask[0] == 0 ? "nan" : number_text(ex.target[0]),
                 number_text(p[static_cast<int64_t>(r)].item<double>())}) +
           "\n";
  }
  AtomicFile file(path);
  file.write(out);
  file.commit();
}

// The distinct alleles of rows, in order of first appearance.
std::vector<std::string> alleles_of(const MhcData& d, const std::vector<int64_t>& rows) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (int64_t r : rows) {
    const std::string& a = d.alleles[static_cast<size_t>(r)];
    if (seen.insert(allele_key(a)).second) out.push_back(a);
  }
  return out;
}

}  // namespace

std::string mhc_train_config_json(const MhcTrainOptions& o) {
  std::vector<std::string> filters;
  for (const auto& [column, value] : o.columns.filters) filters.push_back(column + "=" + value);
  const PanModelOptions& m = o.model;
  const TrainOptions& t = o.train;
  const json c = {{"table", o.table},
                  {"pseudo_sequences", o.pseudo_sequences},
                  {"sequence_column", o.columns.sequence_column},
                  {"allele_column", o.columns.allele_column},
                  {"target_column", o.columns.target_column},
                  {"filter", filters},
                  {"folds", o.split.folds},
                  {"fold", o.split.fold},
                  {"val_fraction", o.split.val_fraction},
                  {"split_seed", o.split.split_seed},
                  {"test_allele", o.test_allele},
                  {"arch", m.arch},
                  {"embedding", m.embedding},
                  {"hidden", m.hidden},
                  {"num_filters", m.num_filters},
                  {"filter_width", m.filter_width},
                  {"peptide_units", m.peptide_features},
                  {"allele_units", m.allele_features},
                  {"combine", m.combine},
                  {"dense_units", m.dense_units},
                  {"dropout", m.dropout},
                  {"min_length", m.min_length},
                  {"max_length", m.max_length},
                  {"epochs", t.epochs},
                  {"batch_size", t.batch_size},
                  {"lr", t.lr},
                  {"weight_decay", t.weight_decay},
                  {"early_stopping", t.early_stopping},
                  {"best_rule", t.best_rule},
                  {"bucket", t.bucket},
                  {"seed", t.seed},
                  {"ensemble", o.ensemble},
                  {"calibration_peptides", o.calibration_peptides},
                  {"out", t.out_dir}};
  return c.dump(2);
}

namespace {

// What every member of a run shares: the data, the split, the heads and the loop's settings.
struct RunData {
  PseudoSequences pseudo;
  MhcData d;
  Split split;
  std::vector<HeadSpec> heads;
  TrainOptions loop;
};

// Scores the test rows with `model` and writes them into `dir` (metrics.csv's "test" row when a
// log is given, test_predictions.tsv).
Evaluation score_test_rows(Model& model, const RunData& run, const std::string& dir, MetricsLog* log, int64_t best_epoch) {
  Evaluation e = evaluate_model(model, run.d.data, run.split.test, run.heads, run.loop.batch_size, run.loop.pad_to,
                                run.loop.extra_inputs);
  if (log) {
    log->add(best_epoch, "test", e.metrics);
    log->write(dir + "/metrics.csv");
  }
  write_test_predictions(dir + "/test_predictions.tsv", run.d, run.split.test, e.output);
  return e;
}

// One model trained by the loop into `dir` from `seed`: on return it holds the best epoch.
TrainResult train_member(const MhcTrainOptions& o, RunData& run, const std::string& dir, uint64_t seed, bool resume,
                         Model& model) {
  model = make_pan_model(o.model, run.pseudo, seed);
  model.to(at::Device(o.train.device));
  TrainOptions t = run.loop;
  t.out_dir = dir;
  t.seed = seed;
  t.resume = resume;
  TrainResult r = train_model(model, run.d.data, run.split, run.heads, t);
  if (!run.split.test.empty()) {
    r.test_metrics = score_test_rows(model, run, dir, &r.log, r.best_epoch).metrics;
  }
  return r;
}

void write_config(const std::string& dir, const std::string& config) {
  AtomicFile cfg(dir + "/config.json");
  cfg.write(config + "\n");
  cfg.commit();
}

}  // namespace

MhcTrainResult run_mhc_training(const MhcTrainOptions& o) {
  if (o.ensemble < 1) throw Error("--ensemble must be at least 1");
  const std::string config = mhc_train_config_json(o);
  check_training_dir(o.train.out_dir, o.train.resume);
  if (o.train.resume) require_recorded_settings(config, o.train.out_dir);
  RunData run;
  run.pseudo = PseudoSequences::read(o.pseudo_sequences);
  run.d = load_mhc_table(o.table, o.columns, run.pseudo);
  PanMetadata meta = pan_metadata(make_pan_model(o.model, run.pseudo, o.train.seed));
  for (const Example& ex : run.d.data.examples) check_peptide(ex.sequence, meta, ex.where);
  run.split = split_by_allele(run.d, o.split, o.test_allele);
  run.heads = default_heads(run.d.data, HeadTask::kRegression);
  run.heads.at(0).auc_threshold = binder_threshold();
  run.loop = o.train;
  run.loop.pad_to = o.model.arch == "cnn" ? o.model.max_length : 0;
  const MhcData& d = run.d;
  run.loop.extra_inputs = [&d](const std::vector<int64_t>& rows) {
    return std::vector<at::Tensor>{encode_pseudo_sequences(d.pseudo, rows)};
  };

  MhcTrainResult r;
  r.train_rows = static_cast<int64_t>(run.split.train.size());
  r.val_rows = static_cast<int64_t>(run.split.val.size());
  r.test_rows = static_cast<int64_t>(run.split.test.size());
  const std::vector<std::string> alleles = alleles_of(run.d, run.split.train);
  r.alleles = static_cast<int64_t>(alleles.size());
  r.parameters = make_pan_model(o.model, run.pseudo, o.train.seed).info().parameters * o.ensemble;
  if (o.on_start) {
    o.on_start(std::to_string(r.train_rows) + " training, " + std::to_string(r.val_rows) + " validation, " +
               std::to_string(r.test_rows) + " test rows over " + std::to_string(r.alleles) + " training alleles; " +
               (o.ensemble > 1 ? std::to_string(o.ensemble) + " members, " : std::string()) + std::to_string(r.parameters) +
               " parameters");
  }
  // The config goes first, so an interrupted run's directory says how it was started.
  const std::string& out = o.train.out_dir;
  prepare_training_dir(out, o.train.resume);
  write_config(out, config);
  Model model;
  if (o.ensemble == 1) {
    r.members.push_back(train_member(o, run, out, o.train.seed, o.train.resume, model));
    r.model = r.members[0].best_model;
    r.test.metrics = r.members[0].test_metrics;
  } else {
    // Members train one after the other, each in its own directory with the loop's layout; a
    // resumed run resumes the member it stopped in and starts the ones after it.
    std::vector<Model> members(static_cast<size_t>(o.ensemble));
    for (int64_t k = 0; k < o.ensemble; ++k) {
      const std::string dir = training_member_dir(out, k);
      const bool resume = o.train.resume && newest_training_checkpoint(dir) >= 0;
      r.members.push_back(train_member(o, run, dir, o.train.seed + static_cast<uint64_t>(k), resume, members[static_cast<size_t>(k)]));
    }
    for (Model& m : members) m.to(at::Device(at::kCPU));
    model = make_native_ensemble(members, meta.to_json());
    model.to(at::Device(o.train.device));
    r.model = training_best_model_path(out);
    model.save(r.model);
    if (!run.split.test.empty()) {
      MetricsLog log;
      r.test = score_test_rows(model, run, out, &log, 0);
    }
  }
  if (o.calibration_peptides > 0 && !r.model.empty()) {
    const auto start = std::chrono::steady_clock::now();
    meta.calibration.peptides = o.calibration_peptides;
    PredictOptions p;
    p.batch_size = 1024;
    calibrate_alleles(model, meta, alleles, p);
    set_pan_metadata(model, meta);
    model.save(r.model);
    r.calibrated = static_cast<int64_t>(alleles.size());
    r.calibration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return r;
}

}  // namespace seqnn::mhc
