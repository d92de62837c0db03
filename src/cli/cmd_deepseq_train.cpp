// seqnn deepseq train: fit the DeepSequence VAE to an alignment; checkpoints, resume, loss curve.
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cli/common_options.h"
#include "cli/deepseq_common.h"
#include "seqnn/deepsequence/trainer.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {
namespace {

struct TrainArgs {
  CommonOptions common;
  std::string alignment, config, out, resume, curve;
  int64_t updates = 300000;
  int64_t checkpoint_every = 10000;
  int64_t log_every = 100;
  int64_t snapshot_every = 0;
  std::string weights_method = "auto";
};

// The loss curve: one row per logged step; rewritten whole at every checkpoint (atomically), so
// a resumed run continues the file of the run it resumes.
class LossCurve {
 public:
  explicit LossCurve(std::string path) : path_(std::move(path)) {}
  void load_existing(int64_t upto) {
    std::FILE* f = std::fopen(path_.c_str(), "r");
    if (!f) return;
    char line[512];
    while (std::fgets(line, sizeof line, f)) {
      if (std::atoll(line) > 0 && std::atoll(line) <= upto) text_ += line;
    }
    std::fclose(f);
  }
  void add(int64_t step, double secs, const ds::StepStats& s) {
    text_ += std::to_string(step);
    for (double v : {secs, s.loss, s.elbo(), s.log_px, s.kl_z, s.kl_decoder}) {
      text_ += "\t";
      append_number(text_, v);
    }
    text_ += "\n";
  }
  void write() const {
    AtomicFile f(path_);
    f.write("step\tseconds\tloss\telbo\tlog_px\tkl_z\tkl_decoder\n" + text_);
    f.commit();
  }

