// predict / predict_cross reproduce tangermeme's predict tutorial on the FlattenDense model, and
// batching never changes results.
#include "seqnn/inference/predict.h"
#include "seqnn/models/native.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::fixture_npy;

namespace {

PredictOptions batch(int64_t n) {
  PredictOptions o;
  o.batch_size = n;
  return o;
}

}  // namespace

TEST(Predict, FlattenDenseBatchSizesMatchOneForwardPass) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  at::Tensor X = fixture_npy("flatten_dense_X");
  at::Tensor y = fixture_npy("flatten_dense_y");  // PyTorch's single forward pass
  for (int64_t b : {1, 2, 3, 5, 100}) {
    EXPECT_TENSOR_NEAR(predict(m, X, {}, batch(b)).tensor(), y, 1e-6) << "batch size " << b;
  }
  // X may stay int8 on the CPU.
  EXPECT_TENSOR_NEAR(predict(m, X.to(at::kChar), {}, batch(2)).tensor(), y, 1e-6);
}

TEST(Predict, FlattenDenseWithAlphaAndBeta) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  at::Tensor X = fixture_npy("flatten_dense_X");
  at::Tensor a1 = fixture_npy("flatten_dense_alpha1"), a3 = fixture_npy("flatten_dense_alpha3");
  at::Tensor b3 = fixture_npy("flatten_dense_beta3");
  for (int64_t b : {2, 100}) {
    EXPECT_TENSOR_NEAR(predict(m, X, {a1}, batch(b)).tensor(), fixture_npy("flatten_dense_y_alpha1"), 1e-6);
    EXPECT_TENSOR_NEAR(predict(m, X, {a3}, batch(b)).tensor(), fixture_npy("flatten_dense_y_alpha3"), 1e-6);
    EXPECT_TENSOR_NEAR(predict(m, X, {a3, b3}, batch(b)).tensor(), fixture_npy("flatten_dense_y_alpha3_beta3"), 1e-6);
  }
  // alpha adds after the dense layer: y + alpha.
  EXPECT_TENSOR_NEAR(predict(m, X, {a1}, batch(2)).tensor(), fixture_npy("flatten_dense_y") + a1, 1e-6);
}

TEST(Predict, ArgumentsMustAlignWithX) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  at::Tensor X = fixture_npy("flatten_dense_X");
  EXPECT_THROW(predict(m, X, {torch::zeros({4, 1})}), Error);
  EXPECT_THROW(predict(m, X, {}, batch(0)), Error);
}

TEST(PredictCross, ThreeAlphasGiveTheBroadcastCross) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  at::Tensor X = fixture_npy("flatten_dense_X");
  at::Tensor y = fixture_npy("flatten_dense_y");  // (5, 3)
  torch::manual_seed(5);
  at::Tensor alpha = torch::randn({3, 1}), beta = torch::randn({3, 1});
  for (int64_t b : {1, 4, 100}) {
    at::Tensor cross = predict_cross(m, X, {alpha}, batch(b)).tensor();
    ASSERT_EQ(cross.sizes(), (std::vector<int64_t>{5, 3, 3}));
    EXPECT_TENSOR_NEAR(cross, y.unsqueeze(1) + alpha.unsqueeze(0), 1e-6);
    at::Tensor both = predict_cross(m, X, {alpha, beta}, batch(b)).tensor();
    EXPECT_TENSOR_NEAR(both, y.unsqueeze(1) * beta.unsqueeze(0) + alpha.unsqueeze(0), 1e-6);
  }
  EXPECT_THROW(predict_cross(m, X, {alpha, torch::zeros({2, 1})}), Error);
}

