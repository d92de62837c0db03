// Character LM, plots and the train / train-lm / generate / plot-metrics commands.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "seqnn/sequence/encoding.h"
#include "seqnn/training/char_lm.h"
#include "seqnn/training/lm_run.h"
#include "seqnn/training/train_request.h"
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
  o.out_dir = dir.path();
  o.progress = false;
  LmTrainResult r = train_char_lm(lm, d, split, o);
  const double after = lm_perplexity(lm, d, split.val);
  EXPECT_LT(after, 1.6) << "before " << before;
  EXPECT_NEAR(after, r.best_val_perplexity, 1e-6 * after);
  EXPECT_NEAR(stepwise_perplexity(lm, d, split.val), after, 1e-4 * after);
  EXPECT_TRUE(test::exists(dir.file("model_best.pt")));
  CharLm back = load_char_lm(dir.file("model_best.pt"));
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
  o.out_dir = whole.path();
  CharLm a = make_char_lm(cfg, 3);
  LmTrainResult ra = train_char_lm(a, d, split, o);
  o.out_dir = parts.path();
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
                         " --negatives " + dir.file("neg.fa") + " --val-fraction 0.25 --test-fraction 0.2 --out " +
                         res + " --threads 1 --quiet --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("best epoch"), std::string::npos) << r.output;
  const std::string cfg = test::read_text(res + "/config.json");
  EXPECT_NE(cfg.find("\"epochs\": 4"), std::string::npos) << cfg;  // the flag overrides the file
  EXPECT_NE(cfg.find("\"seed\": 3"), std::string::npos) << cfg;
  EXPECT_TRUE(test::exists(res + "/checkpoint_4.pt"));
  auto p = test::run_cli("predict --model " + res + "/model_best.pt --fasta " + dir.file("pos.fa") + " --out " +
                         dir.file("p.tsv") + " --quiet");
  ASSERT_EQ(p.exit_code, 0) << p.output;
  // A fresh run into a directory with a checkpoint is refused in one line, leaving its files alone.
  auto again = test::run_cli("train --config " + dir.file("cfg.json") + " --epochs 2 --positives " + dir.file("pos.fa") +
                             " --negatives " + dir.file("neg.fa") + " --out " + res + " --threads 1 --quiet");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.output, "seqnn train: error: " + res +
                              "/checkpoint_4.pt: a checkpoint of an earlier run (continue it with --resume, or train into a new --out)\n");
  EXPECT_EQ(test::read_text(res + "/config.json"), cfg);
  // Enum-like settings are parsed when the job is made, before any training.
  auto bad_optimizer = test::run_cli("train --config " + dir.file("cfg.json") + " --optimizer adamax --positives " + dir.file("pos.fa") +
                           " --negatives " + dir.file("neg.fa") + " --out " + dir.file("bad") + " --threads 1 --quiet");
  EXPECT_NE(bad_optimizer.exit_code, 0);
  EXPECT_NE(bad_optimizer.output.find(dir.file("cfg.json") + ": optimizer: unknown value 'adamax' (allowed: adam, adamw, sgd, rmsprop)"),
            std::string::npos)
      << bad_optimizer.output;
  EXPECT_FALSE(test::exists(dir.file("bad/checkpoint_1.pt")));
  EXPECT_NE(test::read_text(dir.file("p.tsv")).find("label"), std::string::npos);
  auto plot = test::run_cli("plot-metrics " + res + "/metrics.csv --out " + dir.file("c.svg"));
  ASSERT_EQ(plot.exit_code, 0) << plot.output;
  EXPECT_TRUE(test::exists(dir.file("c.svg")));

  auto bad = test::run_cli("train --positives " + dir.file("nope.fa") + " --negatives " + dir.file("neg.fa") +
                           " --out " + dir.file("bad") + " --quiet");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("nope.fa"), std::string::npos) << bad.output;
  auto typo = test::run_cli("train --config " + dir.file("cfg.json") + " --epochs x --out " + dir.file("bad"));
  EXPECT_NE(typo.exit_code, 0);
  EXPECT_NE(typo.output.find("--epochs"), std::string::npos) << typo.output;
}

