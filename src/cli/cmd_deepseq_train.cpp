// seqnn deepseq train: fit the DeepSequence VAE to an alignment (ds::train_vae); the output
// directory holds model_best.pt, checkpoint_<N>.pt, snapshot_<K>.pt, loss.tsv and config.json.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/common_options.h"
#include "cli/distributed_options.h"
#include "cli/deepseq_common.h"
#include "seqnn/deepsequence/train_run.h"

namespace seqnn::cli {
namespace {

struct DeepseqTrainArgs {
  CommonOptions common;
  DistributedCliOptions dist;
  std::string weights_method = "auto";
  bool resume = false;
  ds::TrainVaeOptions run;
};

void run_deepseq_train(DeepseqTrainArgs& a) {
  if (auto status = launch_local_workers_if_asked(a.dist, "seqnn deepseq train")) {
    if (*status != 0) std::exit(*status);
    return;
  }
  ds::TrainVaeOptions& o = a.run;
  const JoinedRun run = join_training_run(a.dist, apply_common_options(a.common));
  o.device = run.device;
  o.parallel = run.parallel;
  o.seed = a.common.seed;
  o.resume = a.resume;
  o.progress = !a.common.quiet && run.reports();
  o.weights_method = ds::parse_weights_method(a.weights_method);
  if (run.reports()) o.on_start = [&o](const ds::TrainVaePlan& p) {
    std::fprintf(stderr, "seqnn deepseq train: %lld sequences x %lld columns, Neff %.1f; %lld -> %lld updates on %s\n",
                 static_cast<long long>(p.sequences), static_cast<long long>(p.columns), p.neff,
                 static_cast<long long>(p.first_update), static_cast<long long>(p.updates), o.device.c_str());
  };
  if (o.progress) {
    o.on_checkpoint = [](const ds::TrainVaeCheckpoint& c) {
      std::fprintf(stderr, "\ncheckpoint at update %lld: mean ELBO of the last %lld batches %.2f -> %s\n",
                   static_cast<long long>(c.update), static_cast<long long>(c.batches), c.mean_elbo, c.path.c_str());
    };
  }
  const ds::TrainVaeResult r = ds::train_vae(o);
  if (!run.reports()) return;
  const int64_t done = r.plan.updates - r.plan.first_update;
  std::fprintf(stderr,
               "seqnn deepseq train: %lld updates in %.1f s (%.2f updates/s)%s; last batch ELBO %.2f, loss %.2f -> %s\n",
               static_cast<long long>(done), r.seconds, done / std::max(r.seconds, 1e-9),
               run.parallel.distributed() ? (" across " + std::to_string(run.parallel.size()) + " ranks").c_str() : "",
               r.last.elbo(), r.last.loss,
               r.model_path.c_str());
}

}  // namespace

void register_deepseq_train(CLI::App& deepseq) {
  auto a = std::make_shared<DeepseqTrainArgs>();
  ds::TrainVaeOptions& o = a->run;
  auto* cmd = add_command(deepseq, "train", "train the DeepSequence VAE on an alignment");
  add_alignment_option(cmd, o.alignment, "a2m / a3m / aligned FASTA; focus sequence first")->required();
  add_config_option(cmd, o.config, "model/training JSON (default: the paper's configuration)");
  add_out_option(cmd, o.out_dir,
                 "output directory: model_best.pt, checkpoint_<N>.pt, snapshot_<K>.pt, loss.tsv, config.json");
  cmd->add_option("--updates", o.updates, "total number of updates (a resumed run continues to it)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_resume_flag(cmd, a->resume);
  cmd->add_option("--checkpoint-every", o.checkpoint_every,
                  "write OUT/checkpoint_<N>.pt every K updates (0 = only at the end)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_flag("--keep-checkpoints", o.keep_checkpoints, "keep every checkpoint, not only the newest");
  cmd->add_option("--snapshot-every", o.snapshot_every, "also keep parameters in OUT/snapshot_<K>.pt every K updates (0 = none)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--log-every", o.log_every, "loss-curve row (OUT/loss.tsv) every K updates")
      ->check(kPositive)
      ->capture_default_str();
  add_weights_method_option(cmd, a->weights_method);
  add_common_options(cmd, a->common);
  add_distributed_options(cmd, a->dist);
  cmd->callback([a] { run_deepseq_train(*a); });
}

}  // namespace seqnn::cli
