// Attributions: DeepLIFT/SHAP completeness on every supported model shape, integrated gradients'
// convergence, saliency / input x gradient against autograd, a linear model against its weights,
// hypothetical maps, a PyTorch-hooks reference, and clear failures on ops without a rule.
#include <torch/torch.h>

#include "seqnn/attribution/attribution.h"
#include "seqnn/models/native.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::fixture_npy;
using seqnn::test::max_abs_diff;

namespace {

// The scalar of each row, from the model's own forward pass (independent of the library's sums).
at::Tensor attr_scalar(Model& m, const at::Tensor& X, const std::vector<at::Tensor>& args, size_t output,
                  const std::vector<int64_t>& targets, at::ScalarType dtype = at::kFloat) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> a;
  for (const auto& t : args) a.push_back(t.to(dtype));
  at::Tensor o = m.forward(X.to(dtype), a)[output].to(torch::kDouble);
  if (!targets.empty()) o = o.index_select(1, torch::tensor(targets, torch::kLong));
  return o.dim() == 1 ? o : o.flatten(1).sum(1);
}

AttributionOptions deeplift_options(const std::string& output = "", std::vector<int64_t> targets = {}, int64_t K = 4) {
  AttributionOptions o;
  o.method = AttributionMethod::kDeepLiftShap;
  o.output = output;
  o.targets = std::move(targets);
  o.references.shuffles = K;
  o.references.seed = 9;
  o.predict.batch_size = 7;  // batches that split a sequence's references
  return o;
}

// Sum of attributions = f(x) - mean f(r) to 1e-4 relative, with f and the references computed here.
void expect_complete(Model& m, int64_t L, const AttributionOptions& o, const std::vector<at::Tensor>& args = {},
                     size_t output = 0, int64_t N = 3) {
  at::Tensor X = random_one_hot({N, 4, L}, 21);
  AttributionResult r = attribute(m, X, args, o);
  ASSERT_EQ(r.attributions.sizes(), X.sizes());
  at::Tensor fx = attr_scalar(m, X, args, output, o.targets);
  at::Tensor R = references_for(o.references, X, 0, N);  // (N, K, A, L)
  const int64_t K = R.size(1);
  at::Tensor fr = torch::zeros({N}, torch::kDouble);
  for (int64_t k = 0; k < K; ++k) fr += attr_scalar(m, R.select(1, k), args, output, o.targets) / static_cast<double>(K);
  at::Tensor total = r.attributions.to(torch::kDouble).sum({1, 2});
  for (int64_t i = 0; i < N; ++i) {
    const double want = (fx[i] - fr[i]).item<double>();
    const double got = total[i].item<double>();
    const double scale = std::max(std::abs(want), 1e-2 * (1.0 + std::abs(fx[i].item<double>())));
    EXPECT_LE(std::abs(got - want), 1e-4 * scale) << "sequence " << i << ": sum " << got << ", f(x) - mean f(r) " << want;
  }
  EXPECT_LE(r.max_abs_delta, 1e-4 * (1.0 + fx.abs().max().item<double>()));
  EXPECT_GT(r.attributions.abs().sum().item<double>(), 0.0);
}

Model attr_native(const std::string& json) {
  Model m = make_native_model_from_json(json, "test config", 3);
  torch::NoGradGuard no_grad;
  torch::manual_seed(5);
  for (auto& b : native_module(m)->named_buffers()) {
    if (b.key().find("running_mean") != std::string::npos) b.value().normal_(0, 0.3);
    if (b.key().find("running_var") != std::string::npos) b.value().uniform_(0.5, 2.0);
  }
  return m;
}

}  // namespace

TEST(AttributionDeepLift, CompleteOnTorchScriptDeepSeaAndBasset) {
  for (const char* name : {"deepsea_small.pt", "basset_small.pt"}) {
    SCOPED_TRACE(name);
    Model m = Model::load(fixture(name));
    expect_complete(m, 200, deeplift_options("", {1, 3}));
  }
}