// train_lm_on_fasta writes the shared layout (config.json included); generate_fasta draws
// sequence i with seed + i, so asking for fewer sequences gives a prefix of the same file.
TEST(TrainingLmRun, TrainsFromFastaAndGenerates) {
  test::TempDir dir;
  std::string fa;
  for (int i = 0; i < 30; ++i) fa += ">p" + std::to_string(i) + "\nACGTACGTACGTACGTACGT\n";
  test::write_text(dir.file("p.fa"), fa);
  LmRunOptions o;
  o.fasta = dir.file("p.fa");
  o.model.alphabet = "dna";
  o.model.embedding = 8;
  o.model.hidden = 12;
  o.train.epochs = 2;
  o.train.batch_size = 8;
  o.train.lr = 0.02;
  o.train.progress = false;
  o.train.out_dir = dir.file("run");
  o.val_fraction = 0.2;
  const LmRunResult r = train_lm_on_fasta(o);
  EXPECT_EQ(r.train_sequences + r.val_sequences, 30);
  EXPECT_EQ(r.val_sequences, 6);
  EXPECT_EQ(r.train.epochs_run, 2);
  for (const char* f : {"checkpoint_1.pt", "checkpoint_2.pt", "model_best.pt", "metrics.csv", "train_state.pt", "config.json"})
    EXPECT_TRUE(test::exists(dir.file(std::string("run/") + f))) << f;
  const std::string cfg = test::read_text(dir.file("run/config.json"));
  EXPECT_NE(cfg.find("\"hidden\": 12"), std::string::npos) << cfg;
  EXPECT_NE(cfg.find("\"epochs\": 2"), std::string::npos) << cfg;
  GenerateOptions g;
  g.n = 3;
  g.max_length = 40;
  g.seed = 7;
  g.progress = false;
  const GeneratedFasta three = generate_fasta(dir.file("run/model_best.pt"), g);
  g.n = 1;
  const GeneratedFasta one = generate_fasta(dir.file("run/model_best.pt"), g);
  EXPECT_EQ(three.text.substr(0, one.text.size()), one.text);
  EXPECT_NE(three.text.find(">gen_3 length="), std::string::npos) << three.text;
  g.n = 0;
  EXPECT_THROW(generate_fasta(dir.file("run/model_best.pt"), g), Error);
  o.train.out_dir = "";
  EXPECT_THROW(train_lm_on_fasta(o), Error);
}

// Defaults < config file (or the resumed run's config.json) < the settings given as flags.
TEST(TrainingRequest, ConfigLayers) {
  test::TempDir dir;
  test::write_text(dir.file("cfg.json"), R"({"epochs": 50, "lr": 0.01, "num_filters": [8]})");
  auto c = nlohmann::json::parse(layered_train_config(dir.file("cfg.json"), "", R"({"epochs": 4})"));
  EXPECT_EQ(c.at("epochs"), 4);
  EXPECT_DOUBLE_EQ(c.at("lr").get<double>(), 0.01);
  EXPECT_EQ(c.at("num_filters"), nlohmann::json::array({8}));
  EXPECT_EQ(c.at("batch_size"), 32);  // the default
  test::write_text(dir.file("config.json"), R"({"epochs": 7, "batch_size": 5})");
  c = nlohmann::json::parse(layered_train_config("", dir.path(), R"({"batch_size": 6})"));
  EXPECT_EQ(c.at("epochs"), 7);
  EXPECT_EQ(c.at("batch_size"), 6);
  c = nlohmann::json::parse(layered_train_config(dir.file("cfg.json"), dir.path(), "{}"));
  EXPECT_EQ(c.at("epochs"), 50);  // an explicit config file wins over the resumed run's
  c = nlohmann::json::parse(layered_train_config("", "", "{}"));
  EXPECT_EQ(c.at("epochs"), 10);
  EXPECT_NE(test::error_of([&] { layered_train_config("", "", R"({"epochz": 1})"); }).find("unknown key 'epochz'"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { layered_train_config(dir.file("none.json"), "", "{}"); }).find(dir.file("none.json")),
            std::string::npos);
}

