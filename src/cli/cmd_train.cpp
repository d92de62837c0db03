// seqnn train: train a native CNN or recurrent model from a JSON config and/or flags; every
// config setting is also a flag (docs/training.md lists them).
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/rna/s1_train.h"
#include "seqnn/training/train_job.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn::cli {
namespace {

using nlohmann::json;

struct TrainArgs {
  CommonOptions common;
  std::string config;
  bool resume = false;
  std::map<std::string, std::vector<std::string>> values;  // raw flag values per setting
  std::map<std::string, bool> flags;                        // bool settings given as flags
  CLI::App* cmd = nullptr;
};

std::string flag_name(const std::string& key) {
  std::string f = key;
  for (char& c : f) c = c == '_' ? '-' : c;
  return "--" + f;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open config");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json parse_flag(const TrainSetting& s, const std::vector<std::string>& v) {
  const std::string where = flag_name(s.name);
  try {
    if (s.type == "int") return json(std::stoll(v.at(0)));
    if (s.type == "float") return json(std::stod(v.at(0)));
    if (s.type == "string") return json(v.at(0));
    json arr = json::array();
    for (const auto& e : v) arr.push_back(s.type == "ints" ? json(std::stoll(e)) : json(e));
    return arr;
  } catch (const std::exception&) {
    throw Error(where + ": '" + (v.empty() ? "" : v[0]) + "' is not a valid " + s.type);
  }
}

// Defaults < config file (or the result's config.json when resuming) < flags.
std::string build_config(TrainArgs& a) {
  json c = json::object();
  std::string source = "flags";
  if (!a.config.empty()) {
    c = json::parse(effective_train_config(read_file(a.config), a.config));
    source = a.config;
  } else if (a.resume && a.cmd->get_option("--result")->count() > 0) {
    const std::string saved = a.values["result"].at(0) + "/config.json";
    c = json::parse(effective_train_config(read_file(saved), saved));
    source = saved;
  }
  for (const auto& s : train_settings()) {
    if (s.name == "seed") continue;
    if (s.type == "bool") {
      if (a.flags[s.name]) c[s.name] = true;
    } else if (a.cmd->get_option(flag_name(s.name))->count() > 0) {
      c[s.name] = parse_flag(s, a.values[s.name]);
    }
  }
  if (a.cmd->get_option("--seed")->count() > 0) c["seed"] = a.common.seed;
  return effective_train_config(c.dump(), source);
}

std::string format_metrics(const std::vector<std::pair<std::string, double>>& m, size_t max_items) {
  std::string s;
  for (size_t i = 0; i < m.size() && i < max_items; ++i) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.4f", s.empty() ? "" : ", ", m[i].first.c_str(), m[i].second);
    s += buf;
  }
  return s;
}

// Was the setting given on the command line or in --config (not just defaulted)?
bool given(const TrainArgs& a, const std::string& name) {
  if (a.cmd->get_option(flag_name(name))->count() > 0) return true;
  return !a.config.empty() && json::parse(read_file(a.config)).contains(name);
}

