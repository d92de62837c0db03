// seqnn train: train a native CNN or recurrent model from a JSON config and/or flags; every
// config setting is also a typed flag (docs/training.md lists them).
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/common_options.h"
#include "seqnn/training/train_request.h"

namespace seqnn::cli {
namespace {

using nlohmann::json;

// One typed value per setting (std::map keeps the addresses CLI11 binds to stable).
struct TrainArgs {
  CommonOptions common;
  std::string config;
  bool resume = false;
  std::map<std::string, int64_t> ints;
  std::map<std::string, double> floats;
  std::map<std::string, std::string> strings;
  std::map<std::string, std::vector<int64_t>> int_lists;
  std::map<std::string, std::vector<std::string>> string_lists;
  std::map<std::string, bool> flags;
  std::vector<std::pair<const TrainSetting*, CLI::Option*>> options;
  CLI::Option* seed = nullptr;
};

std::string flag_name(const std::string& key) {
  std::string f = key;
  for (char& c : f) c = c == '_' ? '-' : c;
  return "--" + f;
}

// The settings given on the command line, as a JSON object (only these override the config).
std::string given_settings(const TrainArgs& a) {
  json given = json::object();
  for (const auto& [s, opt] : a.options) {
    if (opt->count() == 0) continue;
    const std::string& k = s->name;
    if (s->type == "int") given[k] = a.ints.at(k);
    else if (s->type == "float") given[k] = a.floats.at(k);
    else if (s->type == "string") given[k] = a.strings.at(k);
    else if (s->type == "ints") given[k] = a.int_lists.at(k);
    else if (s->type == "strings") given[k] = a.string_lists.at(k);
    else given[k] = true;
  }
  if (a.seed->count() > 0) given["seed"] = a.common.seed;
  return given.dump();
}

void run_train(const TrainArgs& a) {
  TrainRequest r;
  r.device = apply_common_options(a.common);
  r.config_file = a.config;
  r.overrides_json = given_settings(a);
  r.resume = a.resume;
  r.progress = !a.common.quiet;
  r.on_start = [](const std::string& line) { std::fprintf(stderr, "seqnn train: %s\n", line.c_str()); };
  const TrainJobResult result = run_train_request(r);
  std::fprintf(stderr, "seqnn train: %s\n", summarize_train_result(result, r.device).c_str());
}

// The setting's kind as a CLI11 check: the same ranges as the flags of that name elsewhere.
CLI::Option* with_kind(CLI::Option* opt, const TrainSetting& s) {
  if (s.kind == "file") return opt->type_name("FILE");
  if (s.kind == "positive") return opt->check(CLI::PositiveNumber);
  if (s.kind == "nonnegative") return opt->check(CLI::NonNegativeNumber);
  if (s.kind == "fraction") return opt->check(CLI::Range(0.0, 0.999999));
  return opt;
}

// The setting's flag, typed after the setting (INT, FLOAT, INT ..., TEXT ..., or a plain flag);
// the shared adders where the training vocabulary has one.
CLI::Option* add_setting(CLI::App* cmd, TrainArgs& a, const TrainSetting& s) {
  const std::string& k = s.name;
  const json fallback = json::parse(s.fallback);
  const std::string help = s.help + " [" + s.fallback + "]";
  if (s.type == "int") {
    int64_t& v = a.ints[k] = fallback.get<int64_t>();
    if (k == "epochs") return add_epochs_option(cmd, v);
    if (k == "batch_size") return add_batch_size_option(cmd, v, s.help);
    return with_kind(cmd->add_option(flag_name(k), v, help), s);
  }
  if (s.type == "float") {
    double& v = a.floats[k] = fallback.is_number() ? fallback.get<double>() : 0.0;
    if (k == "lr") return add_lr_option(cmd, v, s.help);
    if (k == "val_fraction") return add_val_fraction_option(cmd, v);
    return with_kind(cmd->add_option(flag_name(k), v, help), s);
  }
  if (s.type == "string") {
    std::string& v = a.strings[k] = fallback.get<std::string>();
    if (k == "out") return add_out_option(cmd, v, s.help);
    if (k == "genome") return add_genome_option(cmd, v, s.help);
    if (k == "fasta") return add_fasta_option(cmd, v, s.help);
    if (k == "bed") return add_bed_option(cmd, v, s.help);
    return with_kind(cmd->add_option(flag_name(k), v, help), s);
  }
  if (s.type == "ints") return with_kind(cmd->add_option(flag_name(k), a.int_lists[k], help), s);
  if (s.type == "strings") return with_kind(cmd->add_option(flag_name(k), a.string_lists[k], help), s);
  return cmd->add_flag(flag_name(k), a.flags[k], help);
}

}  // namespace

void register_train(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = add_command(app, "train", "train a CNN or recurrent model on labelled sequences (config and/or flags)");
  add_config_option(cmd, a->config, "training config JSON (flags override its settings)");
  add_resume_flag(cmd, a->resume);
  for (const auto& s : train_settings()) {
    if (s.name == "seed") continue;  // --seed comes with the common options
    a->options.emplace_back(&s, add_setting(cmd, *a, s));
  }
  add_common_options(cmd, a->common);
  a->seed = cmd->get_option("--seed");
  cmd->callback([a] { run_train(*a); });
}

}  // namespace seqnn::cli
