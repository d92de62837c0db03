#include "seqnn/deepsequence/train_run.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/deepsequence/loss_curve.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/memory.h"
#include "seqnn/util/progress.h"

namespace seqnn::ds {
namespace {

namespace fs = std::filesystem;

// The N of "checkpoint_<N>.pt", or -1 for any other name.
int64_t checkpoint_number(const std::string& name) {
  const std::string head = "checkpoint_", tail = ".pt";
  if (name.size() <= head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
      name.compare(name.size() - tail.size(), tail.size(), tail) != 0) {
    return -1;
  }
  const std::string digits = name.substr(head.size(), name.size() - head.size() - tail.size());
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 18) return -1;
  return std::stoll(digits);
}

// Deletes the checkpoints older than update `keep` (each holds the optimiser state: 600 MB for
// BLAT); the newest is all a resume needs.
void remove_older_checkpoints(const std::string& dir, int64_t keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const int64_t n = checkpoint_number(entry.path().filename().string());
    if (n >= 0 && n < keep) fs::remove(entry.path(), ec);
  }
}

// The model to train: the newest checkpoint of out_dir when resuming, else a fresh VAE.
std::unique_ptr<Vae> make_model(const TrainVaeOptions& o, const Alignment& aln, Checkpoint& ck) {
  const int64_t newest = newest_checkpoint(o.out_dir);
  if (!o.resume) {
    if (newest >= 0) {
      fail(run_checkpoint_path(o.out_dir, newest), "a checkpoint of an earlier run: resume it, or train into another directory");
    }
    const VaeConfig cfg = o.config.empty() ? VaeConfig{} : VaeConfig::from_file(o.config);
    return std::make_unique<Vae>(cfg, aln.length(), o.seed);
  }
  if (newest < 0) fail(o.out_dir, "no checkpoint_<N>.pt to resume from");
  const std::string path = run_checkpoint_path(o.out_dir, newest);
  ck = load_checkpoint(path);
  if (ck.adam.empty()) fail(path, "holds no optimiser state; cannot resume");
  check_same_focus(ck.focus, aln);
  if (!o.config.empty() && VaeConfig::from_file(o.config).to_json() != ck.model->config().to_json()) {
    fail(o.config, "differs from the configuration of the run being resumed (" + path + ")");
  }
  return std::move(ck.model);
}

void check_options(const TrainVaeOptions& o) {
  if (o.out_dir.empty()) throw Error("DeepSequence training needs an output directory");
  if (o.updates < 0 || o.checkpoint_every < 0 || o.snapshot_every < 0 || o.log_every <= 0) {
    throw Error("updates, checkpoint_every and snapshot_every must be >= 0, log_every > 0");
  }
}

void write_config(const std::string& dir, const VaeConfig& config) {
  AtomicFile f(dir + "/config.json");
  f.write(config.to_json() + "\n");
  f.commit();
}

// The update loop with its files; the model and trainer are ready.
class RunLoop {
 public:
  RunLoop(const TrainVaeOptions& o, Vae& model, VaeTrainer& trainer, FocusInfo focus)
      : o_(o), model_(model), trainer_(trainer), focus_(std::move(focus)), curve_(run_loss_curve_path(o.out_dir)) {
    if (o.resume) curve_.load_existing(trainer.steps_done());
  }

  TrainVaeResult run(TrainVaePlan plan) {
    const int64_t first = trainer_.steps_done();
    ProgressBar bar("deepseq train", o_.updates - first, "upd", o_.progress);
    StepStats last;
    while (trainer_.steps_done() < o_.updates) {
      last = one_update(bar);
      bar.update(trainer_.steps_done() - first);
      after_update();
    }
    bar.finish();
    TrainVaeResult r;
    r.plan = plan;
    r.seconds = bar.elapsed_seconds();
    r.last = last;
    r.checkpoint_path = save_resumable();
    r.model_path = run_model_path(o_.out_dir);
    save_checkpoint(r.model_path, model_, focus_, &trainer_, /*optimizer_state=*/false);
    return r;
  }

