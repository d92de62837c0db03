#include "seqnn/deepsequence/train_run.h"

#include <torch/torch.h>

#include <memory>

#include "deepsequence/vae_rounds.h"
#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/training/train_loop.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/memory.h"

namespace seqnn::ds {
namespace {

// The model to train: the newest checkpoint of out_dir when resuming, else a fresh VAE.
std::unique_ptr<Vae> make_vae_to_train(const TrainVaeOptions& o, const Alignment& aln, Checkpoint& ck) {
  if (!o.resume) {
    const VaeConfig cfg = o.config.empty() ? VaeConfig{} : VaeConfig::from_file(o.config);
    return std::make_unique<Vae>(cfg, aln.length(), o.seed);
  }
  const int64_t newest = newest_training_checkpoint(o.out_dir);
  if (newest < 0) fail(o.out_dir, "no checkpoint_<N>.pt to resume from");
  const std::string path = training_checkpoint_path(o.out_dir, newest);
  ck = load_checkpoint(path);
  if (ck.adam.empty()) fail(path, "holds no optimiser state; cannot resume");
  check_same_focus(ck.focus, aln);
  if (!o.config.empty() && VaeConfig::from_file(o.config).to_json() != ck.model->config().to_json()) {
    fail(o.config, "differs from the configuration of the run being resumed (" + path + ")");
  }
  return std::move(ck.model);
}

void check_train_vae_options(const TrainVaeOptions& o) {
  if (o.out_dir.empty()) throw Error("DeepSequence training needs an output directory");
  if (o.updates < 0 || o.checkpoint_every < 0 || o.snapshot_every < 0 || o.log_every <= 0) {
    throw Error("updates, checkpoint_every and snapshot_every must be >= 0, log_every > 0");
  }
}

void write_vae_config(const std::string& dir, const VaeConfig& config) {
  AtomicFile f(dir + "/config.json");
  f.write(config.to_json() + "\n");
  f.commit();
}

// Rounds of updates to each checkpoint; no validation set, so the model at the end is the one
// to use.
TrainLoopOptions vae_loop_options(const TrainVaeOptions& o) {
  TrainLoopOptions loop;
  loop.total = o.updates;
  loop.round_size = o.checkpoint_every;
  loop.out_dir = o.out_dir;
  loop.resume = o.resume;
  loop.metrics_csv = false;
  loop.keep_checkpoints = o.keep_checkpoints;
  loop.best_set.clear();
  loop.parallel = o.parallel;
  return loop;
}

}  // namespace

std::string run_snapshot_path(const std::string& dir, int64_t update) {
  return dir + "/snapshot_" + std::to_string(update) + ".pt";
}
std::string run_loss_curve_path(const std::string& dir) { return dir + "/loss.tsv"; }

TrainVaeResult train_vae(const TrainVaeOptions& o) {
  check_train_vae_options(o);
  keep_freed_memory();
  // The inputs are read before the directory is made, so a bad alignment or config leaves none.
  check_training_dir(o.out_dir, o.resume);
  const Alignment aln = read_alignment(o.alignment);
  Checkpoint ck;
  std::unique_ptr<Vae> model = make_vae_to_train(o, aln, ck);
  if (o.resume && o.updates < ck.steps) {
    fail(o.out_dir, "the checkpoint is at update " + std::to_string(ck.steps) + ", beyond the " +
                        std::to_string(o.updates) + " updates asked for");
  }
  const bool writes = o.parallel.writes_files();  // rank 0 of a data-parallel run
  if (writes) {
    prepare_training_dir(o.out_dir, o.resume);
    check_writable(training_best_model_path(o.out_dir));
  }
  model->to(torch::Device(o.device));
  if (writes) write_vae_config(o.out_dir, model->config());
  WeightsOptions wo;
  wo.theta = model->config().theta;
  wo.device = o.device;
  wo.method = o.weights_method;
  const at::Tensor codes = encode_codes(aln.sequences);
  const at::Tensor weights = sequence_weights(codes, wo);
  VaeTrainer trainer(*model, one_hot_codes(codes).reshape({aln.size(), -1}), weights, o.seed + 1);
  if (o.defer_stats) trainer.defer_host_reads(true);
  if (o.resume) trainer.set_state(ck.adam, ck.steps, ck.rng_state);
  trainer.set_parallel(o.parallel);
  TrainVaeResult r;
  r.plan = {aln.size(), aln.length(), trainer.neff(), trainer.steps_done(), o.updates};
  if (o.on_start) o.on_start(r.plan);
  VaeRounds rounds(o, *model, trainer, focus_of(aln, trainer.neff()));
  const TrainLoopResult l = run_train_loop(rounds, vae_loop_options(o));
  r.seconds = rounds.seconds();
  r.last = rounds.last_step();
  r.model_path = l.best_model;
  r.checkpoint_path = l.checkpoint;
  return r;
}

}  // namespace seqnn::ds
