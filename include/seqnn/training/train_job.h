#pragma once
// A training job from one flat JSON config: which data, which split, which model, which loop.
// Every setting has a command-line flag of the same name (underscores become dashes), so
// `seqnn train --config CFG.json --lr 0.01` reads CFG.json and then overrides "lr". The
// effective config (defaults + file + flags) is written to <out>/config.json.
#include <string>
#include <vector>

#include "seqnn/models/model.h"
#include "seqnn/training/trainer.h"

namespace seqnn {

struct TrainSetting {
  std::string name;      // JSON key, e.g. "batch_size"; flag --batch-size
  std::string type;      // int, float, string, bool, ints, strings
  std::string fallback;  // default value as JSON text
  std::string help;
  // What a valid value is, beyond the type: "file" (a path to read), "positive", "nonnegative",
  // "fraction" (in [0, 1)), or "" (any value of the type). The flags check it.
  std::string kind;
};
const std::vector<TrainSetting>& train_settings();

// Defaults for every setting, overlaid with `json_text` (unknown keys are an error naming source).
std::string effective_train_config(const std::string& json_text, const std::string& source);

// The data named by a config's data settings ("fasta"/"labels", "positives"/"negatives",
// "class_fasta", "bed"/"genome", "table" and its column settings); prefix "test_" reads the
// separate test set (empty when none is given). Errors name the missing or wrong setting.
Dataset load_train_data(const std::string& effective_config_json, const std::string& prefix = "");
// One head per target column of the data, of the config's "task", with its "auc_threshold".
std::vector<HeadSpec> heads_of_settings(const Dataset& data, const std::string& effective_config_json,
                                        const std::string& source);
// TSV of predictions: id, then per head "<head>.target" and "<head>.prediction" (multiclass:
// "<head>.p0", ...), rows in `rows` order; output is the model's (N, outputs). Written atomically.
void write_predictions_table(const std::string& path, const Dataset& data, const std::vector<int64_t>& rows,
                             const std::vector<HeadSpec>& heads, const at::Tensor& output, Activation activation);

struct TrainJob {
  Dataset data;   // train + val rows (and test rows when the split makes them)
  Split split;
  Dataset test;   // a separate test set (from test_* settings), possibly empty
  std::vector<HeadSpec> heads;
  Model model;
  TrainOptions options;
  std::string config_json;  // effective config
};
// Loads the data, makes the split, heads and a freshly initialised model (seeded).
TrainJob prepare_train_job(const std::string& effective_config_json, const std::string& source);
// The same with data already loaded (the config's data settings are then ignored).
TrainJob prepare_train_job(const std::string& config_json, const std::string& source, Dataset data,
                           Dataset test = {});

struct TrainJobResult {
  TrainResult train;
  Evaluation test;        // on the best epoch's weights (empty output when there is no test set)
  int64_t test_rows = 0;
};
// Trains, then evaluates the best epoch on the test rows; writes config.json, metrics.csv (with
// a "test" row) and test_predictions.tsv in the output directory.
TrainJobResult run_train_job(TrainJob& job);

}  // namespace seqnn
