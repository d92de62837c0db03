// The batch runner and the output-column resolver: every batched loop runs on them, so batching
// must never change results and the model's state must come back.
#include "seqnn/inference/batch_runner.h"
#include "seqnn/inference/output_columns.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::fixture_npy;

TEST(BatchRunner, RunEqualsOneForwardPassForEveryBatchSize) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = fixture_npy("cnn_X").to(at::kChar);
  at::Tensor y = fixture_npy("deepsea_small_y");
  for (int64_t b : {1, 3, 64}) {
    BatchRunner runner(m, "", std::nullopt);
    OutputAssembler out(X.size(0));
    std::vector<int64_t> starts;
    runner.run(
        X.size(0), b, [&](int64_t start, int64_t n) { return ModelBatch{X.narrow(0, start, n), {}}; },
        [&](int64_t start, int64_t n, const ModelOutput& o) {
          starts.push_back(start);
          out.put(o, start, n);
        });
    EXPECT_TENSOR_NEAR(out.take().tensor(), y, 1e-6) << "batch " << b;
    EXPECT_EQ(static_cast<int64_t>(starts.size()), (X.size(0) + b - 1) / b);
  }
}

TEST(BatchRunner, RestoresModeAndDtypeAndRunsInInferenceMode) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  m.train();
  {
    BatchRunner runner(m, "cpu", at::kDouble);
    EXPECT_FALSE(m.is_training());
    EXPECT_EQ(m.dtype(), at::kDouble);
    EXPECT_EQ(runner.dtype(), at::kDouble);
    EXPECT_TRUE(c10::InferenceMode::is_enabled());
    // int8 input is cast to the compute dtype.
    ModelOutput o = runner.forward(random_one_hot({2, 4, 200}, 1));
    EXPECT_EQ(o.tensor().scalar_type(), at::kDouble);
  }
  EXPECT_FALSE(c10::InferenceMode::is_enabled());
  EXPECT_TRUE(m.is_training());
  EXPECT_EQ(m.dtype(), at::kFloat);
}

TEST(BatchRunner, DropoutSamplingNeedsDropoutAndArgsFollowTheDtype) {
  Model plain = Model::load(fixture("flatten_dense.pt"));
  EXPECT_THROW(BatchRunner(plain, "", std::nullopt, DropoutSampling::kOn), Error);
  // A float64 alpha is cast to the float32 compute dtype: same result as a float32 alpha.
  at::Tensor X = fixture_npy("flatten_dense_X"), a1 = fixture_npy("flatten_dense_alpha1");
  BatchRunner runner(plain, "", std::nullopt);
  EXPECT_TENSOR_NEAR(runner.forward(X, {a1.to(at::kDouble)}).tensor(), fixture_npy("flatten_dense_y_alpha1"), 1e-6);
}

TEST(ForEachBatch, CoversTheItemsInOrderWithAShortLastBatch) {
  std::vector<std::pair<int64_t, int64_t>> seen;
  std::vector<int64_t> progress;
  for_each_batch(
      10, 4, [&](int64_t s, int64_t n) { seen.emplace_back(s, n); },
      [&](int64_t done, int64_t total) {
        EXPECT_EQ(total, 10);
        progress.push_back(done);
      });
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, int64_t>>{{0, 4}, {4, 4}, {8, 2}}));
  EXPECT_EQ(progress, (std::vector<int64_t>{4, 8, 10}));
  EXPECT_THROW(for_each_batch(3, 0, [](int64_t, int64_t) {}), Error);
}

TEST(OutputAssembler, RejectsOutputsWithoutTheBatchDimension) {
  OutputAssembler out(4);
  EXPECT_NE(error_of([&] { out.put(ModelOutput::single(torch::zeros({3, 2})), 0, 2); }).find("not the batch size 2"),
            std::string::npos);
  OutputAssembler ok(4);
  ok.put(ModelOutput::single(torch::ones({2, 2}, at::kHalf)), 0, 2);
  ok.put(ModelOutput::single(torch::zeros({2, 2}, at::kHalf)), 2, 2);
  at::Tensor t = ok.take().tensor();
  EXPECT_EQ(t.scalar_type(), at::kFloat);  // half outputs come back as float32
  EXPECT_EQ(t.sum().item<double>(), 4.0);
}

TEST(OutputColumns, NamesFollowTheModelOrTheOutputs) {
  ModelOutput one = ModelOutput::single(torch::zeros({2, 3}));
  EXPECT_EQ(output_column_names(one, {"a", "b", "c"}), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(output_column_names(one, {}), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(output_column_names(one, {"a"}, "output."), (std::vector<std::string>{"output.0", "output.1", "output.2"}));
  ModelOutput two;
  two.kind = ModelOutput::Kind::kDict;
  two.names = {"x", "y"};
  two.tensors = {torch::zeros({2, 1}), torch::zeros({2, 2, 1})};
  EXPECT_EQ(output_column_names(two, {"a", "b", "c"}), (std::vector<std::string>{"x.0", "y.0", "y.1"}));
}

TEST(OutputColumns, TargetsResolveByNameThenIndex) {
  const std::vector<std::string> names = {"HepG2", "K562", "7"};
  EXPECT_EQ(resolve_target_columns({"K562", "0", "7"}, names, 3), (std::vector<int64_t>{1, 0, 2}));
  EXPECT_TRUE(resolve_target_columns({}, names, 3).empty());
  EXPECT_EQ(error_of([&] { resolve_target_columns({"3"}, names, 3); }),
            "--target: '3' is neither an output name nor an index below 3");
  EXPECT_NE(error_of([&] { resolve_target_columns({"nosuch"}, names); }).find("'nosuch'"), std::string::npos);
  // Without a column count the index is left for the caller to check.
  EXPECT_EQ(resolve_target_columns({"12"}, {}), (std::vector<int64_t>{12}));
}
