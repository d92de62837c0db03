#pragma once
// The training loop every seqnn trainer shares: native models, the character LM and RNA S1 in
// epochs (epoch_loop.h), DeepSequence in updates. A run goes from 0 units (or, resuming, from
// its newest checkpoint) to `total` in rounds that end at every multiple of `round_size` units
// and at `total`. After each round
//   metrics.csv is rewritten with the rows so far (when the task reports metrics),
//   model_best.pt is replaced when the round is the best so far by the best-epoch rule,
//   the task writes its resumable state as checkpoint_<N>.pt (N = units done), and
//   older checkpoints are removed unless they are kept,
// so that a resumed run ends exactly as an uninterrupted one. Early stopping counts units since
// the best round. Without a rule (best_set empty: no validation set) model_best.pt is the model
// at the end. A fresh run that trains nothing still ends with checkpoint_0.pt, so every run can
// be resumed. On return the task's model holds the best round's weights (on every rank of a
// data-parallel run).
//
// The task (RoundTask) trains a round, and decides what a checkpoint holds and how it is read
// back; the loop decides when it is written and owns the directory (train_dir.h).
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/training/data_parallel.h"
#include "seqnn/training/metrics_log.h"
#include "seqnn/training/train_state.h"

namespace seqnn {

class RoundTask {
 public:
  virtual ~RoundTask() = default;
  // Trains units first..last (counted from 1); returns the rows for metrics.csv, numbered by
  // `last` (none for a task that keeps its own curve).
  virtual std::vector<MetricsRow> run_round(int64_t first, int64_t last) = 0;
  // After the round's metrics and best model, before its checkpoint: e.g. a learning-rate
  // schedule, whose counters live in `state`.
  virtual void end_round(int64_t /*last*/, TrainState& /*state*/) {}
  // The resumable state after state.done units: `path` (checkpoint_<N>.pt) and whatever else the
  // task needs to resume, with the loop's counters `state`.
  virtual void save_checkpoint(const std::string& path, const TrainState& state) = 0;
  // Resuming from `dir`: brings the task to the state of its newest checkpoint and returns the
  // loop's counters saved with it.
  virtual TrainState restore(const std::string& dir) = 0;
  // The model alone (model_best.pt, what predicting or scoring loads), and back in place (the
  // optimiser keeps referring to the same weights).
  virtual void save_model(const std::string& path) = 0;
  virtual void load_model(const std::string& path) = 0;
  // The model's parameters and buffers, for a data-parallel run to give every rank rank 0's
  // (at the start, after resuming and at the end). Empty: the task is not data-parallel.
  virtual std::vector<at::Tensor> model_tensors() { return {}; }
};

struct TrainLoopOptions {
  int64_t total = 10;      // units (epochs or updates) the run ends at; a resumed run continues to it
  int64_t round_size = 1;  // a checkpoint every this many units (0: only at the end)
  std::string out_dir;
  bool resume = false;
  bool metrics_csv = true;       // false: the task reports no rows (it keeps its own curve)
  bool keep_checkpoints = true;  // false: only the newest checkpoint_<N>.pt is kept
  int64_t early_stopping = 0;    // stop after this many units without a new best (0 = off)
  BestEpochRule rule;
  std::string best_set = "val";  // the rows (tv) the rule reads; empty: the model at the end is the best
  // A data-parallel run: every rank runs the loop (the task splits the data), only rank 0 writes
  // files; resuming, every rank reads the directory (a file system they share).
  DataParallel parallel;
};

struct TrainLoopResult {
  MetricsLog log;
  int64_t best = -1;       // units done at the best round (the best epoch); -1: none
  int64_t rounds_run = 0;  // in this call
  int64_t done = 0;        // units done at the end
  bool stopped_early = false;
  std::string best_model;  // out_dir/model_best.pt; empty without a best round
  std::string checkpoint;  // out_dir/checkpoint_<done>.pt
};

// Throws seqnn::Error for a fresh run into a directory that holds a checkpoint (train_dir.h).
TrainLoopResult run_train_loop(RoundTask& task, const TrainLoopOptions& options);

}  // namespace seqnn