// --arch s1: the RNA box model of issue 6, trained by the S1 trainer (its targets are per pixel,
// not per sequence), with the notebook's flags: --data --result --num-filters --filter-width
// --epochs --batch-size --max-length; 5 % validates unless --val-fraction is given.
void run_train_s1(const TrainArgs& a, const json& c, const std::string& device) {
  if (a.resume) throw Error("--resume is not available for --arch s1");
  S1Run run;
  run.data = c.at("data").get<std::string>();
  if (run.data.empty()) throw Error("--arch s1 needs --data (a table with sequence and structure columns)");
  run.device = device;
  rna::S1Config cfg;
  cfg.filters = c.at("num_filters").get<std::vector<int64_t>>();
  const auto widths = c.at("filter_width").get<std::vector<int64_t>>();
  cfg.widths.assign(cfg.filters.size(), widths.empty() ? 9 : widths.back());  // the last width repeats
  std::copy_n(widths.begin(), std::min(widths.size(), cfg.widths.size()), cfg.widths.begin());
  const auto dense = c.at("dense_units").get<std::vector<int64_t>>();
  if (!dense.empty()) cfg.hidden = dense;  // shared 1 x 1 layers (default 50)
  rna::S1TrainOptions o;
  o.epochs = c.at("epochs").get<int64_t>();
  o.batch_size = c.at("batch_size").get<int64_t>();
  o.learning_rate = c.at("lr").get<double>();
  o.max_length = c.at("max_length").get<int64_t>() > 0 ? c.at("max_length").get<int64_t>() : o.max_length;
  if (given(a, "val_fraction")) o.validation_fraction = c.at("val_fraction").get<double>();
  o.seed = c.at("seed").get<uint64_t>();
  o.out_dir = c.at("result").get<std::string>();
  if (o.out_dir.empty()) throw Error("--result is required");
  o.loss_weights = rna::S1LossWeights::parse(c.at("loss_weights").get<std::string>());
  o.progress = !a.common.quiet;
  run_s1_training(run, cfg, o);
  AtomicFile saved(o.out_dir + "/config.json");  // the effective settings, as for other models
  saved.write(c.dump(2) + "\n");
  saved.commit();
}

void run_train(TrainArgs& a) {
  const std::string device = apply_common_options(a.common);
  const std::string config = build_config(a);
  const json effective = json::parse(config);
  if (effective.value("arch", "") == "s1") return run_train_s1(a, effective, device);
  if (!effective.value("data", "").empty() || !effective.value("loss_weights", "").empty())
    throw Error("--data and --loss-weights are for --arch s1 (sequence data: --fasta, --table, --positives, --bed)");
  TrainJob job = prepare_train_job(config, a.config.empty() ? "flags" : a.config);
  job.options.resume = a.resume;
  job.options.progress = !a.common.quiet;
  job.options.device = device;
  job.model.to(at::Device(device));
  std::fprintf(stderr, "seqnn train: %lld training, %lld validation, %lld test rows; %zu head(s); %lld parameters\n",
               static_cast<long long>(job.split.train.size()), static_cast<long long>(job.split.val.size()),
               static_cast<long long>(job.test.size() > 0 ? job.test.size() : static_cast<int64_t>(job.split.test.size())),
               job.heads.size(), static_cast<long long>(job.model.info().parameters));
  TrainJobResult r = run_train_job(job);
  const auto& t = r.train;
  std::string best_val;
  for (const auto& row : t.log.rows()) {
    if (row.tv == "val" && row.epoch == t.best_epoch) best_val = format_metrics(row.values, 4);
  }
  std::fprintf(stderr, "seqnn train: %lld epoch(s)%s on %s in %.1f s training (%.0f seq/s); best epoch %lld (val %s)",
               static_cast<long long>(t.epochs_run), t.stopped_early ? " (early stop)" : "", device.c_str(),
               t.train_seconds, t.train_examples / std::max(t.train_seconds, 1e-9), static_cast<long long>(t.best_epoch),
               best_val.c_str());
  if (r.test_rows > 0) std::fprintf(stderr, "; test %s", format_metrics(r.test.metrics, 4).c_str());
  std::fprintf(stderr, " -> %s\n", t.best_model.c_str());
}

}  // namespace

void register_train(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = add_command(app, "train", "train a CNN or recurrent model on labelled sequences (config and/or flags)");
  a->cmd = cmd;
  cmd->add_option("--config,-c", a->config, "training config JSON (flags override its settings)");
  cmd->add_flag("--resume", a->resume, "continue from the last checkpoint in --result (same result as one run)");
  for (const auto& s : train_settings()) {
    if (s.name == "seed") continue;  // --seed comes with the common options
    const std::string help = s.help + " [" + s.fallback + "]";
    if (s.type == "bool") {
      cmd->add_flag(flag_name(s.name), a->flags[s.name], help);
    } else if (s.type == "ints" || s.type == "strings") {
      cmd->add_option(flag_name(s.name), a->values[s.name], help)->expected(1, -1);
    } else {
      cmd->add_option(flag_name(s.name), a->values[s.name], help)->expected(1);
    }
  }
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_train(*a); });
}

}  // namespace seqnn::cli