// run_train_request: the flags' settings over the defaults; with resume, the run's own
// config.json is the middle layer (the model settings need not be given again).
TEST(TrainingRequest, TrainsAndResumesFromTheRunsConfig) {
  test::TempDir dir;
  auto seqs = random_sequences(80, 20, Alphabet::dna(), 5);
  std::string pos, neg;
  for (size_t i = 0; i < seqs.size(); ++i) (i % 2 == 0 ? pos : neg) += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  test::write_text(dir.file("pos.fa"), pos);
  test::write_text(dir.file("neg.fa"), neg);
  nlohmann::json flags = {{"positives", dir.file("pos.fa")}, {"negatives", dir.file("neg.fa")}, {"num_filters", {4}},
                          {"filter_width", {5}},           {"epochs", 2},                    {"out", dir.file("run")}};
  TrainRequest r;
  r.overrides_json = flags.dump();
  r.progress = false;
  std::string started;
  r.on_start = [&](const std::string& line) { started = line; };
  const TrainJobResult first = run_train_request(r);
  EXPECT_EQ(started.find("72 training, 8 validation, 0 test rows; 1 head(s); "), 0u) << started;
  EXPECT_EQ(first.train.epochs_run, 2);
  r.overrides_json = nlohmann::json({{"epochs", 3}, {"out", dir.file("run")}}).dump();
  r.resume = true;
  const TrainJobResult more = run_train_request(r);
  EXPECT_EQ(more.train.epochs_run, 1);
  EXPECT_EQ(more.train.last_epoch, 3);
  EXPECT_TRUE(test::exists(dir.file("run/checkpoint_3.pt")));
  EXPECT_NE(test::read_text(dir.file("run/config.json")).find("\"epochs\": 3"), std::string::npos);
  // Issue 15 B13: a changed architecture (or data) on --resume would mix two runs: refused,
  // before anything is written.
  r.overrides_json = nlohmann::json({{"epochs", 4}, {"num_filters", {8}}, {"out", dir.file("run")}}).dump();
  EXPECT_EQ(test::error_of([&] { run_train_request(r); }),
            dir.file("run/config.json") + ": --resume: setting 'num_filters' was [4] in this run, now [8] (resume with "
                                          "the run's settings, or train into a new --out)");
  EXPECT_FALSE(test::exists(dir.file("run/checkpoint_4.pt")));
}

TEST(TrainingRequest, SummaryLines) {
  EXPECT_EQ(format_metric_values({{"loss", 0.5}, {"y.auroc", 0.75}, {"y.auprc", 1.0}}, 2), "loss 0.5000, y.auroc 0.7500");
  TrainJobResult r;
  r.train.epochs_run = 3;
  r.train.best_epoch = 2;
  r.train.train_seconds = 2.0;
  r.train.train_examples = 300;
  r.train.best_model = "out/model_best.pt";
  r.train.log.add(1, "val", {{"loss", 0.9}});
  r.train.log.add(2, "val", {{"loss", 0.4}, {"y.auroc", 0.8}});
  EXPECT_EQ(summarize_train_result(r, "cpu"),
            "3 epoch(s) on cpu in 2.0 s training (150 seq/s); best epoch 2 (val loss 0.4000, y.auroc 0.8000) -> out/model_best.pt");
  r.test_rows = 10;
  r.test.metrics = {{"loss", 0.45}};
  r.train.stopped_early = true;
  EXPECT_EQ(summarize_train_result(r, "cpu"),
            "3 epoch(s) (early stop) on cpu in 2.0 s training (150 seq/s); best epoch 2 (val loss 0.4000, y.auroc 0.8000); "
            "test loss 0.4500 -> out/model_best.pt");
}

TEST(TrainingCli, TrainFlagsAreTyped) {
  auto help = test::run_cli("train --help");
  for (const char* f : {"--epochs INT", "--lr FLOAT", "--num-filters INT", "--early-stopping INT", "--dropout FLOAT",
                        "--target-columns TEXT ..."})
    EXPECT_NE(help.output.find(f), std::string::npos) << f << "\n" << help.output;
  auto zero = test::run_cli("train --epochs 0 --out /tmp/never");
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_NE(zero.output.find("--epochs"), std::string::npos) << zero.output;
  auto frac = test::run_cli("train --dropout x --out /tmp/never");
  EXPECT_NE(frac.exit_code, 0);
  EXPECT_NE(frac.output.find("--dropout"), std::string::npos) << frac.output;
  auto s1 = test::run_cli("train --arch s1 --data x.tsv --out /tmp/never");
  EXPECT_NE(s1.exit_code, 0);
}

