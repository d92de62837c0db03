// Character LM, plots and the train / train-lm / generate / plot-metrics commands.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "seqnn/sequence/encoding.h"
#include "seqnn/training/char_lm.h"
#include "seqnn/training/plot.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

Dataset periodic_data() {
  Dataset d;
  d.source = "synthetic";
  for (int i = 0; i < 60; ++i) {
    std::string s;
    for (int k = 0; k < 8 + i % 5; ++k) s += "ACGT";
    d.examples.push_back({"p" + std::to_string(i), s, {}, {}, "", "x"});
  }
  return d;
}

// Perplexity by stepping token by token with carried state (a different code path from the
// batched, padded evaluation) must agree with lm_perplexity.
double stepwise_perplexity(CharLm& lm, const Dataset& d, const std::vector<int64_t>& rows) {
  torch::NoGradGuard g;
  double nll = 0;
  int64_t n = 0;
  for (int64_t r : rows) {
    std::vector<int64_t> toks = tokenize(d.examples[static_cast<size_t>(r)].sequence, Alphabet::dna());
    toks.push_back(0);
    std::vector<torch::Tensor> state;
    int64_t prev = 0;
    for (int64_t t : toks) {
      torch::Tensor logp = torch::log_softmax(lm->forward(torch::full({1, 1}, prev, torch::kLong), &state)[0][0].to(torch::kDouble), 0);
      nll -= logp[t].item<double>();
      ++n;
      prev = t;
    }
  }
  return std::exp(nll / n);
}

TEST(TrainingCharLm, LearnsAPeriodicSequenceAndSamplesDeterministically) {
  test::TempDir dir;
  CharLmConfig cfg;
  cfg.alphabet = "dna";
  cfg.embedding = 8;
  cfg.hidden = 24;
  CharLm lm = make_char_lm(cfg, 1);
  Dataset d = periodic_data();
  SplitOptions so;
  so.val_fraction = 0.2;
  Split split = make_split(d, so);
  const double before = lm_perplexity(lm, d, split.val);
  EXPECT_NEAR(stepwise_perplexity(lm, d, split.val), before, 1e-4 * before);
  LmTrainOptions o;
  o.epochs = 8;
  o.batch_size = 8;
  o.lr = 0.02;
  o.result_dir = dir.path();
  o.progress = false;
  LmTrainResult r = train_char_lm(lm, d, split, o);
  const double after = lm_perplexity(lm, d, split.val);
  EXPECT_LT(after, 1.6) << "before " << before;
  EXPECT_NEAR(after, r.best_val_perplexity, 1e-6 * after);
  EXPECT_NEAR(stepwise_perplexity(lm, d, split.val), after, 1e-4 * after);
  EXPECT_TRUE(test::exists(dir.file("lm_best.pt")));
  CharLm back = load_char_lm(dir.file("lm_best.pt"));
  auto a = generate_sequences(back, 3, 60, 0.5, 9), b = generate_sequences(lm, 3, 60, 0.5, 9);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, generate_sequences(lm, 3, 60, 0.5, 10));
  for (const auto& s : a) EXPECT_NE(s.find("ACGTACGT"), std::string::npos) << s;
}

// Two epochs, stop, resume to four == four epochs in one go: same log, same weights.
TEST(TrainingCharLm, ResumeGivesTheUninterruptedRun) {
  test::TempDir whole, parts;
  CharLmConfig cfg;
  cfg.alphabet = "dna";
  cfg.embedding = 8;
  cfg.hidden = 16;
  cfg.dropout = 0.2;  // dropout masks must also continue from the same random stream
  Dataset d = periodic_data();
  SplitOptions so;
  so.val_fraction = 0.2;
  Split split = make_split(d, so);
  LmTrainOptions o;
  o.epochs = 4;
  o.batch_size = 8;
  o.lr = 0.02;
  o.progress = false;
  o.seed = 3;
  o.result_dir = whole.path();
  CharLm a = make_char_lm(cfg, 3);
  LmTrainResult ra = train_char_lm(a, d, split, o);
  o.result_dir = parts.path();
  o.epochs = 2;
  CharLm b = make_char_lm(cfg, 3);
  train_char_lm(b, d, split, o);
  o.epochs = 4;
  o.resume = true;
  CharLm c = make_char_lm(cfg, 99);  // fresh weights: resume must replace them
  LmTrainResult rc = train_char_lm(c, d, split, o);
  EXPECT_EQ(ra.log.to_csv(), rc.log.to_csv());
  EXPECT_EQ(ra.best_epoch, rc.best_epoch);
  EXPECT_DOUBLE_EQ(ra.best_val_perplexity, rc.best_val_perplexity);
  auto pa = a->named_parameters(), pc = c->named_parameters();
  for (const auto& p : pa) EXPECT_TRUE(torch::equal(p.value(), pc[p.key()])) << p.key();
  cfg.hidden = 20;
  CharLm other = make_char_lm(cfg, 3);
  EXPECT_THROW(train_char_lm(other, d, split, o), Error);
}