TEST(AttributionDeepLift, CompleteOnNativeCnnsWithEveryActivationAndPool) {
  Model deepsea = attr_native(R"({"input_length": 120, "conv": [
      {"filters": 12, "width": 8, "pool": 4, "dropout": 0.2},
      {"filters": 16, "width": 8, "pool": 4, "activation": "gelu"}],
      "dense": [{"units": 10, "activation": "elu"}], "outputs": 6, "output_activation": "sigmoid"})");
  expect_complete(deepsea, 120, deeplift_options("", {0, 5}));
  Model basset = attr_native(R"({"input_length": 150, "conv": [
      {"filters": 10, "width": 7, "padding": "same", "pool": 3, "activation": "tanh", "batch_norm": true},
      {"filters": 8, "width": 3, "dilation": 2, "pool": 2, "pool_type": "avg", "activation": "softplus", "batch_norm": true},
      {"filters": 8, "width": 3, "activation": "exp"}], "global_pool": "max",
      "dense": [{"units": 6, "batch_norm": true}], "outputs": 3})");
  expect_complete(basset, 150, deeplift_options());
}

TEST(AttributionDeepLift, CompleteOnBPNetResidualDilatedHeads) {
  Model m = Model::load(fixture("ism/bpnet_small.pt"));
  expect_complete(m, 300, deeplift_options("1"), {}, 1);       // counts
  expect_complete(m, 300, deeplift_options("0", {0}), {}, 0);  // one strand of the profile
}

TEST(AttributionDeepLift, CompleteOnMultiInputAndMultiOutputModels) {
  Model m = Model::load(fixture("ism/bpnet_control.pt"));
  at::Tensor control = torch::rand({3, 2, 100}, torch::TensorOptions().dtype(torch::kFloat));
  expect_complete(m, 300, deeplift_options("1"), {control}, 1);
  Model dict = Model::load(fixture("multi_dict.pt"));
  expect_complete(dict, 20, deeplift_options("logits", {1}), {torch::randn({3, 1})}, 0);
  Model tuple = Model::load(fixture("multi_tuple.pt"));
  expect_complete(tuple, 20, deeplift_options("0"), {}, 0);
  Model global_max = Model::load(fixture("ism/global_max.pt"));
  expect_complete(global_max, 100, deeplift_options("", {2}));
}

TEST(AttributionDeepLift, EqualsPyTorchHooksReference) {
  // tests/fixtures/make_attribution_fixtures.py: captum-style hooks (rescale, DeepSHAP max pool).
  Model m = Model::load(fixture("attribution/reference_cnn.pt"));
  at::Tensor X = fixture_npy("attribution/X"), R = fixture_npy("attribution/R");
  AttributionOptions o = deeplift_options("", {1});
  o.references.kind = References::Kind::kGiven;
  o.references.given = R;
  o.predict.dtype = at::kDouble;
  at::Tensor want = fixture_npy("attribution/deeplift");
  at::Tensor got = attribute(m, X, {}, o).attributions;
  EXPECT_LE(max_abs_diff(got, want), 1e-6 * (1.0 + want.abs().max().item<double>()));
  o.method = AttributionMethod::kIntegratedGradients;
  o.steps = 16;
  at::Tensor ig = fixture_npy("attribution/ig16");
  EXPECT_LE(max_abs_diff(attribute(m, X, {}, o).attributions, ig), 1e-6 * (1.0 + ig.abs().max().item<double>()));
}

TEST(AttributionDeepLift, BatchSizeAndDeviceRowsDoNotChangeResults) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({3, 4, 200}, 4);
  AttributionOptions a = deeplift_options("", {2}, 5);
  AttributionOptions b = a;
  b.predict.batch_size = 64;
  EXPECT_LE(max_abs_diff(attribute(m, X, {}, a).attributions, attribute(m, X, {}, b).attributions), 1e-6);
  // Sequence 2 attributed alone (first_index 2) gets the same references and the same map.
  AttributionOptions c = a;
  c.references.first_index = 2;
  EXPECT_LE(max_abs_diff(attribute(m, X.narrow(0, 2, 1), {}, c).attributions, attribute(m, X, {}, a).attributions.narrow(0, 2, 1)), 1e-6);
}

