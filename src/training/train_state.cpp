#include "seqnn/training/train_state.h"

#include <torch/torch.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "seqnn/util/archive_file.h"
#include "seqnn/util/error.h"

namespace seqnn {

namespace {
const char kStateKey[] = "seqnn_train_state";
}

void save_train_state(const std::string& path, const TrainState& s, torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  // Only the epoch-based trainers keep this file, so its counters are named as epochs.
  nlohmann::json j = {{"epoch", s.done}, {"best_epoch", s.best}, {"plateau_bad", s.plateau_bad}};
  // JSON has no infinity: "never improved" is stored as null.
  j["plateau_best"] = std::isfinite(s.plateau_best) ? nlohmann::json(s.plateau_best) : nlohmann::json();
  archive.write(kStateKey, c10::IValue(j.dump()));
  save_archive_atomically(archive, path, "training state");
}

TrainState load_train_state(const std::string& path, torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive archive;
  c10::IValue text;
  try {
    load_archive(archive, path, "training state");
    optimizer.load(archive);
    if (!archive.try_read(kStateKey, text) || !text.isString()) fail(path, "not a seqnn training state");
  } catch (const c10::Error& e) {
    fail(path, "cannot resume (no readable training state): " + first_line(e.what_without_backtrace()));
  }
  TrainState s;
  try {
    auto j = nlohmann::json::parse(text.toStringRef());
    s.done = j.at("epoch").get<int64_t>();
    s.best = j.at("best_epoch").get<int64_t>();
    s.plateau_bad = j.at("plateau_bad").get<int64_t>();
    if (!j.at("plateau_best").is_null()) s.plateau_best = j.at("plateau_best").get<double>();
  } catch (const nlohmann::json::exception& e) {
    fail(path, std::string("corrupt training state: ") + e.what());
  }
  return s;
}

}  // namespace seqnn