TEST(Predict, MultiOutputStructureIsKept) {
  Model tuple = Model::load(fixture("multi_tuple.pt"));
  at::Tensor X = fixture_npy("multi_X");
  for (int64_t b : {1, 4, 6}) {
    ModelOutput out = predict(tuple, X, {}, batch(b));
    EXPECT_EQ(out.kind, ModelOutput::Kind::kTuple);
    EXPECT_TENSOR_NEAR(out[0], fixture_npy("multi_tuple_out0"), 1e-6);
    EXPECT_TENSOR_NEAR(out[1], fixture_npy("multi_tuple_out1"), 1e-6);
  }
  Model dict = Model::load(fixture("multi_dict.pt"));
  for (int64_t b : {1, 4, 6}) {
    ModelOutput out = predict(dict, X, {fixture_npy("multi_dict_bias")}, batch(b));
    EXPECT_EQ(out.kind, ModelOutput::Kind::kDict);
    EXPECT_TENSOR_NEAR(out.at("logits"), fixture_npy("multi_dict_logits"), 1e-6);
    EXPECT_TENSOR_NEAR(out.at("pooled"), fixture_npy("multi_dict_pooled"), 1e-6);
  }
  // Cross with a dict-output model: (N, M, ...) for every output.
  torch::manual_seed(0);
  at::Tensor biases = torch::randn({4, 1});
  ModelOutput cross = predict_cross(dict, X, {biases}, batch(5));
  ASSERT_EQ(cross.at("logits").sizes(), (std::vector<int64_t>{6, 4, 2}));
  ASSERT_EQ(cross.at("pooled").sizes(), (std::vector<int64_t>{6, 4, 3}));
  at::Tensor zero_bias_logits = fixture_npy("multi_dict_logits") - fixture_npy("multi_dict_bias");
  EXPECT_TENSOR_NEAR(cross.at("logits"), zero_bias_logits.unsqueeze(1) + biases.unsqueeze(0), 1e-5);
}

TEST(Predict, DeepSeaBatchingIsExactAndModeIsRestored) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = fixture_npy("cnn_X");
  at::Tensor y = fixture_npy("deepsea_small_y");
  m.train();  // predict must run in eval mode and then restore training mode
  for (int64_t b : {1, 3, 8, 64}) {
    EXPECT_TENSOR_NEAR(predict(m, X, {}, batch(b)).tensor(), y, 1e-6) << "batch " << b;
  }
  EXPECT_TRUE(m.is_training());
  EXPECT_EQ(m.device(), at::Device(at::kCPU));
}

TEST(Predict, ModeAndDtypeRestoredEvenOnError) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  m.train();
  PredictOptions o;
  o.dtype = at::kDouble;
  EXPECT_THROW(predict(m, torch::zeros({2, 4, 150}), {}, o), Error);
  EXPECT_TRUE(m.is_training());
  EXPECT_EQ(m.dtype(), at::kFloat);
  // float64 compute agrees with PyTorch's float32 result.
  m.eval();
  EXPECT_TENSOR_NEAR(predict(m, fixture_npy("cnn_X"), {}, o).tensor(), fixture_npy("deepsea_small_y"), 1e-5);
  EXPECT_EQ(m.dtype(), at::kFloat);
}

TEST(Predict, NativeModelLargerBatchEquivalence) {
  Model m = make_native_model(CnnConfig::from_file(fixture("basset_small.json")), 11);
  at::Tensor X = random_one_hot({37, 4, 200}, 3);
  at::Tensor whole = m.forward(X.to(at::kFloat)).tensor();
  for (int64_t b : {1, 5, 16, 37, 100}) EXPECT_TENSOR_NEAR(predict(m, X, {}, batch(b)).tensor(), whole, 1e-6);
  int64_t calls = 0, last = 0;
  PredictOptions o = batch(10);
  o.progress = [&](int64_t done, int64_t total) {
    ++calls;
    last = done;
    EXPECT_EQ(total, 37);
  };
  predict(m, X, {}, o);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(last, 37);
}

TEST(Predict, UnknownDeviceIsAnError) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  PredictOptions o;
  o.device = "tpu";
  EXPECT_THROW(predict(m, fixture_npy("flatten_dense_X"), {}, o), Error);
}