TEST(AttributionDeepLift, OpsWithoutARuleFailInOneLineNamingTheOp) {
  at::Tensor X = random_one_hot({1, 4, 85}, 2);
  Model zoo = Model::load(fixture("ism/op_zoo.pt"));
  const std::string e = error_of([&] { attribute(zoo, X, {}, deeplift_options("0")); });
  EXPECT_NE(e.find("no DeepLIFT rule for the model's aten::mul"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  Model lstm = Model::load(fixture("ism/lstm_head.pt"));
  const std::string e2 = error_of([&] { attribute(lstm, X, {}, deeplift_options()); });
  EXPECT_NE(e2.find("cannot be read as an op graph"), std::string::npos) << e2;
  Model softmax = attr_native(R"({"input_length": 40, "conv": [{"filters": 4, "width": 5, "activation": "softmax"}], "outputs": 2})");
  const std::string e3 = error_of([&] { attribute(softmax, random_one_hot({1, 4, 40}, 2), {}, deeplift_options()); });
  EXPECT_NE(e3.find("conv0_softmax"), std::string::npos) << e3;
  // Gradient methods need no graph.
  AttributionOptions s;
  s.method = AttributionMethod::kSaliency;
  s.output = "0";
  EXPECT_EQ(attribute(lstm, X.narrow(2, 0, 40), {}, s).attributions.sizes(), X.narrow(2, 0, 40).sizes());
}

TEST(AttributionDeepLift, OutputsAndTargetsAreCheckedByName) {
  Model m = Model::load(fixture("ism/bpnet_small.pt"));
  at::Tensor X = random_one_hot({1, 4, 300}, 2);
  EXPECT_NE(error_of([&] { attribute(m, X, {}, deeplift_options()); }).find("choose one with --output"), std::string::npos);
  EXPECT_NE(error_of([&] { attribute(m, X, {}, deeplift_options("7")); }).find("--output 7"), std::string::npos);
  EXPECT_NE(error_of([&] { attribute(m, X, {}, deeplift_options("1", {3})); }).find("--target 3"), std::string::npos);
}

TEST(AttributionGradients, SaliencyAndInputXGradientEqualAutograd) {
  Model m = Model::load(fixture("basset_small.pt"));
  at::Tensor X = random_one_hot({5, 4, 200}, 8);
  at::Tensor x = X.to(torch::kFloat).requires_grad_(true);
  at::Tensor y = m.forward(x)[0].index_select(1, torch::tensor({0, 2}, torch::kLong)).sum();
  at::Tensor want = torch::autograd::grad({y}, {x})[0];
  AttributionOptions o;
  o.method = AttributionMethod::kSaliency;
  o.targets = {0, 2};
  o.predict.batch_size = 2;
  EXPECT_LE(max_abs_diff(attribute(m, X, {}, o).attributions, want), 1e-6);
  o.method = AttributionMethod::kInputXGradient;
  EXPECT_LE(max_abs_diff(attribute(m, X, {}, o).attributions, want * x.detach()), 1e-6);
  o.hypothetical = true;  // zero reference: the gradient itself
  EXPECT_LE(max_abs_diff(attribute(m, X, {}, o).attributions, want), 1e-6);
}

TEST(AttributionIntegratedGradients, ConvergenceDeltaShrinksWithSteps) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({2, 4, 200}, 5);
  AttributionOptions o;
  o.method = AttributionMethod::kIntegratedGradients;
  o.references.shuffles = 2;
  o.predict.batch_size = 32;
  std::vector<double> deltas;
  for (int64_t steps : {2, 8, 32}) {
    o.steps = steps;
    AttributionResult r = attribute(m, X, {}, o);
    deltas.push_back(r.max_abs_delta);
    if (steps == 2) {
      EXPECT_FALSE(r.warning.empty());
    }
  }
  EXPECT_LT(deltas[1], deltas[0]);
  EXPECT_LT(deltas[2], deltas[1]);
  EXPECT_LT(deltas[2], 0.05 * deltas[0]);
}

TEST(AttributionLinear, EveryMethodAgreesWithTheWeights) {
  // conv without a non-linearity, flatten, linear: f(x) = sum(w_eff * x) + b.
  Model m = attr_native(R"({"input_length": 30, "conv": [{"filters": 3, "width": 5, "activation": "none"}],
      "outputs": 2, "output_activation": "none"})");
  CnnNet net = native_network(m);
  at::Tensor w = net->conv_stack().conv(0)->weight.detach().to(torch::kDouble);  // (3, 4, 5)
  at::Tensor W = net->output_layer()->weight.detach().to(torch::kDouble)[1];     // (3 * 26)
  at::Tensor w_eff = torch::conv_transpose1d(W.view({1, 3, 26}), w)[0];          // (4, 30)
  at::Tensor X = random_one_hot({3, 4, 30}, 6);
  at::Tensor x = X.to(torch::kDouble);
  auto run = [&](AttributionMethod method, References::Kind refs, bool hyp = false) {
    AttributionOptions o;
    o.method = method;
    o.targets = {1};
    o.references.kind = refs;
    o.references.shuffles = 3;
    o.steps = 3;
    o.hypothetical = hyp;
    return attribute(m, X, {}, o).attributions.to(torch::kDouble);
  };
  const double tol = 1e-5;
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kSaliency, References::Kind::kZeros), w_eff.expand({3, 4, 30})), tol);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kInputXGradient, References::Kind::kZeros), x * w_eff), tol);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kIntegratedGradients, References::Kind::kZeros), x * w_eff), tol);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kDeepLiftShap, References::Kind::kZeros), x * w_eff), tol);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kDeepLiftShap, References::Kind::kZeros, true), w_eff.expand({3, 4, 30})), tol);
  at::Tensor R = references_for([] { References r; r.shuffles = 3; return r; }(), X, 0, 3).to(torch::kDouble);
  at::Tensor mean_r = R.mean(1);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kDeepLiftShap, References::Kind::kShuffle), (x - mean_r) * w_eff), tol);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kIntegratedGradients, References::Kind::kShuffle), (x - mean_r) * w_eff), tol);
  at::Tensor hyp = w_eff - (mean_r * w_eff).sum(1, true);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kDeepLiftShap, References::Kind::kShuffle, true), hyp), tol);
  EXPECT_LE(max_abs_diff(run(AttributionMethod::kIsm, References::Kind::kZeros), (w_eff - w_eff.mean(0, true)).expand({3, 4, 30})), tol);
}

