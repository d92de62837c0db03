// Recurrent models, losses, the training loop, checkpoints and --resume.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "seqnn/models/native.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/training/epoch_loop.h"
#include "seqnn/training/heads.h"
#include "seqnn/training/train_job.h"
#include "seqnn/training/trainer.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

RnnConfig small_rnn(const std::string& cell, bool bi, int64_t embedding, bool conv) {
  std::string j = R"({"type": "rnn", "alphabet": "dna", "cell": ")" + cell + R"(", "hidden": 8, "layers": 2,
      "bidirectional": )" + (bi ? "true" : "false") + R"(, "embedding": )" + std::to_string(embedding) +
                  (conv ? R"(, "conv": [{"filters": 6, "width": 3, "padding": "same", "pool": 2}])" : "") +
                  R"(, "dense": [{"units": 5}], "outputs": 2, "pool": "mean"})";
  return RnnConfig::from_json(j, "test");
}

// Padding must not change a sequence's output: alone vs in a batch with a longer sequence.
TEST(TrainingRnn, PaddingDoesNotChangeOutputsAndSaveLoadRoundTrips) {
  test::TempDir dir;
  for (const auto& cell : {"lstm", "gru"}) {
    for (bool bi : {false, true}) {
      for (int64_t emb : {0, 4}) {
        for (bool conv : {false, true}) {
          RnnConfig cfg = small_rnn(cell, bi, emb, conv);
          for (const auto& pool : {"last", "mean", "max"}) {
            cfg.pool = parse_enum(pool, sequence_pool_names(), "test");
            Model m = make_rnn_model(cfg, 3);
            auto seqs = random_sequences(1, 12, Alphabet::dna(), 5);
            seqs.push_back(random_sequences(1, 30, Alphabet::dna(), 6)[0]);
            EncodeOptions eo;
            eo.dtype = at::kFloat;
            PaddedBatch both = pad_one_hot(seqs, Alphabet::dna(), 0, eo);
            torch::NoGradGuard g;
            at::Tensor batch = m.forward(both.x).tensor();
            at::Tensor alone = m.forward(one_hot_encode(seqs[0], Alphabet::dna(), eo).unsqueeze(0)).tensor();
            EXPECT_TENSOR_NEAR(batch[0], alone[0], 1e-5) << cell << " bi=" << bi << " emb=" << emb << " conv=" << conv
                                                          << " pool=" << pool;
            m.save(dir.file("rnn.pt"));
            Model back = Model::load(dir.file("rnn.pt"));
            EXPECT_TENSOR_NEAR(back.forward(both.x).tensor(), batch, 0) << cell;
            EXPECT_EQ(back.info().parameters, m.info().parameters);
          }
        }
      }
    }
  }
}

