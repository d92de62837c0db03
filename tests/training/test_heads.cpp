// Output heads: kinds and tasks parsed once from their config names, the heads a data set gets,
// the output activation they ask for, hand-computed losses, and the errors a bad value gives.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "seqnn/models/native.h"
#include "seqnn/training/heads.h"
#include "seqnn/training/train_job.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

// Three rows: a 0/1 column, a numeric one and a class index (0..2, one value missing).
Dataset three_column_data() {
  Dataset d;
  d.targets = {"bound", "affinity", "family"};
  d.source = "heads.tsv";
  d.examples = {{"a", "ACGTACGT", {1.f, 0.5f, 2.f}, {1.f, 1.f, 1.f}, "", "heads.tsv:2"},
                {"b", "CCGTACGA", {0.f, 2.5f, 0.f}, {1.f, 1.f, 0.f}, "", "heads.tsv:3"},
                {"c", "GGGTACGT", {1.f, 1.0f, 1.f}, {1.f, 1.f, 1.f}, "", "heads.tsv:4"}};
  return d;
}

// Column `k` of three_column_data() alone.
Dataset one_column(size_t k) {
  Dataset d = three_column_data();
  d.targets = {d.targets[k]};
  for (auto& ex : d.examples) {
    ex.target = {ex.target[k]};
    ex.mask = {ex.mask[k]};
  }
  return d;
}

TEST(TrainingHeads, KindsAndTasksReadAndWriteTheirConfigNames) {
  for (const char* name : {"binary", "multiclass", "regression"}) {
    EXPECT_STREQ(name_of(parse_enum(name, head_kind_names(), "test")), name);
  }
  EXPECT_EQ(parse_enum("auto", head_task_names(), "test"), HeadTask::kAuto);
  EXPECT_EQ(parse_enum("multiclass", head_task_names(), "test"), HeadTask::kMulticlass);
  EXPECT_EQ(enum_names(head_task_names()), "auto, binary, multiclass, regression");
}

TEST(TrainingHeads, TheTaskDecidesEachHeadsKindAndTheOutputActivation) {
  const Dataset d = three_column_data();
  const std::vector<HeadSpec> automatic = default_heads(d);
  ASSERT_EQ(automatic.size(), 3u);
  EXPECT_EQ(automatic[0].kind, HeadKind::kBinary);
  EXPECT_EQ(automatic[1].kind, HeadKind::kRegression);
  EXPECT_EQ(automatic[2].kind, HeadKind::kRegression);  // 2.0 is not 0/1
  EXPECT_EQ(output_activation_for(automatic), Activation::kNone);
  EXPECT_EQ(output_activation_for({automatic[0]}), Activation::kSigmoid);
  const std::vector<HeadSpec> classes = default_heads(d, HeadTask::kMulticlass);
  EXPECT_EQ(classes[2].kind, HeadKind::kMulticlass);
  EXPECT_EQ(classes[2].classes, 3);
  EXPECT_EQ(total_outputs(classes), 2 + 3 + 3);
  EXPECT_EQ(output_activation_for({classes[2]}), Activation::kSoftmax);
  EXPECT_EQ(output_activation_for(default_heads(d, HeadTask::kBinary)), Activation::kSigmoid);
}

TEST(TrainingHeads, ABadTaskFailsWhenTheJobIsMadeNamingTheConfigAndKey) {
  test::TempDir dir;
  const std::string bad = R"({"task": "binomial", "out": ")" + dir.file("run") + "\"}";
  const std::string want = "cfg.json: task: unknown value 'binomial' (allowed: auto, binary, multiclass, regression)";
  EXPECT_NE(test::error_of([&] { prepare_train_job(bad, "cfg.json", three_column_data()); }).find(want), std::string::npos);
  // Without data in hand the value is checked before any file is read.
  const std::string unread = R"({"task": "binomial", "fasta": ")" + dir.file("missing.fa") + R"(", "labels": "x.tsv"})";
  EXPECT_NE(test::error_of([&] { prepare_train_job(unread, "cfg.json"); }).find(want), std::string::npos);
  EXPECT_FALSE(test::exists(dir.file("run")));
}