 private:
  StepStats one_update(ProgressBar& bar) {
    const int64_t next = trainer_.steps_done() + 1;
    const bool log = next % o_.log_every == 0 || next == o_.updates;
    const StepStats s = trainer_.step(log);
    if (!std::isfinite(s.log_px)) fail(o_.alignment, "training diverged (non-finite ELBO) at update " + std::to_string(next));
    elbo_sum_ += s.elbo();
    ++elbo_n_;
    char status[64];
    std::snprintf(status, sizeof status, "ELBO %.2f", elbo_sum_ / static_cast<double>(elbo_n_));
    bar.set_status(status);
    if (log) curve_.add(next, bar.elapsed_seconds(), s);
    return s;
  }

  void after_update() {
    const int64_t done = trainer_.steps_done();
    if (o_.snapshot_every > 0 && done % o_.snapshot_every == 0) {
      save_checkpoint(run_snapshot_path(o_.out_dir, done), model_, focus_, &trainer_, /*optimizer_state=*/false);
    }
    if (o_.checkpoint_every > 0 && done % o_.checkpoint_every == 0 && done < o_.updates) {
      TrainVaeCheckpoint c{done, elbo_n_, elbo_sum_ / static_cast<double>(elbo_n_), save_resumable()};
      if (o_.on_checkpoint) o_.on_checkpoint(c);
      elbo_sum_ = 0;
      elbo_n_ = 0;
    }
  }

  // The checkpoint and the loss curve that goes with it.
  std::string save_resumable() {
    const int64_t done = trainer_.steps_done();
    const std::string path = run_checkpoint_path(o_.out_dir, done);
    save_checkpoint(path, model_, focus_, &trainer_);
    curve_.write();
    if (!o_.keep_checkpoints) remove_older_checkpoints(o_.out_dir, done);
    return path;
  }

  const TrainVaeOptions& o_;
  Vae& model_;
  VaeTrainer& trainer_;
  const FocusInfo focus_;
  LossCurve curve_;
  double elbo_sum_ = 0;
  int64_t elbo_n_ = 0;
};

}  // namespace

std::string run_model_path(const std::string& dir) { return dir + "/model_best.pt"; }
std::string run_checkpoint_path(const std::string& dir, int64_t update) {
  return dir + "/checkpoint_" + std::to_string(update) + ".pt";
}
std::string run_snapshot_path(const std::string& dir, int64_t update) {
  return dir + "/snapshot_" + std::to_string(update) + ".pt";
}
std::string run_loss_curve_path(const std::string& dir) { return dir + "/loss.tsv"; }

int64_t newest_checkpoint(const std::string& dir) {
  int64_t newest = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    newest = std::max(newest, checkpoint_number(entry.path().filename().string()));
  }
  return newest;
}

TrainVaeResult train_vae(const TrainVaeOptions& o) {
  check_options(o);
  keep_freed_memory();
  ensure_directory(o.out_dir);
  check_writable(run_model_path(o.out_dir));
  const Alignment aln = read_alignment(o.alignment);
  Checkpoint ck;
  std::unique_ptr<Vae> model = make_model(o, aln, ck);
  if (o.resume && o.updates < ck.steps) {
    fail(o.out_dir, "the checkpoint is at update " + std::to_string(ck.steps) + ", beyond the " +
                        std::to_string(o.updates) + " updates asked for");
  }
  model->to(torch::Device(o.device));
  write_config(o.out_dir, model->config());
  WeightsOptions wo;
  wo.theta = model->config().theta;
  wo.device = o.device;
  wo.method = o.weights_method;
  const at::Tensor codes = encode_codes(aln.sequences);
  const at::Tensor weights = sequence_weights(codes, wo);
  VaeTrainer trainer(*model, one_hot_codes(codes).reshape({aln.size(), -1}), weights, o.seed + 1);
  if (o.resume) trainer.set_state(ck.adam, ck.steps, ck.rng_state);
  const TrainVaePlan plan{aln.size(), aln.length(), trainer.neff(), trainer.steps_done(), o.updates};
  if (o.on_start) o.on_start(plan);
  RunLoop loop(o, *model, trainer, focus_of(aln, trainer.neff()));
  return loop.run(plan);
}

}  // namespace seqnn::ds
