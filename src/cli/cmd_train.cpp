// seqnn train: train a native CNN or recurrent model from a JSON config and/or flags; every
// config setting is also a typed flag (docs/training.md lists them).
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/distributed_options.h"
#include "cli/setting_flags.h"
#include "seqnn/training/train_request.h"

namespace seqnn::cli {
namespace {

struct TrainArgs {
  CommonOptions common;
  DistributedCliOptions dist;
  std::string config;
  bool resume = false;
  SettingFlags settings;
  CLI::Option* seed = nullptr;
};

// The flags given, plus --seed (a common option, also a setting).
std::string given_settings(const TrainArgs& a) {
  nlohmann::json given = nlohmann::json::parse(given_settings_json(a.settings));
  if (a.seed->count() > 0) given["seed"] = a.common.seed;
  return given.dump();
}

void run_train(const TrainArgs& a) {
  if (auto status = launch_local_workers_if_asked(a.dist, "seqnn train")) {
    if (*status != 0) std::exit(*status);
    return;
  }
  TrainRequest r;
  const JoinedRun run = join_training_run(a.dist, apply_common_options(a.common));
  r.device = run.device;
  r.parallel = run.parallel;
  r.config_file = a.config;
  r.overrides_json = given_settings(a);
  r.resume = a.resume;
  r.progress = !a.common.quiet && run.reports();
  if (run.reports()) r.on_start = [](const std::string& line) { std::fprintf(stderr, "seqnn train: %s\n", line.c_str()); };
  const TrainJobResult result = run_train_request(r);
  if (run.reports()) std::fprintf(stderr, "seqnn train: %s\n", summarize_train_result(result, r.device).c_str());
}

}  // namespace

void register_train(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = add_command(app, "train", "train a CNN or recurrent model on labelled sequences (config and/or flags)");
  add_config_option(cmd, a->config, "training config JSON (flags override its settings)");
  add_resume_flag(cmd, a->resume);
  for (const auto& s : train_settings()) {
    if (s.name == "seed") continue;  // --seed comes with the common options
    add_setting_flag(cmd, a->settings, s);
  }
  add_common_options(cmd, a->common);
  add_distributed_options(cmd, a->dist);
  a->seed = cmd->get_option("--seed");
  cmd->callback([a] { run_train(*a); });
}

}  // namespace seqnn::cli