TEST(TrainingHeads, AJobsModelHasTheActivationItsHeadsAskFor) {
  test::TempDir dir;
  const std::string cfg = R"({"arch": "cnn", "num_filters": [4], "filter_width": [3], "dense_units": [4], "max_length": 8,
      "out": ")" + dir.file("run") + "\"";
  EXPECT_EQ(native_output_activation_of(prepare_train_job(cfg + "}", "t", three_column_data()).model), Activation::kNone);
  EXPECT_EQ(native_output_activation_of(prepare_train_job(cfg + "}", "t", one_column(0)).model), Activation::kSigmoid);
  const TrainJob job = prepare_train_job(cfg + R"(, "task": "multiclass"})", "t", one_column(2));
  EXPECT_EQ(native_output_activation_of(job.model), Activation::kSoftmax);
  EXPECT_EQ(job.heads[0].outputs(), 3);
}

TEST(TrainingHeads, AHeadRefusesAnOutputActivationItCannotTrainOn) {
  HeadSpec bin;
  bin.name = "b";
  const at::Tensor out = torch::zeros({2, 1}), y = torch::ones({2, 1}), m = torch::ones({2, 1});
  EXPECT_EQ(head_losses({bin}, out, y, m, Activation::kSigmoid).size(), 1u);
  EXPECT_EQ(test::error_of([&] { head_losses({bin}, out, y, m, Activation::kSoftmax); }),
            "head 'b' (binary) cannot train on a model whose output activation is softmax");
  HeadSpec reg = bin;
  reg.kind = HeadKind::kRegression;
  EXPECT_EQ(head_losses({reg}, out, y, m, Activation::kRelu).size(), 1u);
}

TEST(TrainingHeads, LossesMatchHandComputedValues) {
  HeadSpec bin;
  bin.name = "b";
  bin.kind = HeadKind::kBinary;
  bin.target = 0;
  HeadSpec reg;
  reg.name = "r";
  reg.kind = HeadKind::kRegression;
  reg.target = 1;
  HeadSpec mc;
  mc.name = "m";
  mc.kind = HeadKind::kMulticlass;
  mc.target = 2;
  mc.classes = 3;
  at::Tensor out = torch::tensor({{0.5, 2.0, 1.0, 0.0, -1.0}, {-1.0, 0.0, 0.2, 0.3, 0.1}}, torch::kDouble);
  at::Tensor target = torch::tensor({{1.0, 1.0, 0.0}, {0.0, 3.0, 2.0}}, torch::kDouble);
  at::Tensor mask = torch::tensor({{1.0, 1.0, 1.0}, {1.0, 0.0, 1.0}}, torch::kDouble);
  auto l = head_losses({bin, reg, mc}, out, target, mask, Activation::kNone);
  auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
  const double bce = (-std::log(sig(0.5)) - std::log(1 - sig(-1.0))) / 2;
  EXPECT_NEAR(l[0].item<double>(), bce, 1e-12);
  EXPECT_NEAR(l[1].item<double>(), 1.0, 1e-12);  // (2 - 1)^2, second row masked
  auto nll = [](double a, double b, double c, int k) {
    const double v[3] = {a, b, c};
    return -(v[k] - std::log(std::exp(a) + std::exp(b) + std::exp(c)));
  };
  EXPECT_NEAR(l[2].item<double>(), (nll(1.0, 0.0, -1.0, 0) + nll(0.2, 0.3, 0.1, 2)) / 2, 1e-12);
}

}  // namespace
}  // namespace seqnn

namespace seqnn {

TEST(TrainingHeads, OneFastaPerClassIsMulticlassUnderAuto) {
  // Issue 15 B12: three --class-fasta files trained a regression on the class index.
  test::TempDir dir;
  for (const char* name : {"a.fa", "b.fa", "c.fa"}) test::write_text(dir.file(name), ">s\nACGT\n>t\nAACC\n");
  const Dataset three = load_class_fastas({dir.file("a.fa"), dir.file("b.fa"), dir.file("c.fa")}, "class");
  std::vector<HeadSpec> heads = default_heads(three, HeadTask::kAuto);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].kind, HeadKind::kMulticlass);
  EXPECT_EQ(heads[0].classes, 3);
  EXPECT_EQ(default_heads(three.subset({0, 3, 5}), HeadTask::kAuto)[0].kind, HeadKind::kMulticlass);
  EXPECT_EQ(default_heads(three, HeadTask::kRegression)[0].kind, HeadKind::kRegression);  // asked for
  const Dataset two = load_class_fastas({dir.file("a.fa"), dir.file("b.fa")}, "class");
  EXPECT_EQ(default_heads(two, HeadTask::kAuto)[0].kind, HeadKind::kBinary);
  // A table column of 0, 1, 2 stays a quantity under auto.
  Dataset table = three;
  table.class_indices = false;
  EXPECT_EQ(default_heads(table, HeadTask::kAuto)[0].kind, HeadKind::kRegression);
}

}  // namespace seqnn
