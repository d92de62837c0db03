#pragma once
// Training the S1 model on sequences with known structures (docs/rna.md):
//   * records longer than max_length are dropped (counted); the rest are shuffled with the seed
//     (own Fisher-Yates over std::mt19937_64, the same on every platform) and split 95 / 5;
//   * bucketing: each epoch the training set is reshuffled, sorted by length within buckets of
//     `bucket_width` nt, cut into batches and the batches are shuffled, so a batch pads little;
//   * after every epoch, metrics on a fixed training subset and on the validation set go to
//     metrics.csv (columns as the notebook: stem_on.auroc ... hloop_sl_size.diff, tv, epoch);
//     the model is saved as checkpoint_<k>.pt, and model_best.pt is the best epoch so far by
//     the summed rule (sum of validation metrics, *.diff negated); train_state.pt makes the run
//     resumable (training/epoch_loop.h, the loop every seqnn trainer shares). On return the model
//     holds the best epoch's weights.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/rna/rna_io.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/training/data_parallel.h"

namespace seqnn::rna {

// The 20 metric names in the notebook's order.
std::vector<std::string> s1_metric_names();

// Metrics of the model on records (eval mode, no gradients), in s1_metric_names() order.
std::vector<std::pair<std::string, double>> evaluate_s1(S1Model& model, const std::vector<RnaRecord>& records,
                                                        int64_t batch_size);

// Score of one epoch's validation metrics for picking the best epoch (higher is better).
double s1_epoch_score(const std::vector<std::pair<std::string, double>>& metrics);

struct S1TrainOptions {
  int64_t epochs = 10;
  int64_t batch_size = 20;
  double learning_rate = 1e-3;
  int64_t max_length = 200;  // longer records are dropped (0 = none)
  double validation_fraction = 0.05;
  int64_t bucket_width = 10;
  int64_t train_eval_size = 0;  // training records evaluated per epoch (0 = as many as validation)
  uint64_t seed = 0;
  S1LossWeights loss_weights;
  std::string out_dir;
  bool progress = true;
  // Continue from out_dir/train_state.pt and the matching checkpoint_<N>.pt (same records and
  // settings): the finished run equals an uninterrupted one.
  bool resume = false;
  // One rank of a data-parallel run (training/data_parallel.h): batch_size is per rank; each
  // rank's gradient counts by its share of the global batch's records (S1's loss averages over
  // valid pixels per batch, so this matches one process with the summed batch only approximately,
  // as DDP's averaging does).
  DataParallel parallel;
};

struct S1TrainSummary {
  int64_t train_records = 0, validation_records = 0, dropped_long = 0;
  int64_t best_epoch = -1;
  double best_score = 0.0;
  std::vector<std::pair<std::string, double>> best_validation;
  double seconds = 0.0;
  int ranks = 1;
  double exposed_comm_seconds = 0;  // gradient all-reduce time the backward pass did not hide
  int64_t steps = 0;
};

// Splits records into (train, validation) exactly as train_s1 does.
std::pair<std::vector<RnaRecord>, std::vector<RnaRecord>> split_records(std::vector<RnaRecord> records,
                                                                        double validation_fraction, uint64_t seed);

// validation: when not empty, used as the validation set instead of a random split of records
// (e.g. ArchiveII's given folds); records then all train.
S1TrainSummary train_s1(S1Model& model, std::vector<RnaRecord> records, const S1TrainOptions& opts,
                        std::vector<RnaRecord> validation = {});

}  // namespace seqnn::rna