TEST(TrainingCli, TrainLmAndGenerate) {
  test::TempDir dir;
  std::string fa;
  for (int i = 0; i < 40; ++i) fa += ">a" + std::to_string(i) + "\nMK-LV.AAKLVAAK\n";
  test::write_text(dir.file("aln.fa"), fa);
  auto r = test::run_cli("train-lm --fasta " + dir.file("aln.fa") + " --strip-gaps --out " + dir.file("lm") +
                         " --epochs 2 --hidden 16 --quiet --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("perplexity"), std::string::npos);
  auto more = test::run_cli("train-lm --fasta " + dir.file("aln.fa") + " --strip-gaps --out " + dir.file("lm") +
                            " --epochs 3 --hidden 16 --quiet --threads 1 --resume");
  ASSERT_EQ(more.exit_code, 0) << more.output;
  EXPECT_NE(more.output.find("3 epochs (1 in this run"), std::string::npos) << more.output;
  EXPECT_TRUE(test::exists(dir.file("lm/checkpoint_3.pt")));
  auto g1 = test::run_cli("generate --model " + dir.file("lm/model_best.pt") + " --n 4 --seed 5 --out " + dir.file("g1.fa") + " --quiet");
  auto g2 = test::run_cli("generate --model " + dir.file("lm/model_best.pt") + " --n 4 --seed 5 --out " + dir.file("g2.fa") + " --quiet");
  ASSERT_EQ(g1.exit_code, 0) << g1.output;
  EXPECT_EQ(test::read_text(dir.file("g1.fa")), test::read_text(dir.file("g2.fa")));
  EXPECT_NE(test::read_text(dir.file("g1.fa")).find(">gen_4"), std::string::npos);
}

}  // namespace

TEST(TrainingCli, InfiniteLabelsAndUnknownBestRuleColumnsAreRefusedBeforeAnyFile) {
  // Issue 15 B9 (an inf label made the model NaN, exit 0) and B11 (an unknown --best-rule column
  // picked no best epoch, exit 0, no model_best.pt).
  test::TempDir dir;
  std::string fa, labels = "name\ty\n";
  const auto seqs = random_sequences(20, 30, Alphabet::dna(), 4);
  for (size_t i = 0; i < seqs.size(); ++i) {
    fa += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
    labels += "s" + std::to_string(i) + "\t" + (i == 7 ? std::string("inf") : std::to_string(i % 2)) + "\n";
  }
  test::write_text(dir.file("x.fa"), fa);
  test::write_text(dir.file("inf.tsv"), labels);
  auto inf = test::run_cli("train -q -f " + dir.file("x.fa") + " --labels " + dir.file("inf.tsv") + " --epochs 2 -o " +
                           dir.file("a"));
  EXPECT_EQ(inf.exit_code, 1) << inf.output;
  EXPECT_NE(inf.output.find(dir.file("inf.tsv") + ":9: target value 'inf' is not a finite float"), std::string::npos)
      << inf.output;
  EXPECT_FALSE(test::exists(dir.file("a/checkpoint_1.pt")));
  std::string ok = labels;
  ok.replace(ok.find("\tinf\n"), 5, "\t1\n");
  test::write_text(dir.file("ok.tsv"), ok);
  auto rule = test::run_cli("train -q -f " + dir.file("x.fa") + " --labels " + dir.file("ok.tsv") +
                            " --epochs 2 --best-rule y.nosuch -o " + dir.file("b"));
  EXPECT_EQ(rule.exit_code, 1) << rule.output;
  EXPECT_NE(rule.output.find("best rule 'y.nosuch': no such metrics column (the run reports: "), std::string::npos)
      << rule.output;
  // One error line, last (after the run's opening line about its data).
  EXPECT_EQ(rule.output.find('\n', rule.output.find("error: ")), rule.output.size() - 1) << rule.output;
  EXPECT_FALSE(test::exists(dir.file("b/checkpoint_1.pt")));
  EXPECT_FALSE(test::exists(dir.file("b/metrics.csv")));
  // B10: an unknown --lr-schedule was refused only after epoch 1, leaving model_best.pt.
  auto schedule = test::run_cli("train -q -f " + dir.file("x.fa") + " --labels " + dir.file("ok.tsv") +
                                " --epochs 2 --lr-schedule cosine -o " + dir.file("c"));
  EXPECT_EQ(schedule.exit_code, 1) << schedule.output;
  EXPECT_NE(schedule.output.find("cosine"), std::string::npos) << schedule.output;
  EXPECT_NE(schedule.output.find("plateau"), std::string::npos) << schedule.output;  // the allowed values
  EXPECT_FALSE(test::exists(dir.file("c/model_best.pt")));
  EXPECT_FALSE(test::exists(dir.file("c/metrics.csv")));
}