TEST(AttributionHypothetical, ObservedBasesCarryTheOrdinaryAttribution) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({2, 4, 200}, 3);
  AttributionOptions o = deeplift_options("", {0}, 3);
  at::Tensor a = attribute(m, X, {}, o).attributions;
  o.hypothetical = true;
  at::Tensor h = attribute(m, X, {}, o).attributions;
  EXPECT_LE(max_abs_diff((h * X.to(torch::kFloat)).sum(1), a.sum(1)), 1e-5);
  // tangermeme's definition, one reference: sum over c of (e_a - r)[c] m[c].
  at::Tensor mult = torch::randn({1, 4, 6}), ref = torch::rand({1, 4, 6});
  at::Tensor want = torch::zeros({1, 4, 6});
  for (int64_t i = 0; i < 4; ++i) {
    at::Tensor e = torch::zeros({1, 4, 6});
    e.select(1, i).fill_(1);
    want.select(1, i).copy_(((e - ref) * mult).sum(1));
  }
  EXPECT_LE(max_abs_diff(hypothetical_attributions(mult, ref), want), 1e-6);
  EXPECT_NE(error_of([&] {
              AttributionOptions s;
              s.method = AttributionMethod::kIsm;
              s.hypothetical = true;
              attribute(m, X, {}, s);
            }).find("--hypothetical"),
            std::string::npos);
}

TEST(AttributionDeepLift, CudaEqualsCpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  Model m = Model::load(fixture("ism/bpnet_small.pt"));
  at::Tensor X = random_one_hot({3, 4, 300}, 2);
  AttributionOptions o = deeplift_options("1");
  at::Tensor cpu = attribute(m, X, {}, o).attributions;
  o.predict.device = "cuda";
  EXPECT_LE(max_abs_diff(attribute(m, X, {}, o).attributions, cpu), 1e-4 * (1.0 + cpu.abs().max().item<double>()));
  EXPECT_EQ(m.device().type(), at::kCPU);  // placement restored
}
