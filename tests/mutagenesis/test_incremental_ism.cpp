// The incremental ISM engine must equal the naive loop (every mutant through the whole model) to
// float rounding, for every op it supports, on random weights and sequences, with windows at both
// ends and in the middle, N positions, float32 and float64; models it cannot run fall back.
#include <torch/torch.h>

#include "seqnn/models/native.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::relative_diff;

namespace {

IsmResult run(Model& m, const at::Tensor& X, const std::vector<at::Tensor>& args, int64_t start, int64_t end,
              IsmEngine engine, at::ScalarType dtype, int64_t batch = 13) {
  IsmOptions o;
  o.start = start;
  o.end = end;
  o.engine = engine;
  o.predict.batch_size = batch;
  o.predict.dtype = dtype;
  return ism(m, X, args, o);
}

// Windows at the start, in the middle and at the end, with an N inside each, in both dtypes.
void expect_engines_agree(Model& m, int64_t L, const std::vector<at::Tensor>& args = {}, int64_t N = 2,
                          int64_t span = 9) {
  at::Tensor X = random_one_hot({N, 4, L}, 17);
  X[N - 1].select(1, 3).zero_();
  X[0].select(1, L / 2).zero_();
  X[N - 1].select(1, L - 2).zero_();
  for (at::ScalarType dtype : {at::kFloat, at::kDouble}) {
    const double tol = dtype == at::kFloat ? 1e-5 : 1e-11;
    for (int64_t start : {int64_t{0}, L / 2 - span / 2, L - span}) {
      IsmResult naive = run(m, X, args, start, start + span, IsmEngine::kNaive, dtype);
      IsmResult fast = run(m, X, args, start, start + span, IsmEngine::kIncremental, dtype);
      ASSERT_EQ(fast.engine, IsmEngine::kIncremental);
      ASSERT_EQ(naive.mutants.size(), fast.mutants.size());
      for (size_t j = 0; j < naive.mutants.size(); ++j) {
        ASSERT_EQ(naive.mutants[j].sizes(), fast.mutants[j].sizes());
        EXPECT_LE(relative_diff(naive.mutants[j], fast.mutants[j]), tol)
            << "output " << j << ", window from " << start << ", " << c10::toString(dtype);
        EXPECT_LE(relative_diff(naive.reference[j], fast.reference[j]), tol);
      }
    }
  }
}

// Batch norm with running statistics that are not the identity.
void randomise_batch_norm(Model& m) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(5);
  for (auto& b : native_module(m)->named_buffers()) {
    if (b.key().find("running_mean") != std::string::npos) b.value().normal_(0, 0.3);
    if (b.key().find("running_var") != std::string::npos) b.value().uniform_(0.5, 2.0);
  }
}

Model native(const std::string& json) {
  Model m = make_native_model_from_json(json, "test config", 3);
  randomise_batch_norm(m);
  return m;
}

}  // namespace

TEST(IncrementalIsm, NativeDeepSeaShape) {
  Model m = native(R"({"input_length": 120, "conv": [
      {"filters": 12, "width": 8, "pool": 4, "dropout": 0.2},
      {"filters": 16, "width": 8, "pool": 4},
      {"filters": 20, "width": 3}], "dense": [{"units": 10}], "outputs": 6, "output_activation": "sigmoid"})");
  expect_engines_agree(m, 120);
}

TEST(IncrementalIsm, NativeBassetShapeWithBatchNormSamePaddingAndDilation) {
  Model m = native(R"({"input_length": 150, "conv": [
      {"filters": 10, "width": 11, "batch_norm": true, "pool": 3, "padding": "same"},
      {"filters": 12, "width": 6, "dilation": 2, "batch_norm": true, "pool": 4, "padding": "same"}],
      "dense": [{"units": 16, "batch_norm": true, "dropout": 0.3}], "outputs": 4})");
  expect_engines_agree(m, 150);
}

TEST(IncrementalIsm, NativeStridedConvAveragePoolAndGlobalPools) {
  for (const char* pool : {"max", "avg"}) {
    Model m = native(std::string(R"({"global_pool": ")") + pool + R"(", "conv": [
        {"filters": 8, "width": 5, "stride": 2, "activation": "elu", "pool": 2, "pool_type": "avg"},
        {"filters": 8, "width": 3, "activation": "softplus", "padding": "same"},
        {"filters": 6, "width": 4, "activation": "gelu", "pool": 3}],
        "dense": [{"units": 5, "activation": "tanh"}], "outputs": 3, "output_activation": "softmax"})");
    SCOPED_TRACE(pool);
    expect_engines_agree(m, 90);
  }
}

TEST(IncrementalIsm, TorchScriptDeepSeaAndBasset) {
  for (const char* name : {"deepsea_small.pt", "basset_small.pt"}) {
    SCOPED_TRACE(name);
    Model m = Model::load(fixture(name));
    expect_engines_agree(m, 200);
  }
}

