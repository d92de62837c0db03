// ds::train_vae: the run directory's files, checkpoint cadence and pruning, snapshots, the loss
// curve, resume from the newest checkpoint (bit-identical to an unbroken run), and its refusals.
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "deepsequence/toy_data.h"
#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/deepsequence/train_run.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::ds {
namespace {

struct ToyRun {
  test::TempDir dir;
  std::string aln = dir.file("toy.a2m"), cfg = dir.file("cfg.json");
  ToyRun() {
    test::write_text(aln, test_data::toy_alignment());
    test::write_text(cfg, test_data::toy_config());
  }
  TrainVaeOptions options(const std::string& out, int64_t updates) const {
    TrainVaeOptions o;
    o.alignment = aln;
    o.config = cfg;
    o.out_dir = dir.file(out);
    o.updates = updates;
    o.checkpoint_every = 0;
    o.log_every = 2;
    o.seed = 3;
    o.progress = false;
    return o;
  }
};

void expect_same_parameters(const std::string& a, const std::string& b) {
  const Checkpoint x = load_checkpoint(a), y = load_checkpoint(b);
  EXPECT_TRUE(torch::equal(x.model->encoder_params(), y.model->encoder_params())) << a << " vs " << b;
  EXPECT_TRUE(torch::equal(x.model->decoder_mu(), y.model->decoder_mu())) << a << " vs " << b;
  EXPECT_TRUE(torch::equal(x.model->decoder_log_sigma(), y.model->decoder_log_sigma())) << a << " vs " << b;
}

// The loss curve without its seconds column (timings differ between runs).
std::string curve_without_seconds(const std::string& path) {
  std::string out;
  for (const std::string& line : split(test::read_text(path), '\n')) {
    std::vector<std::string> f = split(line, '\t');
    if (f.size() > 1) f.erase(f.begin() + 1);
    out += join(f, '\t') + "\n";
  }
  return out;
}

// The run directory's names are the shared trainers' (train_dir.h) plus snapshots and loss.tsv.
TEST(DsTrainRun, NewestCheckpointByUpdateNumber) {
  test::TempDir dir;
  EXPECT_EQ(newest_training_checkpoint(dir.path()), -1);
  EXPECT_EQ(newest_training_checkpoint(dir.file("missing")), -1);
  for (const char* name : {"checkpoint_3.pt", "checkpoint_12.pt", "checkpoint_9.pt", "checkpoint_x.pt", "snapshot_40.pt",
                           "checkpoint_50.pt.partial", "model_best.pt"}) {
    test::write_text(dir.file(name), "");
  }
  EXPECT_EQ(newest_training_checkpoint(dir.path()), 12);
  EXPECT_EQ(training_checkpoint_path("d", 7), "d/checkpoint_7.pt");
  EXPECT_EQ(run_snapshot_path("d", 7), "d/snapshot_7.pt");
  EXPECT_EQ(training_best_model_path("d"), "d/model_best.pt");
  EXPECT_EQ(run_loss_curve_path("d"), "d/loss.tsv");
}

TEST(DsTrainRun, SameParametersAsTheTrainerDrivenByHand) {
  ToyRun t;
  const TrainVaeResult r = train_vae(t.options("run", 5));
  EXPECT_EQ(r.model_path, t.dir.file("run/model_best.pt"));
  EXPECT_TRUE(std::isfinite(r.last.elbo()));
  const Alignment aln = read_alignment(t.aln);
  Vae model(VaeConfig::from_file(t.cfg), aln.length(), 3);
  const at::Tensor codes = encode_codes(aln.sequences);
  VaeTrainer trainer(model, one_hot_codes(codes).reshape({aln.size(), -1}), sequence_weights(codes), 4);
  for (int i = 0; i < 5; ++i) trainer.step(false);
  const Checkpoint ck = load_checkpoint(r.model_path);
  EXPECT_TRUE(torch::equal(ck.model->decoder_mu(), model.decoder_mu()));
  EXPECT_TRUE(torch::equal(ck.model->encoder_params(), model.encoder_params()));
  EXPECT_TRUE(ck.adam.empty()) << "model_best.pt holds parameters only";
  EXPECT_EQ(ck.steps, 5);
  EXPECT_DOUBLE_EQ(ck.focus.neff, trainer.neff());
  EXPECT_EQ(r.plan.sequences, aln.size());
  EXPECT_EQ(r.plan.first_update, 0);
}

TEST(DsTrainRun, CheckpointsSnapshotsAndLossCurve) {
  ToyRun t;
  TrainVaeOptions o = t.options("run", 10);
  o.checkpoint_every = 4;
  o.snapshot_every = 5;
  o.log_every = 3;
  o.keep_checkpoints = true;
  std::vector<TrainVaeCheckpoint> seen;
  o.on_checkpoint = [&](const TrainVaeCheckpoint& c) { seen.push_back(c); };
  const TrainVaeResult r = train_vae(o);
  ASSERT_EQ(seen.size(), 2u) << "at 4 and 8; the final one is the result's";
  EXPECT_EQ(seen[1].update, 8);
  EXPECT_EQ(seen[1].batches, 4);
  EXPECT_EQ(seen[1].path, t.dir.file("run/checkpoint_8.pt"));
  EXPECT_TRUE(std::isfinite(seen[1].mean_elbo));
  EXPECT_EQ(r.checkpoint_path, t.dir.file("run/checkpoint_10.pt"));
  for (const char* f : {"checkpoint_4.pt", "checkpoint_8.pt", "checkpoint_10.pt", "snapshot_5.pt", "snapshot_10.pt",
                        "model_best.pt", "loss.tsv", "config.json"}) {
    EXPECT_TRUE(test::exists(t.dir.file(std::string("run/") + f))) << f;
  }
  const Checkpoint snap = load_checkpoint(t.dir.file("run/snapshot_5.pt"));
  EXPECT_EQ(snap.steps, 5);
  EXPECT_TRUE(snap.adam.empty());
  EXPECT_EQ(load_checkpoint(t.dir.file("run/checkpoint_8.pt")).adam.size(), 6u);
  const std::vector<std::string> rows = split(test::read_text(t.dir.file("run/loss.tsv")), '\n');
  ASSERT_EQ(rows.size(), 6u) << "header, updates 3 6 9 10, trailing newline";
  EXPECT_EQ(rows[0], "step\tseconds\tloss\telbo\tlog_px\tkl_z\tkl_decoder");
  EXPECT_EQ(split(rows[4], '\t')[0], "10");
  EXPECT_EQ(VaeConfig::from_file(t.dir.file("run/config.json")).to_json(), VaeConfig::from_file(t.cfg).to_json());
}

TEST(DsTrainRun, ResumeFromTheNewestCheckpointEqualsAnUnbrokenRun) {
  ToyRun t;
  train_vae(t.options("whole", 12));
  TrainVaeOptions first = t.options("pieces", 8);  // a multiple of log_every: the curves then agree
  first.checkpoint_every = 3;
  train_vae(first);
  EXPECT_FALSE(test::exists(t.dir.file("pieces/checkpoint_6.pt"))) << "older checkpoints are removed";
  EXPECT_TRUE(test::exists(t.dir.file("pieces/checkpoint_8.pt")));
  TrainVaeOptions rest = t.options("pieces", 12);
  rest.resume = true;
  rest.seed = 99;  // unused when resuming: the generator state is in the checkpoint
  int64_t resumed_from = -1;
  rest.on_start = [&](const TrainVaePlan& p) { resumed_from = p.first_update; };
  train_vae(rest);
  EXPECT_EQ(resumed_from, 8);
  expect_same_parameters(t.dir.file("whole/model_best.pt"), t.dir.file("pieces/model_best.pt"));
  expect_same_parameters(t.dir.file("whole/checkpoint_12.pt"), t.dir.file("pieces/checkpoint_12.pt"));
  EXPECT_EQ(curve_without_seconds(t.dir.file("whole/loss.tsv")), curve_without_seconds(t.dir.file("pieces/loss.tsv")));
}

TEST(DsTrainRun, RefusesWhatCannotBeResumedOrWouldBeMixed) {
  ToyRun t;
  TrainVaeOptions o = t.options("run", 2);
  o.resume = true;
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("no checkpoint_<N>.pt to resume from"), std::string::npos);
  o.resume = false;
  train_vae(o);
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("checkpoint_2.pt: a checkpoint of an earlier run"), std::string::npos);
  o.resume = true;
  o.updates = 1;
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("beyond the 1 updates"), std::string::npos);
  o.updates = 4;
  test::write_text(t.cfg, R"({"encoder": [16], "latent": 3, "decoder": [8, 12], "dictionary": 4, "batch_size": 10})");
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("differs from the configuration of the run being resumed"),
            std::string::npos);
  o.config.clear();  // the run's own configuration
  EXPECT_EQ(test::error_of([&] { train_vae(o); }), "no error");
  o.out_dir = t.aln + "/run";  // under a regular file
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("toy.a2m/run"), std::string::npos);
}

