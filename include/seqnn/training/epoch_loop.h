#pragma once
// The epoch-based trainers' side of the training loop (train_loop.h: native models, the
// character LM, S1): a round is one epoch, and a checkpoint is the model file checkpoint_<N>.pt
// plus DIR/train_state.pt (the optimiser and the loop's counters). train_state.pt is written
// last, so its epoch always has a complete checkpoint; resuming reads it, then that checkpoint.
//
// The model-specific part is an EpochTask: one epoch of training and evaluation (its own batches,
// random streams, progress bar), saving and loading the weights, and the optimiser.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/training/train_loop.h"

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
  // After the epoch's metrics and best model, before its checkpoint: e.g. a learning-rate
  // schedule, whose counters live in `state`.
  virtual void end_epoch(int64_t /*epoch*/, TrainState& /*state*/) {}
  // Resuming after `epoch` finished epochs: re-create what those epochs advanced (random streams).
  virtual void resumed(int64_t /*epoch*/) {}
  // Parameters and buffers, for a data-parallel run (RoundTask::model_tensors).
  virtual std::vector<at::Tensor> model_tensors() { return {}; }
};

// The loop in epochs: options.total epochs, a checkpoint after each (round_size is set to 1).
TrainLoopResult run_epoch_loop(EpochTask& task, TrainLoopOptions options);

}  // namespace seqnn
