#pragma once
// DeepSequence on the shared training loop (seqnn/training/train_loop.h; private to libseqnn,
// used by train_run.cpp). A round is the updates up to the next checkpoint (--checkpoint-every);
// within it every update is checked for divergence, logged to the loss curve every log_every
// updates and kept as a snapshot every snapshot_every. A checkpoint is the model file with
// Adam's moments and the generator (checkpoint.h) plus the loss curve up to it, and model_best.pt
// is the parameters alone. One progress bar spans the whole run.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/deepsequence/focus.h"
#include "seqnn/deepsequence/loss_curve.h"
#include "seqnn/deepsequence/train_run.h"
#include "seqnn/deepsequence/trainer.h"
#include "seqnn/training/train_loop.h"
#include "seqnn/util/progress.h"

namespace seqnn::ds {

class VaeRounds : public RoundTask {
 public:
  // The model and trainer are ready: fresh, or already at the resumed checkpoint's state (the
  // model's configuration comes from that checkpoint, so train_vae reads it before building them).
  VaeRounds(const TrainVaeOptions& options, Vae& model, VaeTrainer& trainer, FocusInfo focus);

  std::vector<MetricsRow> run_round(int64_t first, int64_t last) override;
  void save_checkpoint(const std::string& path, const TrainState& state) override;
  TrainState restore(const std::string& dir) override;
  void save_model(const std::string& path) override;
  void load_model(const std::string& path) override;
  std::vector<at::Tensor> model_tensors() override;

  double seconds() const { return seconds_; }  // the updates of this call, to the end of the last round
  const StepStats& last_step() const { return last_; }

 private:
  StepStats one_update(int64_t update);

  const TrainVaeOptions& o_;
  Vae& model_;
  VaeTrainer& trainer_;
  const FocusInfo focus_;
  LossCurve curve_;
  const int64_t first_update_;
  ProgressBar bar_;
  StepStats last_;
  double seconds_ = 0;
  at::Tensor elbo_total_;  // the updates' ELBO since the last checkpoint, on the model's device
  int64_t elbo_n_ = 0;
  int64_t unread_ = 0;     // updates since the total was last read on the host
  double mean_elbo(int64_t update);  // reads the total; fails when it is not finite
};

}  // namespace seqnn::ds
