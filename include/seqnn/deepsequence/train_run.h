#pragma once
// A whole DeepSequence training run, as `seqnn deepseq train` does it: read the alignment, weigh
// the sequences, build (or resume) the VAE, and run the updates on the shared training loop
// (seqnn/training/train_loop.h: rounds of checkpoint_every updates) with a progress bar, keeping
// the run's files in one output directory (the layout every seqnn trainer uses, docs/cli.md and
// seqnn/training/train_dir.h):
//   DIR/model_best.pt       the model after the last update (no validation: the last is the one
//                           to use; parameters only) - `deepseq score --model DIR/model_best.pt`
//   DIR/checkpoint_<N>.pt   resumable state after update N (parameters, Adam moments, random
//                           generator; 3x the parameters' size): every checkpoint_every updates
//                           and at the end; older ones are deleted unless keep_checkpoints
//   DIR/snapshot_<K>.pt     parameters after update K, every snapshot_every (for rho curves)
//   DIR/loss.tsv            the loss curve (loss_curve.h)
//   DIR/config.json         the model configuration in effect (usable as --config)
// Resuming continues from the newest checkpoint and gives the parameters of an uninterrupted run
// bit for bit.
#include <cstdint>
#include <functional>
#include <string>

#include "seqnn/deepsequence/trainer.h"
#include "seqnn/deepsequence/weights.h"

namespace seqnn::ds {

// DIR/model_best.pt, DIR/checkpoint_<N>.pt and the newest checkpoint: seqnn/training/train_dir.h.
std::string run_snapshot_path(const std::string& dir, int64_t update);  // DIR/snapshot_<K>.pt
std::string run_loss_curve_path(const std::string& dir);               // DIR/loss.tsv

// What the run is about to do, once the data and the sequence weights are ready.
struct TrainVaePlan {
  int64_t sequences = 0, columns = 0;
  double neff = 0;
  int64_t first_update = 0;  // > 0 when resuming
  int64_t updates = 0;       // the total the run goes to
};

// A checkpoint just written, with the mean ELBO of the batches since the previous one (one
// batch's ELBO is noisy).
struct TrainVaeCheckpoint {
  int64_t update = 0;
  int64_t batches = 0;
  double mean_elbo = 0;
  std::string path;
};

struct TrainVaeOptions {
  std::string alignment;  // a2m / a3m / aligned FASTA, focus sequence first
  std::string config;     // VAE JSON; empty: the paper's configuration (or, resuming, the run's)
  std::string out_dir;    // created when missing
  int64_t updates = 300000;        // total; a resumed run continues to it
  int64_t checkpoint_every = 10000;  // 0: only at the end
  int64_t snapshot_every = 0;        // 0: none
  int64_t log_every = 100;           // a loss-curve row every K updates (> 0)
  bool resume = false;               // continue from the newest checkpoint in out_dir
  bool keep_checkpoints = false;     // keep every checkpoint, not only the newest
  WeightsMethod weights_method = WeightsMethod::kAuto;
  std::string device = "cpu";
  uint64_t seed = 0;  // model initialisation (seed) and batches/noise (seed + 1); unused on resume
  bool progress = true;  // progress bar with the running mean ELBO on stderr
  // Read the step statistics on the host at logged updates only, summing the others' ELBO on the
  // device (no host synchronisation in between; what a GPU run always does). The numbers are the
  // same; a divergence is then reported at the next logged update ("by update N").
  bool defer_stats = false;
  // One rank of a data-parallel run (VaeTrainer::set_parallel): batch size per rank.
  DataParallel parallel;
  std::function<void(const TrainVaePlan&)> on_start;
  std::function<void(const TrainVaeCheckpoint&)> on_checkpoint;  // not called for the final one
};

struct TrainVaeResult {
  TrainVaePlan plan;
  double seconds = 0;  // the updates only (not reading, weights or the final save)
  StepStats last;      // the last batch
  std::string model_path, checkpoint_path;
};

// Throws seqnn::Error (naming the file) for bad input, a non-finite ELBO (divergence), --resume
// without a checkpoint, a fresh run into a directory that holds one, or a config that differs
// from the resumed run's.
TrainVaeResult train_vae(const TrainVaeOptions& options);

}  // namespace seqnn::ds
