#pragma once
// The epoch loop every trainer shares (native models, the character LM, S1): epochs from 1 (or
// from the last finished one with resume) to `epochs`; after each epoch metrics.csv is rewritten,
// the model saved as checkpoint_<N>.pt, model_best.pt replaced when the epoch is the best so far
// by the best-epoch rule, and train_state.pt (optimiser + loop counters) written, so that a
// resumed run ends exactly as an uninterrupted one; early stopping counts epochs since the best.
// On return the task's model holds the best epoch's weights.
//
// The model-specific part is an EpochTask: one epoch of training and evaluation (its own batches,
// random streams, progress bar), saving and loading the weights, and the optimiser.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/training/metrics_log.h"
#include "seqnn/training/train_state.h"

namespace seqnn {

class EpochTask {
 public:
  virtual ~EpochTask() = default;
  // Trains epoch `epoch` and evaluates it; returns its metrics.csv rows.
  virtual std::vector<MetricsRow> run_epoch(int64_t epoch) = 0;
  virtual void save_model(const std::string& path) = 0;
  // Copies a saved model's weights into the model, in place (the optimiser keeps referring to
  // them): the checkpoint when resuming, the best epoch at the end.
  virtual void load_model(const std::string& path) = 0;
  virtual torch::optim::Optimizer& optimizer() = 0;
  // After the epoch's files are written and before train_state.pt: e.g. a learning-rate
  // schedule, whose counters live in `state`.
  virtual void end_epoch(int64_t /*epoch*/, TrainState& /*state*/) {}
  // Resuming after `epoch` finished epochs: re-create what those epochs advanced (random streams).
  virtual void resumed(int64_t /*epoch*/) {}
};

struct EpochLoopOptions {
  int64_t epochs = 10;
  std::string out_dir;
  bool resume = false;
  int64_t early_stopping = 0;    // stop after this many epochs without a new best (0 = off)
  BestEpochRule rule;
  std::string best_set = "val";  // the rows (tv) the rule reads
};

struct EpochLoopResult {
  MetricsLog log;
  int64_t best_epoch = -1;
  int64_t epochs_run = 0;  // in this call
  int64_t last_epoch = 0;
  bool stopped_early = false;
  std::string best_model;  // out_dir/model_best.pt, empty without a best epoch
};

EpochLoopResult run_epoch_loop(EpochTask& task, const EpochLoopOptions& options);

}  // namespace seqnn