// `seqnn predict` on a FASTA of mixed lengths: each chunk is zero-padded to its longest sequence,
// and every row must equal the model run on that sequence alone (no padding at all).
TEST(TrainingRnn, PredictTakesMixedLengthsForRecurrentModelsOnly) {
  test::TempDir dir;
  Model m = make_rnn_model(small_rnn("lstm", true, 0, true), 4);
  m.save(dir.file("rnn.pt"));
  std::string fa;
  std::vector<std::string> seqs;
  for (int i = 0; i < 7; ++i) {
    seqs.push_back(random_sequences(1, 5 + 4 * ((i * 3) % 7), Alphabet::dna(), 20 + i)[0]);
    fa += ">s" + std::to_string(i) + "\n" + seqs.back() + "\n";
  }
  test::write_text(dir.file("mixed.fa"), fa);
  auto r = test::run_cli("predict -m " + dir.file("rnn.pt") + " -f " + dir.file("mixed.fa") + " -o " +
                         dir.file("p.npy") + " --batch-size 2 --chunk 3 --threads 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("7 sequences of length 5-29"), std::string::npos) << r.output;
  at::Tensor got = load_npy(dir.file("p.npy"));
  ASSERT_EQ(got.size(0), 7);
  EncodeOptions eo;
  eo.dtype = at::kFloat;
  torch::NoGradGuard g;
  for (int i = 0; i < 7; ++i) {
    at::Tensor alone = m.forward(one_hot_encode(seqs[static_cast<size_t>(i)], Alphabet::dna(), eo).unsqueeze(0)).tensor();
    EXPECT_TENSOR_NEAR(got[i], alone[0], 1e-5) << "sequence " << i;
  }
  // A CNN (global pooling, no fixed length) cannot skip padding: mixed lengths are an error
  // naming the record.
  test::write_text(dir.file("cnn.json"), R"({"alphabet": "dna", "input_length": 20, "global_pool": "max",
      "conv": [{"filters": 4, "width": 3, "padding": "same"}], "outputs": 1})");
  auto init = test::run_cli("init-model -c " + dir.file("cnn.json") + " -o " + dir.file("cnn.pt"));
  ASSERT_EQ(init.exit_code, 0) << init.output;
  auto bad = test::run_cli("predict -m " + dir.file("cnn.pt") + " -f " + dir.file("mixed.fa") + " -o " +
                           dir.file("q.npy") + " --threads 1 -q");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("mixed.fa:3 (s1): sequence length"), std::string::npos) << bad.output;
  EXPECT_FALSE(test::exists(dir.file("q.npy")));
}

TEST(TrainingRnn, ConfigErrorsNameTheField) {
  EXPECT_THROW(RnnConfig::from_json(R"({"type": "rnn", "cell": "rnn"})", "c.json"), Error);
  EXPECT_THROW(RnnConfig::from_json(R"({"type": "rnn", "hiden": 3})", "c.json"), Error);
  EXPECT_THROW(RnnConfig::from_json(R"({"type": "rnn", "pool": "first"})", "c.json"), Error);
}

// A motif task: positives carry GGATCC somewhere in 40 bp.
Dataset motif_data(int n, uint64_t seed) {
  Dataset d;
  d.targets = {"motif"};
  d.source = "synthetic";
  std::mt19937_64 rng(seed);
  auto seqs = random_sequences(n, 40, Alphabet::dna(), seed);
  for (int i = 0; i < n; ++i) {
    const bool pos = i % 2 == 0;
    std::string s = seqs[static_cast<size_t>(i)];
    if (pos) s.replace(rng() % 34, 6, "GGATCC");
    d.examples.push_back({"s" + std::to_string(i), s, {pos ? 1.f : 0.f}, {1.f}, "", "synthetic:" + std::to_string(i)});
  }
  return d;
}

std::string train_config(const std::string& result, int64_t epochs, const std::string& extra = "") {
  return R"({"arch": "cnn", "num_filters": [8], "filter_width": [7], "dense_units": [8], "epochs": )" +
         std::to_string(epochs) + R"(, "batch_size": 16, "lr": 0.01, "out": ")" + result + "\"" + extra + "}";
}

TrainJob motif_job(const std::string& config) {
  TrainJob job = prepare_train_job(config, "test", motif_data(400, 11));
  SplitOptions so;
  so.val_fraction = 0.25;
  so.test_fraction = 0.1;
  job.split = make_split(job.data, so);
  job.options.progress = false;
  return job;
}

// A scripted task: epoch k reports validation loss losses[k-1]; the "model" is the number of the
// epoch whose weights it holds, so saving and loading can be followed through the files.
class ScriptedTask : public EpochTask {
 public:
  explicit ScriptedTask(std::vector<double> losses) : losses_(std::move(losses)), w_(torch::zeros({1}, torch::requires_grad())), opt_({w_}, torch::optim::SGDOptions(0.1)) {}
  std::vector<MetricsRow> run_epoch(int64_t epoch) override {
    ran.push_back(epoch);
    holds = epoch;
    return {{epoch, "train", {{"loss", 1.0}}}, {epoch, "val", {{"loss", losses_.at(static_cast<size_t>(epoch - 1))}}}};
  }
  void save_model(const std::string& path) override { test::write_text(path, std::to_string(holds)); }
  void load_model(const std::string& path) override { holds = std::stoll(test::read_text(path)); }
  torch::optim::Optimizer& optimizer() override { return opt_; }
  void resumed(int64_t epoch) override { resumed_after = epoch; }
  std::vector<int64_t> ran;
  int64_t holds = 0, resumed_after = -1;

