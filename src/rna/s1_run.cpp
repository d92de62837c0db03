#include "seqnn/rna/s1_run.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "seqnn/rna/rna_io.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn::rna {
namespace {

double mean_on_auroc(const std::vector<std::pair<std::string, double>>& metrics) {
  double sum = 0.0;
  for (const auto& [name, v] : metrics) sum += name.find("_on.auroc") != std::string::npos ? v / kNumBoxTypes : 0.0;
  return sum;
}

}  // namespace

std::string s1_run_config_json(const S1RunOptions& o, const S1Config& model_config) {
  const S1TrainOptions& t = o.train;
  nlohmann::json c = {{"data", o.data},
                      {"val_data", o.val_data},
                      {"init", o.init},
                      {"max_records", o.max_records},
                      {"num_filters", model_config.filters},
                      {"filter_width", model_config.widths},
                      {"dense_units", model_config.hidden},
                      {"inputs", s1_inputs_name(model_config.inputs)},
                      {"epochs", t.epochs},
                      {"batch_size", t.batch_size},
                      {"lr", t.learning_rate},
                      {"max_length", t.max_length},
                      {"val_fraction", t.validation_fraction},
                      {"bucket_width", t.bucket_width},
                      {"train_eval_size", t.train_eval_size},
                      {"loss_weights", t.loss_weights.to_string()},
                      {"seed", t.seed},
                      {"device", o.device},
                      {"out", t.out_dir}};
  return c.dump(2);
}

S1RunResult run_s1_training(const S1RunOptions& o) {
  if (o.init.empty()) o.config.validate("--num-filters/--filter-width");
  const double f = o.train.validation_fraction;
  if (f <= 0.0 || f >= 1.0) throw Error("--val-fraction must be in (0, 1)");
  check_training_dir(o.train.out_dir, o.train.resume);
  auto records = read_rna_table(o.data, o.max_records);
  std::vector<RnaRecord> validation;
  if (!o.val_data.empty()) validation = read_rna_table(o.val_data);
  S1Model model = o.init.empty() ? S1Model::create(o.config, o.train.seed) : S1Model::load(o.init);
  model.to(at::Device(o.device));
  S1RunResult r;
  r.records_read = static_cast<int64_t>(records.size());
  r.parameters = model.num_parameters();
  if (o.on_start) {
    o.on_start(std::to_string(records.size()) + " records from " + o.data + ", S1 with " + std::to_string(r.parameters) +
               " parameters (" + s1_inputs_name(model.config().inputs) + " inputs) on " + o.device + ", loss weights " + o.train.loss_weights.to_string());
  }
  // The config goes first, so the directory of an interrupted run says how it was started (rank 0
  // of a data-parallel run writes it).
  if (o.train.parallel.writes_files()) {
    prepare_training_dir(o.train.out_dir, o.train.resume);
    AtomicFile saved(o.train.out_dir + "/config.json");
    saved.write(s1_run_config_json(o, model.config()) + "\n");
    saved.commit();
  }
  r.summary = train_s1(model, std::move(records), o.train, std::move(validation));
  r.mean_on_auroc = mean_on_auroc(r.summary.best_validation);
  return r;
}

}  // namespace seqnn::rna
