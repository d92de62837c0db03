#pragma once
// One S1 training run from files, as `seqnn rna train` does it: read the table(s), build a fresh
// model from the config (or load one to fine-tune), train it (s1_train.h) and write the effective
// settings to <out>/config.json beside metrics.csv, checkpoint_<N>.pt and model_best.pt.
#include <cstdint>
#include <functional>
#include <string>

#include "seqnn/rna/s1_model.h"
#include "seqnn/rna/s1_train.h"

namespace seqnn::rna {

struct S1RunOptions {
  std::string data;        // training table (a random split validates unless val_data is given)
  std::string val_data;    // optional validation table
  std::string init;        // optional S1 model to fine-tune: its architecture replaces `config`
  std::string device = "cpu";
  int64_t max_records = 0;  // read only the first N records of `data` (0 = all)
  S1Config config;
  S1TrainOptions train;    // train.out_dir is the output directory
  // Told one line about the run (records, parameters, device, loss weights) before training.
  std::function<void(const std::string&)> on_start;
};

struct S1RunResult {
  S1TrainSummary summary;
  int64_t records_read = 0;
  int64_t parameters = 0;
  double mean_on_auroc = 0.0;  // mean of the box types' on-auROC at the best epoch
};

S1RunResult run_s1_training(const S1RunOptions& options);

// The effective settings of a run as JSON (what config.json holds).
std::string s1_run_config_json(const S1RunOptions& options, const S1Config& model_config);

}  // namespace seqnn::rna
