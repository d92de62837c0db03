#pragma once
// The training settings (training/train_job.h) as typed flags: one flag per setting, named after
// it (batch_size -> --batch-size), typed after it, checked by its kind. `train` takes them all;
// `evaluate` takes the data settings, so both read data with the same flags.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cli/common_options.h"
#include "seqnn/training/train_job.h"

namespace seqnn::cli {

// One typed value per setting (std::map keeps the addresses CLI11 binds to stable).
struct SettingFlags {
  std::map<std::string, int64_t> ints;
  std::map<std::string, double> floats;
  std::map<std::string, std::string> strings;
  std::map<std::string, std::vector<int64_t>> int_lists;
  std::map<std::string, std::vector<std::string>> string_lists;
  std::map<std::string, bool> flags;
  std::vector<std::pair<const TrainSetting*, CLI::Option*>> options;
};

// Adds the setting's flag (the shared adders where the vocabulary has one) and remembers it.
CLI::Option* add_setting_flag(CLI::App* cmd, SettingFlags& f, const TrainSetting& s);

// The settings given on the command line, as a JSON object text (only these override a config).
std::string given_settings_json(const SettingFlags& f);

}  // namespace seqnn::cli
