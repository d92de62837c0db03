// The native CNN must compute exactly what the same architecture computes in PyTorch: weights are
// copied from the TorchScript fixtures into a native model built from the matching JSON config.
#include <torch/script.h>

#include "seqnn/models/native.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::fixture_npy;

namespace {

// Copies parameters and buffers in registration order, checking that shapes line up one to one.
void copy_weights_from_torchscript(const std::string& pt, CnnNet& net) {
  torch::jit::Module src = torch::jit::load(pt);
  std::vector<at::Tensor> from, to;
  for (const auto& p : src.parameters()) from.push_back(p);
  for (const auto& b : src.buffers()) from.push_back(b);
  for (const auto& p : net->parameters()) to.push_back(p);
  for (const auto& b : net->buffers()) to.push_back(b);
  ASSERT_EQ(from.size(), to.size());
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < from.size(); ++i) {
    ASSERT_EQ(from[i].sizes(), to[i].sizes()) << "tensor " << i;
    to[i].copy_(from[i]);
  }
}

}  // namespace

TEST(NativeCnn, MatchesPyTorchDeepSeaAndBasset) {
  for (const std::string name : {"deepsea_small", "basset_small"}) {
    CnnConfig cfg = CnnConfig::from_file(fixture(name + ".json"));
    Model m = make_native_model(cfg, 1);
    CnnNet net = native_network(m);
    copy_weights_from_torchscript(fixture(name + ".pt"), net);
    EXPECT_TENSOR_NEAR(m.forward(fixture_npy("cnn_X")).tensor(), fixture_npy(name + "_y"), 1e-5);
  }
}

TEST(NativeCnn, SaveAndLoadRoundTrip) {
  seqnn::test::TempDir dir;
  CnnConfig cfg = CnnConfig::from_file(fixture("basset_small.json"));
  cfg.output_names = {"a", "b", "c", "d", "e"};
  Model m = make_native_model(cfg, 3);
  m.save(dir.file("m.seqnn"));
  EXPECT_FALSE(seqnn::test::exists(dir.file("m.seqnn.partial")));
  Model back = Model::load(dir.file("m.seqnn"));
  EXPECT_EQ(back.info().kind, "native");
  EXPECT_EQ(back.info().output_names, cfg.output_names);
  EXPECT_EQ(back.info().parameters, m.info().parameters);
  at::Tensor X = fixture_npy("cnn_X");
  EXPECT_TENSOR_NEAR(back.forward(X).tensor(), m.forward(X).tensor(), 0.0);
  // Same seed, same weights; another seed, other weights.
  EXPECT_TENSOR_NEAR(make_native_model(cfg, 3).forward(X).tensor(), m.forward(X).tensor(), 0.0);
  EXPECT_GT(seqnn::test::max_abs_diff(make_native_model(cfg, 4).forward(X).tensor(), m.forward(X).tensor()), 1e-6);
}

TEST(NativeCnn, ExpressesDeepSeaAndBassetAtFullSize) {
  // Parameter counts of the published architectures (independent arithmetic):
  // DeepSEA: 10,560 + 1,229,280 + 3,687,360 + 47,064,925 + 850,994 = 52,843,119.
  // Basset: convs 23,100 + 660,200 + 280,200, BN 1,400, dense 2,001,000 + 1,001,000 + 164,164,
  //         dense BN 4,000 = 4,135,064.
  CnnConfig deepsea = CnnConfig::from_file(std::string(SEQNN_FIXTURES_DIR) + "/../../configs/deepsea.json");
  EXPECT_EQ(deepsea.conv_output_length(1000), 53);
  EXPECT_EQ(make_native_model(deepsea).info().parameters, 52843119);
  CnnConfig basset = CnnConfig::from_file(std::string(SEQNN_FIXTURES_DIR) + "/../../configs/basset.json");
  EXPECT_EQ(basset.conv_output_length(600), 10);
  Model b = make_native_model(basset);
  EXPECT_EQ(b.info().parameters, 4135064);
  EXPECT_EQ(b.forward(torch::zeros({2, 4, 600})).tensor().sizes(), (std::vector<int64_t>{2, 164}));
}

TEST(NativeCnn, GlobalPoolingAcceptsAnyLength) {
  CnnConfig cfg = CnnConfig::from_json(
      R"({"alphabet": "protein", "conv": [{"filters": 8, "width": 3, "padding": "same"}],
          "global_pool": "max", "outputs": 2, "output_activation": "softmax"})");
  Model m = make_native_model(cfg);
  EXPECT_FALSE(m.info().input_length.has_value());
  for (int64_t L : {5, 17, 40}) {
    at::Tensor y = m.forward(torch::zeros({3, 20, L})).tensor();
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{3, 2}));
    EXPECT_NEAR(y.sum().item<double>(), 3.0, 1e-5);
  }
}

TEST(NativeCnn, ConfigErrorsNameTheField) {
  auto message = [](const std::string& json) { return test::error_of([&] { CnnConfig::from_json(json, "cfg.json"); }); };
  EXPECT_NE(message(R"({"input_length": 100, "conv": [{"filters": 0, "width": 3}]})").find("cfg.json: conv[0]: filters: must be positive, got 0"),
            std::string::npos);
  EXPECT_NE(message(R"({"input_length": 100, "conv": [{"filters": 4, "width": 3, "actvation": "relu"}]})")
                .find("cfg.json: conv[0]: unknown key 'actvation' (allowed: filters, width"),
            std::string::npos);
  EXPECT_NE(message(R"({"conv": []})").find("cfg.json: input_length: is required"), std::string::npos);
  EXPECT_NE(message(R"({"input_length": 10, "conv": [{"filters": 4, "width": 8, "pool": 4}]})").find("shrinks below 1"),
            std::string::npos);
  EXPECT_NE(message("{not json").find("cfg.json: invalid JSON"), std::string::npos);
  EXPECT_NE(message(R"({"type": "transformer"})").find("unsupported model type"), std::string::npos);
  EXPECT_NE(message(R"({"input_length": 10, "output_activation": "swish"})").find("cfg.json: output_activation: unknown value 'swish' (allowed: none, relu, gelu"), std::string::npos);
}

TEST(NativeCnn, WrongInputLengthIsAnError) {
  Model m = make_native_model(CnnConfig::from_file(fixture("deepsea_small.json")));
  try {
    m.forward(torch::zeros({1, 4, 199}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input length 199 does not match the model's input length 200"),
              std::string::npos)
        << e.what();
  }
}