TEST(TrainingPlot, SvgAndPng) {
  MetricsLog log;
  for (int e = 1; e <= 3; ++e) {
    log.add(e, "train", {{"loss", 1.0 / e}, {"y.auroc", 0.5 + 0.1 * e}});
    log.add(e, "val", {{"loss", 1.2 / e}, {"y.auroc", 0.5 + 0.09 * e}});
  }
  log.add(3, "test", {{"loss", 0.5}, {"y.auroc", 0.77}});
  const std::string svg = metrics_svg(log);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("y.auroc"), std::string::npos);
  test::TempDir dir;
  write_metrics_plot(log, dir.file("c.png"));
  const std::string png = test::read_text(dir.file("c.png"));
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_THROW(write_metrics_plot(log, dir.file("c.jpg")), Error);
}

TEST(TrainingCli, TrainPredictPlotAndErrors) {
  test::TempDir dir;
  // Positives carry a motif; the model must beat chance clearly after a few epochs.
  auto seqs = random_sequences(240, 30, Alphabet::dna(), 4);
  std::string pos, neg;
  for (size_t i = 0; i < seqs.size(); ++i) {
    std::string s = seqs[i];
    if (i % 2 == 0) s.replace(i % 24, 6, "TTGACA");
    (i % 2 == 0 ? pos : neg) += ">s" + std::to_string(i) + "\n" + s + "\n";
  }
  test::write_text(dir.file("pos.fa"), pos);
  test::write_text(dir.file("neg.fa"), neg);
  test::write_text(dir.file("cfg.json"), R"({"epochs": 50, "num_filters": [8], "filter_width": [6], "lr": 0.01})");
  const std::string res = dir.file("run");
  auto r = test::run_cli("train --config " + dir.file("cfg.json") + " --epochs 4 --positives " + dir.file("pos.fa") +
                         " --negatives " + dir.file("neg.fa") + " --val-fraction 0.25 --test-fraction 0.2 --result " +
                         res + " --threads 1 --quiet --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("best epoch"), std::string::npos) << r.output;
  const std::string cfg = test::read_text(res + "/config.json");
  EXPECT_NE(cfg.find("\"epochs\": 4"), std::string::npos) << cfg;  // the flag overrides the file
  EXPECT_NE(cfg.find("\"seed\": 3"), std::string::npos) << cfg;
  EXPECT_TRUE(test::exists(res + "/model_ckpt_ep_4.pt"));
  auto p = test::run_cli("predict --model " + res + "/model_best.pt --fasta " + dir.file("pos.fa") + " --out " +
                         dir.file("p.tsv") + " --quiet");
  ASSERT_EQ(p.exit_code, 0) << p.output;
  EXPECT_NE(test::read_text(dir.file("p.tsv")).find("label"), std::string::npos);
  auto plot = test::run_cli("plot-metrics " + res + "/metrics.csv --out " + dir.file("c.svg"));
  ASSERT_EQ(plot.exit_code, 0) << plot.output;
  EXPECT_TRUE(test::exists(dir.file("c.svg")));

  auto bad = test::run_cli("train --positives " + dir.file("nope.fa") + " --negatives " + dir.file("neg.fa") +
                           " --result " + dir.file("bad") + " --quiet");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("nope.fa"), std::string::npos) << bad.output;
  auto typo = test::run_cli("train --config " + dir.file("cfg.json") + " --epochs x --result " + dir.file("bad"));
  EXPECT_NE(typo.exit_code, 0);
  EXPECT_NE(typo.output.find("--epochs"), std::string::npos) << typo.output;
}

TEST(TrainingCli, TrainLmAndGenerate) {
  test::TempDir dir;
  std::string fa;
  for (int i = 0; i < 40; ++i) fa += ">a" + std::to_string(i) + "\nMK-LV.AAKLVAAK\n";
  test::write_text(dir.file("aln.fa"), fa);
  auto r = test::run_cli("train-lm --fasta " + dir.file("aln.fa") + " --strip-gaps --result " + dir.file("lm") +
                         " --epochs 2 --hidden 16 --quiet --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("perplexity"), std::string::npos);
  auto more = test::run_cli("train-lm --fasta " + dir.file("aln.fa") + " --strip-gaps --result " + dir.file("lm") +
                            " --epochs 3 --hidden 16 --quiet --threads 1 --resume");
  ASSERT_EQ(more.exit_code, 0) << more.output;
  EXPECT_NE(more.output.find("3 epochs (1 in this run"), std::string::npos) << more.output;
  EXPECT_TRUE(test::exists(dir.file("lm/lm_ckpt_ep_3.pt")));
  auto g1 = test::run_cli("generate --model " + dir.file("lm/lm_best.pt") + " --n 4 --seed 5 --out " + dir.file("g1.fa") + " --quiet");
  auto g2 = test::run_cli("generate --model " + dir.file("lm/lm_best.pt") + " --n 4 --seed 5 --out " + dir.file("g2.fa") + " --quiet");
  ASSERT_EQ(g1.exit_code, 0) << g1.output;
  EXPECT_EQ(test::read_text(dir.file("g1.fa")), test::read_text(dir.file("g2.fa")));
  EXPECT_NE(test::read_text(dir.file("g1.fa")).find(">gen_4"), std::string::npos);
}

}  // namespace
}  // namespace seqnn