TEST(IncrementalIsm, BPNetShapeResidualDilationsCropAndTwoHeads) {
  // Dilations 2..256 reach across most of the 300 positions by the last layer.
  Model m = Model::load(fixture("ism/bpnet_small.pt"));
  expect_engines_agree(m, 300, {}, 2, 12);
}

TEST(IncrementalIsm, MultiInputModelsKeepTheirExtraInputs) {
  Model m = Model::load(fixture("ism/bpnet_control.pt"));
  at::Tensor control = torch::rand({2, 2, 100}, torch::TensorOptions().dtype(torch::kFloat));
  expect_engines_agree(m, 300, {control});
  Model dict = Model::load(fixture("multi_dict.pt"));
  expect_engines_agree(dict, 20, {torch::randn({2, 1})}, 2, 5);
}

TEST(IncrementalIsm, OpZooOfSupportedOps) {
  // Strided and grouped convs, avg pool with padding, max pool in ceil mode, gelu / tanh / elu /
  // softplus / sigmoid, add / mul / cat of branches, channel softmax, a gate from the mean over
  // length, sum / amax / max over length, a crop, reshape + linear; three outputs.
  Model m = Model::load(fixture("ism/op_zoo.pt"));
  expect_engines_agree(m, 85, {}, 2, 7);
}

TEST(IncrementalIsm, GlobalMaxPoolRecomputesOnlyWhenTheMaximumMoves) {
  Model m = Model::load(fixture("ism/global_max.pt"));
  expect_engines_agree(m, 300);
  Model tuple = Model::load(fixture("multi_tuple.pt"));
  expect_engines_agree(tuple, 20, {}, 2, 5);
}

TEST(IncrementalIsm, UnsupportedOpsFallBackSayWhyAndStillMatch) {
  for (const char* name : {"ism/lstm_head.pt", "ism/attention.pt"}) {
    SCOPED_TRACE(name);
    Model m = Model::load(fixture(name));
    at::Tensor X = random_one_hot({1, 4, 40}, 2);
    IsmResult naive = run(m, X, {}, 10, 16, IsmEngine::kNaive, at::kFloat);
    IsmResult autod = run(m, X, {}, 10, 16, IsmEngine::kAuto, at::kFloat);
    EXPECT_EQ(autod.engine, IsmEngine::kNaive);
    EXPECT_NE(autod.engine_note.find("aten::transpose"), std::string::npos) << autod.engine_note;
    EXPECT_TENSOR_NEAR(autod.mutants[0], naive.mutants[0], 0.0);
    EXPECT_THROW(run(m, X, {}, 10, 16, IsmEngine::kIncremental, at::kFloat), Error);
  }
  Model rnn = make_native_model_from_json(R"({"type": "rnn", "conv": [{"filters": 4, "width": 3}],
      "cell": "lstm", "hidden": 4, "outputs": 2})", "rnn config", 1);
  IsmResult r = run(rnn, random_one_hot({1, 4, 30}, 3), {}, 0, 5, IsmEngine::kAuto, at::kFloat);
  EXPECT_EQ(r.engine, IsmEngine::kNaive);
  EXPECT_NE(r.engine_note.find("recurrent"), std::string::npos) << r.engine_note;
}

TEST(IncrementalIsm, TargetsAndBatchSizesDoNotChangeResults) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({3, 4, 200}, 8);
  IsmOptions o;
  o.start = 40;
  o.end = 70;
  o.targets = {2, 7};
  o.engine = IsmEngine::kNaive;
  IsmResult naive = ism(m, X, {}, o);
  o.engine = IsmEngine::kIncremental;
  for (int64_t b : {1, 7, 200}) {
    o.predict.batch_size = b;
    IsmResult fast = ism(m, X, {}, o);
    EXPECT_LE(relative_diff(naive.mutants[0], fast.mutants[0]), 1e-5) << "batch " << b;
    EXPECT_EQ(fast.mutants[0].size(3), 2);
  }
}

TEST(IncrementalIsm, BatchesSplitAcrossThreadsEqualTheNaiveLoop) {
  // With several intra-op threads a batch runs as one part per thread (each part its own rows,
  // shared weight layouts and argmaxes); parts must not see each other's rows.
  const int saved = at::get_num_threads();
  for (const char* name : {"ism/bpnet_small.pt", "ism/global_max.pt", "ism/op_zoo.pt"}) {
    SCOPED_TRACE(name);
    Model m = Model::load(fixture(name));
    const int64_t L = std::string(name) == "ism/op_zoo.pt" ? 85 : 300;
    at::Tensor X = random_one_hot({2, 4, L}, 21);
    at::set_num_threads(1);
    IsmResult naive = run(m, X, {}, 0, 30, IsmEngine::kNaive, at::kFloat, 64);
    for (int threads : {1, 2, 3}) {
      at::set_num_threads(threads);
      IsmResult fast = run(m, X, {}, 0, 30, IsmEngine::kIncremental, at::kFloat, 64);
      IsmResult again = run(m, X, {}, 0, 30, IsmEngine::kIncremental, at::kFloat, 64);
      for (size_t j = 0; j < naive.mutants.size(); ++j) {
        EXPECT_LE(relative_diff(naive.mutants[j], fast.mutants[j]), 1e-5) << threads << " threads, output " << j;
        EXPECT_TRUE(torch::equal(fast.mutants[j], again.mutants[j])) << threads << " threads, output " << j;
      }
    }
  }
  at::set_num_threads(saved);
}