 private:
  std::string path_, text_;
};

// model.pt -> model.step1000.pt
std::string snapshot_path(const std::string& out, int64_t step) {
  const std::string tag = ".step" + std::to_string(step);
  return ends_with(out, ".pt") ? out.substr(0, out.size() - 3) + tag + ".pt" : out + tag;
}

void run_train(const TrainArgs& a) {
  keep_freed_memory();
  const std::string device = apply_common_options(a.common);
  if (a.updates < 0 || a.log_every <= 0 || a.checkpoint_every < 0 || a.snapshot_every < 0) throw Error("--updates, --log-every, --checkpoint-every must be >= 0 (log-every > 0)");
  check_writable(a.out);
  ds::Alignment aln = ds::read_alignment(a.alignment);
  std::unique_ptr<ds::Vae> owned;
  ds::Checkpoint ck;
  if (!a.resume.empty()) {
    if (!a.config.empty()) throw Error("--resume takes the configuration from the checkpoint; drop --config");
    ck = ds::load_checkpoint(a.resume);
    check_same_focus(ck.focus, aln);
    owned = std::move(ck.model);
  } else {
    ds::VaeConfig cfg = a.config.empty() ? ds::VaeConfig{} : ds::VaeConfig::from_file(a.config);
    owned = std::make_unique<ds::Vae>(cfg, aln.length(), a.common.seed);
  }
  ds::Vae& model = *owned;
  model.to(torch::Device(device));
  ds::WeightsOptions wo;
  wo.theta = model.config().theta;
  wo.device = device;
  wo.method = ds::parse_weights_method(a.weights_method);
  at::Tensor codes = ds::encode_codes(aln.sequences);
  at::Tensor weights = ds::sequence_weights(codes, wo);
  ds::VaeTrainer trainer(model, ds::one_hot_codes(codes).reshape({aln.size(), -1}), weights, a.common.seed + 1);
  if (!a.resume.empty()) {
    if (ck.adam.empty()) fail(a.resume, "holds no optimiser state; cannot resume");
    trainer.set_state(ck.adam, ck.steps, ck.rng_state);
  }
  const ds::FocusInfo focus = focus_of(aln, trainer.neff());
  LossCurve curve(a.curve.empty() ? a.out + ".loss.tsv" : a.curve);
  if (!a.resume.empty()) curve.load_existing(trainer.steps_done());
  std::fprintf(stderr, "seqnn deepseq train: %lld sequences x %lld columns, Neff %.1f; %lld -> %lld updates on %s\n",
               static_cast<long long>(aln.size()), static_cast<long long>(aln.length()), trainer.neff(),
               static_cast<long long>(trainer.steps_done()), static_cast<long long>(a.updates), device.c_str());

  const int64_t first = trainer.steps_done();
  ProgressBar bar("deepseq train", a.updates - first, "upd", !a.common.quiet);
  double elbo_sum = 0;
  int64_t elbo_n = 0;
  ds::StepStats last;
  while (trainer.steps_done() < a.updates) {
    const bool log = (trainer.steps_done() + 1) % a.log_every == 0 || trainer.steps_done() + 1 == a.updates;
    last = trainer.step(log);
    if (!std::isfinite(last.log_px)) fail(a.alignment, "training diverged (non-finite ELBO) at update " + std::to_string(trainer.steps_done()));
    elbo_sum += last.elbo();
    ++elbo_n;
    // Running mean over the updates since the last checkpoint: one batch's ELBO is noisy.
    char status[64];
    std::snprintf(status, sizeof status, "ELBO %.2f", elbo_sum / static_cast<double>(elbo_n));
    bar.set_status(status);
    if (log) curve.add(trainer.steps_done(), bar.elapsed_seconds(), last);
    bar.update(trainer.steps_done() - first);
    if (a.snapshot_every > 0 && trainer.steps_done() % a.snapshot_every == 0) {
      ds::save_checkpoint(snapshot_path(a.out, trainer.steps_done()), model, focus, &trainer, /*optimizer_state=*/false);
    }
    if (a.checkpoint_every > 0 && trainer.steps_done() % a.checkpoint_every == 0 && trainer.steps_done() < a.updates) {
      ds::save_checkpoint(a.out, model, focus, &trainer);
      curve.write();
      if (!a.common.quiet) {
        std::fprintf(stderr, "\ncheckpoint at update %lld: mean ELBO of the last %lld batches %.2f -> %s\n",
                     static_cast<long long>(trainer.steps_done()), static_cast<long long>(elbo_n), elbo_sum / elbo_n,
                     a.out.c_str());
      }
      elbo_sum = 0;
      elbo_n = 0;
    }
  }
  bar.finish();
  ds::save_checkpoint(a.out, model, focus, &trainer);
  curve.write();
  const double secs = bar.elapsed_seconds();
  std::fprintf(stderr,
               "seqnn deepseq train: %lld updates in %.1f s (%.2f updates/s); last batch ELBO %.2f, loss %.2f -> %s\n",
               static_cast<long long>(a.updates - first), secs, (a.updates - first) / std::max(secs, 1e-9), last.elbo(),
               last.loss, a.out.c_str());
}

}  // namespace

void register_deepseq_train(CLI::App& deepseq) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = deepseq.add_subcommand("train", "train the DeepSequence VAE on an alignment");
  cmd->add_option("--alignment,-a", a->alignment, "a2m / a3m / aligned FASTA; focus sequence first")->required();
  cmd->add_option("--config,-c", a->config, "model/training JSON (default: the paper's configuration)");
  cmd->add_option("--out,-o", a->out, "model file (also the checkpoint)")->required();
  cmd->add_option("--updates,-n", a->updates, "total number of updates (a resumed run continues to it)")->capture_default_str();
  cmd->add_option("--resume", a->resume, "continue from this checkpoint (optimiser and random state included)");
  cmd->add_option("--checkpoint-every", a->checkpoint_every, "write --out every K updates (0 = only at the end)")->capture_default_str();
  cmd->add_option("--snapshot-every", a->snapshot_every, "also keep <out>.step<K>.pt every K updates (0 = none)")
      ->capture_default_str();
  cmd->add_option("--log-every", a->log_every, "loss-curve row every K updates")->capture_default_str();
  cmd->add_option("--loss-curve", a->curve, "loss curve TSV (default: <out>.loss.tsv)");
  cmd->add_option("--weights-method", a->weights_method, "auto, compare or matmul")->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_train(*a); });
}

}  // namespace seqnn::cli