TEST(TrainingCli, TrainLmRefusesLettersOutsideItsAlphabet) {
  // Issue 15 B14: protein text with --alphabet dna was trained on after silently dropping letters
  // (M, K and Y are IUPAC codes, unknown in DNA; I is the first letter DNA has no use for).
  test::TempDir dir;
  std::string fa;
  for (int i = 0; i < 10; ++i) fa += ">p" + std::to_string(i) + "\nACGTNACGT\n";
  fa += ">protein\nMKTAYIAK\n";
  test::write_text(dir.file("p.fa"), fa);
  auto r = test::run_cli("train-lm --fasta " + dir.file("p.fa") + " --alphabet dna --out " + dir.file("lm") +
                         " --epochs 1 --hidden 8 --quiet --threads 1");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(dir.file("p.fa") + ":21: invalid character 'I' at position 6 for alphabet dna"), std::string::npos)
      << r.output;
  EXPECT_FALSE(test::exists(dir.file("lm/model_best.pt")));
}

TEST(TrainingLmRun, WithoutValidationSequencesTheSummarySaysTheBestEpochIsChosenOnTraining) {
  // Issue 15: "validation perplexity 19.77" was reported for 0 validation sequences.
  test::TempDir dir;
  test::write_text(dir.file("two.fa"), ">a\nACGTACGTAC\n>b\nACGTTTGTAC\n");
  LmRunOptions o;
  o.fasta = dir.file("two.fa");
  o.model.alphabet = "dna";
  o.model.embedding = 4;
  o.model.hidden = 4;
  o.train.epochs = 1;
  o.train.progress = false;
  o.train.out_dir = dir.file("run");
  const LmRunResult r = train_lm_on_fasta(o);
  EXPECT_EQ(r.val_sequences, 0);
  EXPECT_TRUE(r.train.best_on_training);
  const std::string line = lm_run_summary(r, o);
  EXPECT_NE(line.find("2 training, 0 validation sequences"), std::string::npos) << line;
  EXPECT_NE(line.find("no validation sequences, so best epoch 1 by training perplexity"), std::string::npos) << line;
  EXPECT_EQ(line.find("validation perplexity"), std::string::npos) << line;
  LmRunResult with_val = r;
  with_val.train.best_on_training = false;
  EXPECT_NE(lm_run_summary(with_val, o).find("best epoch 1, validation perplexity "), std::string::npos);
}

TEST(TrainingRequest, WithoutValidationRowsTheSummaryNamesTheTrainingMetrics) {
  TrainJobResult r;
  r.train.epochs_run = 1;
  r.train.best_epoch = 1;
  r.train.train_seconds = 1.0;
  r.train.train_examples = 10;
  r.train.best_model = "out/model_best.pt";
  r.train.log.add(1, "train", {{"loss", 0.7}});
  EXPECT_EQ(summarize_train_result(r, "cpu"),
            "1 epoch(s) on cpu in 1.0 s training (10 seq/s); best epoch 1 (no validation rows; chosen on training loss 0.7000) "
            "-> out/model_best.pt");
}

TEST(TrainingCharLm, AbsurdSizesAreRefusedNamingTheSetting) {
  EXPECT_EQ(test::error_of([] { CharLmConfig::from_json(R"({"hidden": 1000000000000})", "flags"); }),
            "flags: hidden: 1000000000000 is too large (at most 16777216)");
  EXPECT_NE(test::error_of([] { CharLmConfig::from_json(R"({"hidden": 100000, "layers": 3})", "flags"); })
                .find("flags: hidden: the model would have "),
            std::string::npos);
  // Found by fuzzing: a number beyond int64 (stored as a double) was converted with undefined behaviour.
  EXPECT_NE(test::error_of([] { CharLmConfig::from_json(R"({"hidden": 111111111111111111111111111111185})", "flags"); })
                .find("flags: hidden: expected an integer"),
            std::string::npos);
  EXPECT_NE(test::error_of([] { CharLmConfig::from_json(R"({"hidden": 2.5})", "flags"); }).find("expected an integer"),
            std::string::npos);
}

}  // namespace seqnn