// A step of 1e30 makes the next ELBO non-finite: the run stops there, naming the update.
TEST(DsTrainRun, ADivergingRunFailsAtTheUpdateItDiverges) {
  ToyRun t;
  test::write_text(t.cfg, R"({"encoder": [16], "latent": 2, "decoder": [8, 12], "dictionary": 4, "batch_size": 10,
      "learning_rate": 1e30})");
  const std::string e = test::error_of([&] { train_vae(t.options("run", 20)); });
  EXPECT_NE(e.find("toy.a2m: training diverged (non-finite ELBO) at update "), std::string::npos) << e;
  EXPECT_FALSE(test::exists(t.dir.file("run/model_best.pt")));
}

// What a GPU run does: statistics read on the host at logged updates only, the other updates'
// ELBO summed on the device. The model, the loss curve and the checkpoints' mean ELBO are the
// same; a divergence is caught at the next logged update.
TEST(DsTrainRun, StatisticsReadOnlyAtLoggedUpdatesChangeNothing) {
  ToyRun t;
  std::vector<double> means[2];
  for (int deferred = 0; deferred < 2; ++deferred) {
    TrainVaeOptions o = t.options(deferred ? "deferred" : "every", 12);
    o.log_every = 5;
    o.checkpoint_every = 4;
    o.defer_stats = deferred == 1;
    o.on_checkpoint = [&](const TrainVaeCheckpoint& c) { means[deferred].push_back(c.mean_elbo); };
    train_vae(o);
  }
  expect_same_parameters(t.dir.file("every/model_best.pt"), t.dir.file("deferred/model_best.pt"));
  ASSERT_EQ(means[0].size(), 2u);
  EXPECT_EQ(means[0], means[1]);
  auto curve_without_seconds = [&](const std::string& run) {
    std::string out;
    for (const auto& line : split(test::read_text(t.dir.file(run + "/loss.tsv")), '\n')) {
      std::vector<std::string> f = split(line, '\t');
      if (f.size() > 1) f.erase(f.begin() + 1);
      out += join(f) + "\n";
    }
    return out;
  };
  EXPECT_EQ(curve_without_seconds("every"), curve_without_seconds("deferred"));
  test::write_text(t.cfg, R"({"encoder": [16], "latent": 2, "decoder": [8, 12], "dictionary": 4, "batch_size": 10,
      "learning_rate": 1e30})");
  TrainVaeOptions o = t.options("diverging", 20);
  o.log_every = 10;
  o.defer_stats = true;
  const std::string e = test::error_of([&] { train_vae(o); });
  EXPECT_NE(e.find("toy.a2m: training diverged (non-finite ELBO) "), std::string::npos) << e;
}

TEST(DsTrainRun, ABadAlignmentOrConfigLeavesNoOutputDirectory) {
  // The directory used to be made before the inputs were read, and stayed behind empty.
  ToyRun t;
  test::write_text(t.dir.file("bad.a2m"), "not an alignment\n");
  TrainVaeOptions o = t.options("run", 2);
  o.alignment = t.dir.file("bad.a2m");
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("bad.a2m:1:"), std::string::npos);
  o.alignment = t.aln;
  test::write_text(t.cfg, R"({"encoder": [1000000000000], "decoder": [8]})");
  EXPECT_EQ(test::error_of([&] { train_vae(o); }), t.cfg + ": encoder: 1000000000000 is too large (at most 16777216)");
  test::write_text(t.cfg, R"({"encoder": [16000000], "decoder": [8]})");  // fine alone, too many weights for 12 columns
  EXPECT_NE(test::error_of([&] { train_vae(o); }).find("deepsequence config: encoder/decoder widths give "), std::string::npos);
  EXPECT_FALSE(test::exists(t.dir.file("run")));
}

}  // namespace
}  // namespace seqnn::ds