TEST(IncrementalIsm, AnEngineCacheServesLaterCallsAndNoticesNewShapes) {
  // ism_stream's chunks share one analysed graph; a new length, or a model the engine cannot
  // run, must not reuse the wrong one.
  Model m = Model::load(fixture("ism/global_max.pt"));
  IsmOptions o;
  o.start = 100;
  o.end = 110;
  o.engine = IsmEngine::kIncremental;
  o.engine_cache = make_ism_engine_cache();
  for (int64_t L : {300, 300, 250, 300}) {
    SCOPED_TRACE(L);
    at::Tensor X = random_one_hot({3, 4, L}, static_cast<uint64_t>(L) + 1);
    IsmResult cached = ism(m, X, {}, o);
    IsmOptions naive = o;
    naive.engine = IsmEngine::kNaive;
    naive.engine_cache.reset();
    EXPECT_LE(relative_diff(ism(m, X, {}, naive).mutants[0], cached.mutants[0]), 1e-5);
  }
  Model lstm = Model::load(fixture("ism/lstm_head.pt"));
  o.engine = IsmEngine::kAuto;
  o.start = 10;
  o.end = 16;
  for (int call = 0; call < 2; ++call) {
    IsmResult r = ism(lstm, random_one_hot({1, 4, 40}, 2), {}, o);
    EXPECT_EQ(r.engine, IsmEngine::kNaive);
    EXPECT_NE(r.engine_note.find("aten::transpose"), std::string::npos) << "call " << call << ": " << r.engine_note;
  }
}

TEST(IncrementalIsm, MonteCarloPairedMasksGiveTheNaiveMoments) {
  // Within one sample the reference and all its mutants share one mask per batch row, so the
  // engine's reference pass draws exactly the masks the naive loop's batches see.
  Model native_model = native(R"({"input_length": 100, "conv": [
      {"filters": 8, "width": 7, "pool": 2, "dropout": 0.3}, {"filters": 8, "width": 5, "dropout": 0.2}],
      "dense": [{"units": 6, "dropout": 0.4}], "outputs": 3})");
  Model scripted = Model::load(fixture("deepsea_small.pt"));
  for (auto [m, L] : {std::pair<Model*, int64_t>{&native_model, 100}, {&scripted, 200}}) {
    at::Tensor X = random_one_hot({2, 4, L}, 4);
    X[1].select(1, 5).zero_();
    for (McPairing pairing : {McPairing::kPaired, McPairing::kIndependent}) {
      IsmOptions o;
      o.start = 0;
      o.end = 9;
      o.predict.batch_size = 10;
      o.mc.samples = 3;
      o.mc.seed = 11;
      o.mc.pairing = pairing;
      o.engine = IsmEngine::kNaive;
      IsmResult naive = ism(*m, X, {}, o);
      o.engine = IsmEngine::kIncremental;
      IsmResult fast = ism(*m, X, {}, o);
      ASSERT_EQ(fast.engine, IsmEngine::kIncremental) << fast.engine_note;
      EXPECT_LE(relative_diff(naive.mc[0].diff_mean, fast.mc[0].diff_mean), 1e-5);
      EXPECT_LE(relative_diff(naive.mc[0].diff_sd, fast.mc[0].diff_sd), 1e-5);
      EXPECT_LE(relative_diff(naive.mc[0].alt_mean, fast.mc[0].alt_mean), 1e-5);
      EXPECT_LE(relative_diff(naive.mc[0].ref_mean, fast.mc[0].ref_mean), 1e-6);
      EXPECT_GT(naive.mc[0].diff_sd.abs().max().item<double>(), 0.0);  // the masks did vary
    }
  }
}

TEST(IncrementalIsm, CudaEqualsTheNaiveLoop) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  Model m = Model::load(fixture("ism/bpnet_small.pt"));
  at::Tensor X = random_one_hot({2, 4, 300}, 6);
  IsmOptions o;
  o.start = 140;
  o.end = 160;
  o.predict.device = "cuda";
  o.engine = IsmEngine::kNaive;
  IsmResult naive = ism(m, X, {}, o);
  o.engine = IsmEngine::kIncremental;
  IsmResult fast = ism(m, X, {}, o);
  for (size_t j = 0; j < naive.mutants.size(); ++j) EXPECT_LE(relative_diff(naive.mutants[j], fast.mutants[j]), 1e-5);
}
