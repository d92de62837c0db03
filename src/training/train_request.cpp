#include "seqnn/training/train_request.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "seqnn/training/train_dir.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

using nlohmann::json;

std::string layered_train_config(const std::string& config_file, const std::string& resume_dir,
                                 const std::string& overrides_json) {
  std::string source = "flags";
  json c = json::object();
  if (!config_file.empty()) source = config_file;
  else if (!resume_dir.empty()) source = resume_dir + "/config.json";
  if (source != "flags") {
    // An empty file is not "no settings": effective_train_config reads empty text that way, so
    // the file is parsed here first and an empty one is invalid JSON, as for every other config.
    const std::string text = read_text_file(source, "training config");
    JsonObject::parse(text, source);
    c = json::parse(effective_train_config(text, source));
  }
  json overrides;
  try {
    overrides = json::parse(overrides_json);
  } catch (const json::parse_error& e) {
    throw Error(std::string("training settings from flags: invalid JSON: ") + e.what());
  }
  for (auto it = overrides.begin(); it != overrides.end(); ++it) c[it.key()] = it.value();
  return effective_train_config(c.dump(), source);
}

namespace {

// A resumed run continues the recorded one: only its length may change. Any other setting that
// differs (an architecture flag, another data file) would mix two runs in one directory.
void require_recorded_settings(const std::string& config, const std::string& out_dir) {
  const std::string recorded_path = out_dir + "/config.json";
  const json recorded = json::parse(effective_train_config(read_text_file(recorded_path, "training config"), recorded_path));
  const json now = json::parse(config);
  for (const auto* side : {&recorded, &now}) {
    for (auto it = side->begin(); it != side->end(); ++it) {
      const std::string& key = it.key();
      if (key == "epochs") continue;
      const json was = recorded.contains(key) ? recorded.at(key) : json();
      const json is = now.contains(key) ? now.at(key) : json();
      if (was != is) {
        fail(recorded_path, "--resume: setting '" + key + "' was " + was.dump() + " in this run, now " + is.dump() +
                                " (resume with the run's settings, or train into a new --out)");
      }
    }
  }
}

}  // namespace

TrainJobResult run_train_request(const TrainRequest& r) {
  const json overrides = json::parse(r.overrides_json);
  const std::string resume_dir = r.resume && overrides.contains("out") ? overrides.at("out").get<std::string>() : "";
  const std::string config = layered_train_config(r.config_file, resume_dir, r.overrides_json);
  const std::string out_dir = json::parse(config).at("out").get<std::string>();
  check_training_dir(out_dir, r.resume);
  if (r.resume) require_recorded_settings(config, out_dir);
  TrainJob job = prepare_train_job(config, r.config_file.empty() ? "flags" : r.config_file);
  job.options.resume = r.resume;
  job.options.progress = r.progress;
  job.options.device = r.device;
  job.options.parallel = r.parallel;
  job.model.to(at::Device(r.device));
  if (r.on_start) r.on_start(describe_train_job(job));
  return run_train_job(job);
}

std::string describe_train_job(const TrainJob& job) {
  const int64_t test = job.test.size() > 0 ? job.test.size() : static_cast<int64_t>(job.split.test.size());
  char buf[256];
  std::snprintf(buf, sizeof buf, "%lld training, %lld validation, %lld test rows; %zu head(s); %lld parameters",
                static_cast<long long>(job.split.train.size()), static_cast<long long>(job.split.val.size()),
                static_cast<long long>(test), job.heads.size(), static_cast<long long>(job.model.info().parameters));
  return buf;
}

std::string format_metric_values(const std::vector<std::pair<std::string, double>>& metrics, size_t max_items) {
  std::string s;
  for (size_t i = 0; i < metrics.size() && i < max_items; ++i) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.4f", s.empty() ? "" : ", ", metrics[i].first.c_str(), metrics[i].second);
    s += buf;
  }
  return s;
}

std::string summarize_train_result(const TrainJobResult& r, const std::string& device) {
  const TrainResult& t = r.train;
  // Without validation rows the best epoch was chosen on the training rows: say so, rather than
  // print an empty "(val )".
  std::string best_val, best_train;
  for (const auto& row : t.log.rows()) {
    if (row.epoch != t.best_epoch) continue;
    if (row.tv == "val") best_val = format_metric_values(row.values, 4);
    if (row.tv == "train") best_train = format_metric_values(row.values, 4);
  }
  const std::string best = best_val.empty() ? "no validation rows; chosen on training " + best_train : "val " + best_val;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%lld epoch(s)%s on %s in %.1f s training (%.0f seq/s); best epoch %lld (%s)",
                static_cast<long long>(t.epochs_run), t.stopped_early ? " (early stop)" : "", device.c_str(), t.train_seconds,
                t.train_examples / std::max(t.train_seconds, 1e-9), static_cast<long long>(t.best_epoch), best.c_str());
  std::string s = buf;
  s += describe_ranks(t.ranks, t.exposed_comm_seconds, t.steps);
  if (r.test_rows > 0) s += "; test " + format_metric_values(r.test.metrics, 4);
  return s + " -> " + t.best_model;
}

}  // namespace seqnn
