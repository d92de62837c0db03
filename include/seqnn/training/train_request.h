#pragma once
// `seqnn train` as library calls: the effective config from its layers (defaults < config file <
// flags), one call that prepares and runs the job, and the summary lines.
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/training/train_job.h"

namespace seqnn {

// Defaults < the JSON file `config_file` < `overrides_json` (a JSON object: the settings given as
// flags). Without a config file, a non-empty `resume_dir` supplies the middle layer from the
// config.json its run wrote. Returns the effective config; errors name the layer's source.
std::string layered_train_config(const std::string& config_file, const std::string& resume_dir,
                                 const std::string& overrides_json);

struct TrainRequest {
  std::string config_file;           // optional JSON config
  std::string overrides_json = "{}";  // the settings given as flags
  bool resume = false;               // continue the run in the config's "out" directory
  bool progress = true;
  std::string device = "cpu";
  DataParallel parallel;  // one rank of a data-parallel run (default: one process)
  // Told describe_train_job() once the data and model are ready, before training.
  std::function<void(const std::string&)> on_start;
};
TrainJobResult run_train_request(const TrainRequest& request);

// "N training, N validation, N test rows; N head(s); N parameters".
std::string describe_train_job(const TrainJob& job);
// "name value, name value" for the first max_items metrics, 4 decimals.
std::string format_metric_values(const std::vector<std::pair<std::string, double>>& metrics, size_t max_items);
// "N epoch(s) on DEVICE in S s training (R seq/s); best epoch B (val ...); test ... -> MODEL".
std::string summarize_train_result(const TrainJobResult& result, const std::string& device);

}  // namespace seqnn
