#pragma once
// The training loop for native models (CNN or RNN): epochs of shuffled mini-batches, an
// optimiser (adam, adamw, sgd with momentum, rmsprop), optional reduce-on-plateau schedule on the
// validation loss, gradient-norm clipping, early stopping, metrics per epoch for the training and
// validation sets, and checkpoints that make --resume reproduce an uninterrupted run exactly.
//
// Output directory layout (the same for every trainer, training/train_loop.h and train_dir.h):
//   metrics.csv             one row per (epoch, set), see metrics_log.h
//   checkpoint_<N>.pt       the model after epoch N (a native model file: Model::load reads it)
//   model_best.pt           the checkpoint of the best epoch (BestEpochRule)
//   train_state.pt          optimiser state and loop counters after the last finished epoch
//   config.json             the effective settings (written by run_train_job)
//   test_predictions.tsv    when there is a test set: id, then target and prediction per head
//
// Determinism: batch order comes from std::mt19937_64(seed, epoch) and LibTorch's generator is
// re-seeded from (seed, epoch, rank) at the start of every epoch, so a resumed run draws the same
// batches and dropout masks as an uninterrupted one. Training-set metrics are computed from the
// predictions made during the epoch (training mode, weights changing), as Keras reports them.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/models/model.h"
#include "seqnn/training/data_parallel.h"
#include "seqnn/training/dataset.h"
#include "seqnn/training/heads.h"
#include "seqnn/training/metrics_log.h"
#include "seqnn/util/enum_names.h"

namespace seqnn {

enum class OptimizerKind { kAdam, kAdamW, kSgd, kRmsprop };
enum class LrSchedule { kNone, kPlateau };
const std::vector<EnumName<OptimizerKind>>& optimizer_names();  // "adam", "adamw", "sgd", "rmsprop"
const std::vector<EnumName<LrSchedule>>& lr_schedule_names();   // "none", "plateau"

// The model's extra inputs (Model::forward's args) for rows of the data set, batch first, on the
// CPU: e.g. the allele pseudo-sequence of each peptide for a two-input network. Empty: none.
using ExtraInputs = std::function<std::vector<at::Tensor>(const std::vector<int64_t>& rows)>;

struct TrainOptions {
  int64_t epochs = 10;
  int64_t batch_size = 32;
  OptimizerKind optimizer = OptimizerKind::kAdam;
  double lr = 1e-3;
  double weight_decay = 0.0;
  double momentum = 0.9;           // sgd, rmsprop
  double clip_grad_norm = 0.0;     // 0 = off
  LrSchedule lr_schedule = LrSchedule::kNone;  // plateau: on the validation loss
  double plateau_factor = 0.5;
  int64_t plateau_patience = 2;
  double min_lr = 1e-6;
  int64_t early_stopping = 0;      // stop after this many epochs without a new best (0 = off)
  std::string best_rule = "sum";   // see BestEpochRule
  bool bucket = false;             // length bucketing (for RNNs on variable lengths)
  int64_t pad_to = 0;              // fixed input length (CNNs with flatten); 0 = longest in batch
  uint64_t seed = 0;
  std::string out_dir;
  bool resume = false;
  bool progress = true;
  std::string device = "cpu";
  ExtraInputs extra_inputs;        // for models with more than one input
  // One rank of a data-parallel run (data_parallel.h): batch_size is per rank, the global batch
  // batch_size × ranks; default: one process.
  DataParallel parallel;
};

struct TrainResult {
  int64_t epochs_run = 0;      // epochs trained in this call
  int64_t last_epoch = 0;
  int64_t best_epoch = -1;
  bool stopped_early = false;
  MetricsLog log;
  std::vector<std::pair<std::string, double>> test_metrics;  // empty without a test set
  double train_seconds = 0;    // time inside training steps (excludes evaluation and saving)
  int64_t train_examples = 0;  // examples seen by training steps in this call (all ranks)
  int ranks = 1;                // data-parallel processes
  double exposed_comm_seconds = 0;  // gradient all-reduce time the backward pass did not hide
  int64_t steps = 0;                // optimiser steps (data-parallel runs)
  std::string best_model;
};

// Trains `model` (a native model) in place; on return it holds the best epoch's weights.
TrainResult train_model(Model& model, const Dataset& data, const Split& split, const std::vector<HeadSpec>& heads,
                        const TrainOptions& options);

struct Evaluation {
  double loss = 0;
  std::vector<std::pair<std::string, double>> metrics;  // "loss", per-head losses, head metrics
  at::Tensor output;                                      // (N, outputs), rows in `rows` order
};
// In a data-parallel run every rank evaluates its block of the rows and gets the output and
// metrics of all of them.
Evaluation evaluate_model(Model& model, const Dataset& data, const std::vector<int64_t>& rows,
                          const std::vector<HeadSpec>& heads, int64_t batch_size, int64_t pad_to,
                          const ExtraInputs& extra_inputs = nullptr, const DataParallel& parallel = DataParallel());

}  // namespace seqnn