 private:
  std::vector<double> losses_;
  torch::Tensor w_;
  torch::optim::SGD opt_;
};

TEST(TrainingEpochLoop, BestEpochEarlyStoppingAndResume) {
  const std::vector<double> losses = {0.9, 0.5, 0.7, 0.6, 0.8, 0.4};
  test::TempDir whole, parts;
  TrainLoopOptions o;
  o.total = 6;
  o.early_stopping = 3;
  o.rule = BestEpochRule::parse("loss");
  o.out_dir = whole.path();
  ScriptedTask a(losses);
  const TrainLoopResult ra = run_epoch_loop(a, o);
  EXPECT_EQ(a.ran, (std::vector<int64_t>{1, 2, 3, 4, 5}));  // 3 epochs after the best (2): stop
  EXPECT_TRUE(ra.stopped_early);
  EXPECT_EQ(ra.best, 2);
  EXPECT_EQ(ra.rounds_run, 5);
  EXPECT_EQ(ra.done, 5);
  EXPECT_EQ(ra.best_model, whole.file("model_best.pt"));
  EXPECT_EQ(a.holds, 2);  // the best epoch's weights at the end
  EXPECT_EQ(test::read_text(whole.file("checkpoint_4.pt")), "4");
  EXPECT_TRUE(test::exists(whole.file("train_state.pt")));
  EXPECT_EQ(test::read_text(whole.file("metrics.csv")), ra.log.to_csv());

  o.out_dir = parts.path();
  o.total = 3;
  ScriptedTask b(losses);
  run_epoch_loop(b, o);
  o.total = 6;
  o.resume = true;
  ScriptedTask c(losses);
  const TrainLoopResult rc = run_epoch_loop(c, o);
  EXPECT_EQ(c.resumed_after, 3);
  EXPECT_EQ(c.ran, (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(rc.log.to_csv(), ra.log.to_csv());
  EXPECT_EQ(rc.best, 2);
  EXPECT_EQ(rc.rounds_run, 2);
  EXPECT_EQ(c.holds, 2);

  // A fresh run into a directory with a checkpoint is refused before any epoch runs.
  o.resume = false;
  ScriptedTask d(losses);
  EXPECT_EQ(test::error_of([&] { run_epoch_loop(d, o); }),
            parts.file("checkpoint_5.pt") + ": a checkpoint of an earlier run (continue it with --resume, or train into a new --out)");
  EXPECT_TRUE(d.ran.empty());

  o.out_dir = "";
  EXPECT_THROW(run_epoch_loop(c, o), Error);
}

TEST(TrainingLoop, LearnsAMotifAndWritesCheckpointsAndMetrics) {
  test::TempDir dir;
  TrainJob job = motif_job(train_config(dir.path(), 4, R"(, "lr_schedule": "plateau", "clip_grad_norm": 1.0)"));
  TrainJobResult r = run_train_job(job);
  EXPECT_EQ(r.train.epochs_run, 4);
  for (int e = 1; e <= 4; ++e) EXPECT_TRUE(test::exists(dir.file("checkpoint_" + std::to_string(e) + ".pt")));
  EXPECT_TRUE(test::exists(dir.file("model_best.pt")));
  EXPECT_TRUE(test::exists(dir.file("config.json")));
  EXPECT_TRUE(test::exists(dir.file("test_predictions.tsv")));
  MetricsLog log = MetricsLog::read(dir.file("metrics.csv"));
  EXPECT_EQ(log.columns(), (std::vector<std::string>{"loss", "motif.auroc", "motif.auprc", "motif.accuracy"}));
  ASSERT_EQ(log.rows().size(), 9u);  // 4 x (train, val) + test
  EXPECT_EQ(log.rows().back().tv, "test");
  EXPECT_GT(log.rows().back().get("motif.auroc"), 0.9);
  // The best checkpoint is a model file predict can load; it reproduces the test metrics.
  Model best = Model::load(dir.file("model_best.pt"));
  Evaluation again = evaluate_model(best, job.data, job.split.test, job.heads, 7, 0);
  EXPECT_NEAR(again.metrics[1].second, log.rows().back().get("motif.auroc"), 1e-9);
}

TEST(TrainingLoop, ResumeGivesTheSameResultAsOneRun) {
  test::TempDir once, twice;
  const std::string extra = R"(, "optimizer": "adamw", "dropout": 0.2, "weight_decay": 0.01)";
  TrainJob a = motif_job(train_config(once.path(), 3, extra));
  run_train_job(a);
  TrainJob b1 = motif_job(train_config(twice.path(), 2, extra));
  run_train_job(b1);
  TrainJob b2 = motif_job(train_config(twice.path(), 3, extra));
  b2.options.resume = true;
  TrainJobResult r = run_train_job(b2);
  EXPECT_EQ(r.train.epochs_run, 1);
  EXPECT_EQ(test::read_text(once.file("metrics.csv")), test::read_text(twice.file("metrics.csv")));
  Model m1 = Model::load(once.file("checkpoint_3.pt")), m2 = Model::load(twice.file("checkpoint_3.pt"));
  auto p1 = native_module(m1)->named_parameters(), p2 = native_module(m2)->named_parameters();
  ASSERT_EQ(p1.size(), p2.size());
  for (const auto& kv : p1) EXPECT_TRUE(torch::equal(kv.value(), p2[kv.key()])) << kv.key();
}

TEST(TrainingLoop, RecurrentRegressionOnVariableLengths) {
  // Target = fraction of G in sequences of 5..25 letters: an LSTM with bucketing learns it.
  test::TempDir dir;
  Dataset d;
  d.targets = {"gc"};
  auto seqs = random_sequences(600, 25, Alphabet::dna(), 2);
  for (size_t i = 0; i < seqs.size(); ++i) {
    std::string s = seqs[i].substr(0, 5 + i % 21);
    const double g = std::count(s.begin(), s.end(), 'G') / static_cast<double>(s.size());
    d.examples.push_back({"r" + std::to_string(i), s, {static_cast<float>(g)}, {1.f}, "", "x"});
  }
  TrainJob job = prepare_train_job(R"({"arch": "lstm", "hidden": 16, "bidirectional": true, "rnn_pool": "mean",
      "epochs": 6, "batch_size": 16, "lr": 0.01, "bucket": true, "auc_threshold": 0.3, "out": ")" + dir.path() + "\"}",
                                   "test", d);
  EXPECT_EQ(job.heads[0].auc_threshold, 0.3);
  job.split = make_split(d, SplitOptions{});
  job.options.progress = false;
  TrainJobResult r = run_train_job(job);
  const MetricsRow& last = r.train.log.rows().back();
  EXPECT_EQ(last.tv, "val");
  EXPECT_GT(last.get("gc.pearson"), 0.8);
  EXPECT_FALSE(std::isnan(last.get("gc.auroc")));
}

TEST(TrainingConfig, UnknownOrMistypedSettingsFail) {
  EXPECT_THROW(effective_train_config(R"({"epoch": 3})", "cfg.json"), Error);
  EXPECT_THROW(effective_train_config(R"({"epochs": "3"})", "cfg.json"), Error);
  EXPECT_NE(effective_train_config(R"({"epochs": 3})", "cfg.json").find("\"epochs\": 3"), std::string::npos);
}

}  // namespace
}  // namespace seqnn
