#include "deepsequence/vae_rounds.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/util/error.h"

namespace seqnn::ds {

VaeRounds::VaeRounds(const TrainVaeOptions& o, Vae& model, VaeTrainer& trainer, FocusInfo focus)
    : o_(o), model_(model), trainer_(trainer), focus_(std::move(focus)), curve_(run_loss_curve_path(o.out_dir)),
      first_update_(trainer.steps_done()), bar_("deepseq train", o.updates - trainer.steps_done(), "upd", o.progress) {}

std::vector<MetricsRow> VaeRounds::run_round(int64_t first, int64_t last) {
  for (int64_t update = first; update <= last; ++update) {
    last_ = one_update(update);
    bar_.update(update - first_update_);
    if (o_.snapshot_every > 0 && update % o_.snapshot_every == 0 && o_.parallel.writes_files()) {
      ds::save_checkpoint(run_snapshot_path(o_.out_dir, update), model_, focus_, &trainer_, /*optimizer_state=*/false);
    }
  }
  seconds_ = bar_.elapsed_seconds();
  if (last == o_.updates) bar_.finish();
  return {};  // the curve is loss.tsv, kept by the checkpoints
}

StepStats VaeRounds::one_update(int64_t update) {
  const bool log = update % o_.log_every == 0 || update == o_.updates;
  const StepStats s = trainer_.step(log);
  // Summed where it was computed, in one order whatever is read when, and read on the host only
  // with resolved statistics (every update on the CPU, logged ones on a GPU).
  elbo_total_ = elbo_total_.defined() ? elbo_total_.add_(s.elbo_on_device) : s.elbo_on_device.clone();
  ++elbo_n_;
  if (s.resolved) {
    if (unread_ == 0 && !std::isfinite(s.log_px)) {
      fail(o_.alignment, "training diverged (non-finite ELBO) at update " + std::to_string(update));
    }
    char status[64];
    std::snprintf(status, sizeof status, "ELBO %.2f", mean_elbo(update));
    bar_.set_status(status);
  } else {
    ++unread_;
  }
  if (log) curve_.add(update, bar_.elapsed_seconds(), s);
  return s;
}

double VaeRounds::mean_elbo(int64_t update) {
  const double sum = elbo_total_.defined() ? elbo_total_.item<double>() : 0.0;
  if (!std::isfinite(sum)) fail(o_.alignment, "training diverged (non-finite ELBO) by update " + std::to_string(update));
  unread_ = 0;
  return sum / static_cast<double>(std::max<int64_t>(elbo_n_, 1));
}

void VaeRounds::save_checkpoint(const std::string& path, const TrainState& state) {
  ds::save_checkpoint(path, model_, focus_, &trainer_);
  curve_.write();
  if (state.done >= o_.updates) return;  // the final one is the run's result, not a report
  if (o_.on_checkpoint) o_.on_checkpoint({state.done, elbo_n_, mean_elbo(state.done), path});
  elbo_total_ = at::Tensor();
  elbo_n_ = 0;
}

TrainState VaeRounds::restore(const std::string& /*dir*/) {
  // The model and trainer were built from the checkpoint; the curve keeps its rows up to it.
  curve_.load_existing(trainer_.steps_done());
  TrainState state;
  state.done = trainer_.steps_done();
  return state;
}

void VaeRounds::save_model(const std::string& path) {
  ds::save_checkpoint(path, model_, focus_, &trainer_, /*optimizer_state=*/false);
}

std::vector<at::Tensor> VaeRounds::model_tensors() {
  return {model_.encoder_params(), model_.decoder_mu(), model_.decoder_log_sigma()};
}

void VaeRounds::load_model(const std::string& path) {
  const Checkpoint ck = load_checkpoint(path);
  if (ck.model->config().to_json() != model_.config().to_json()) fail(path, "is not a model of the run being trained");
  torch::NoGradGuard no_grad;
  model_.encoder_params().copy_(ck.model->encoder_params());
  model_.decoder_mu().copy_(ck.model->decoder_mu());
  model_.decoder_log_sigma().copy_(ck.model->decoder_log_sigma());
}

}  // namespace seqnn::ds
