// Native model configs (CNN and RNN): enum values parsed at load and written back under the same
// names, one set of layer rules for both kinds, the shared conv stack, and the one model API.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "seqnn/models/native.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

const char* const kRnnJson = R"({"type": "rnn", "alphabet": "dna", "embedding": 0,
    "conv": [{"filters": 6, "width": 3, "padding": "same", "pool": 2, "pool_type": "avg", "activation": "gelu"}],
    "cell": "gru", "hidden": 5, "bidirectional": true, "pool": "mean",
    "dense": [{"units": 4, "activation": "tanh"}], "outputs": 2, "output_activation": "softmax"})";

TEST(NativeConfig, EnumsReadOnceAndWriteBackTheSameNames) {
  CnnConfig cnn = CnnConfig::from_json(R"({"input_length": 20, "global_pool": "avg",
      "conv": [{"filters": 3, "width": 5, "padding": "same", "pool_type": "avg", "pool": 2, "activation": "elu"}],
      "dense": [{"units": 4, "activation": "softplus"}], "output_activation": "sigmoid"})", "c.json");
  EXPECT_EQ(cnn.global_pool, GlobalPool::kAvg);
  EXPECT_EQ(cnn.conv[0].padding, Padding::kSame);
  EXPECT_EQ(cnn.conv[0].pool_type, PoolType::kAvg);
  EXPECT_EQ(cnn.conv[0].activation, Activation::kElu);
  EXPECT_EQ(cnn.dense[0].activation, Activation::kSoftplus);
  EXPECT_EQ(cnn.output_activation, Activation::kSigmoid);
  const nlohmann::json j = nlohmann::json::parse(cnn.to_json());
  EXPECT_EQ(j["global_pool"], "avg");
  EXPECT_EQ(j["conv"][0]["padding"], "same");
  EXPECT_EQ(j["conv"][0]["pool_type"], "avg");
  EXPECT_EQ(j["conv"][0]["activation"], "elu");
  EXPECT_EQ(j["dense"][0]["activation"], "softplus");
  EXPECT_EQ(j["output_activation"], "sigmoid");
  EXPECT_EQ(CnnConfig::from_json(cnn.to_json()).to_json(), cnn.to_json());

  RnnConfig rnn = RnnConfig::from_json(kRnnJson, "r.json");
  EXPECT_EQ(rnn.cell, RnnCell::kGru);
  EXPECT_EQ(rnn.pool, SequencePool::kMean);
  EXPECT_EQ(rnn.conv[0].activation, Activation::kGelu);
  const nlohmann::json r = nlohmann::json::parse(rnn.to_json());
  EXPECT_EQ(r["cell"], "gru");
  EXPECT_EQ(r["pool"], "mean");
  EXPECT_EQ(r["conv"][0]["pool_type"], "avg");
  EXPECT_EQ(r["output_activation"], "softmax");
  EXPECT_EQ(RnnConfig::from_json(rnn.to_json()).to_json(), rnn.to_json());
}

TEST(NativeConfig, BothKindsShareTheLayerRules) {
  auto cnn_error = [](const std::string& conv) {
    return test::error_of([&] { CnnConfig::from_json(R"({"global_pool": "max", "conv": [)" + conv + "]}", "c.json"); });
  };
  auto rnn_error = [](const std::string& conv) {
    return test::error_of([&] { RnnConfig::from_json(R"({"type": "rnn", "conv": [)" + conv + "]}", "r.json"); });
  };
  const std::string cases[][2] = {
      {R"({"filters": 2, "width": 3, "padding": "full"})", "conv[0]: padding: unknown value 'full' (allowed: valid, same)"},
      {R"({"filters": 2, "width": 3, "pool_type": "min"})", "conv[0]: pool_type: unknown value 'min' (allowed: max, avg)"},
      {R"({"filters": 2, "width": 3, "dropout": 1.0})", "conv[0]: dropout: must be in [0, 1), got 1"},
      {R"({"filters": 2, "width": 3, "stride": 2, "padding": "same"})", "conv[0]: padding: 'same' padding needs stride 1"},
      {R"({"filters": "2", "width": 3})", "conv[0]: filters: expected an integer, got \"2\""},
      {R"({"filters": 2.5, "width": 3})", "conv[0]: filters: expected an integer, got 2.5"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cnn_error(c[0]), "c.json: " + c[1]);
    EXPECT_EQ(rnn_error(c[0]), "r.json: " + c[1]);
  }
}

TEST(NativeConfig, RnnErrorsNameTheKey) {
  auto message = [](const std::string& json) { return test::error_of([&] { RnnConfig::from_json(json, "r.json"); }); };
  EXPECT_EQ(message(R"({"type": "rnn", "cell": "rnn"})"), "r.json: cell: unknown value 'rnn' (allowed: lstm, gru)");
  EXPECT_EQ(message(R"({"type": "rnn", "pool": "first"})"), "r.json: pool: unknown value 'first' (allowed: last, mean, max)");
  EXPECT_EQ(message(R"({"type": "rnn", "hidden": 0})"), "r.json: hidden: must be positive, got 0");
  EXPECT_EQ(message(R"({"type": "rnn", "rnn_dropout": -0.5})"), "r.json: rnn_dropout: must be in [0, 1), got -0.5");
  EXPECT_EQ(message(R"({"type": "rnn", "outputs": 2, "output_names": ["a"]})"), "r.json: output_names: 1 names for 2 outputs");
  EXPECT_NE(message(R"({"type": "rnn", "hiden": 3})").find("r.json: unknown key 'hiden' (allowed: type, alphabet,"),
            std::string::npos);
  EXPECT_EQ(message(R"({"type": "cnn"})"), "r.json: type: unsupported model type 'cnn' (this reader knows \"rnn\")");
}

TEST(NativeConfig, ConvStackNamesAndInitialisationAgreeAcrossKinds) {
  // The same conv layers in a CNN and an RNN get the same parameter names and, with the same seed
  // and nothing built before them, the same initial weights: one builder makes both stacks.
  RnnConfig rnn = RnnConfig::from_json(kRnnJson);
  CnnConfig cnn;
  cnn.alphabet = rnn.alphabet;
  cnn.conv = rnn.conv;
  cnn.global_pool = GlobalPool::kMax;
  Model a = make_native_model(cnn, 9), b = make_native_model(rnn, 9);
  auto pa = native_module(a)->named_parameters(), pb = native_module(b)->named_parameters();
  for (const char* name : {"conv0.weight", "conv0.bias"}) {
    ASSERT_NE(pa.find(name), nullptr) << name;
    ASSERT_NE(pb.find(name), nullptr) << name;
    EXPECT_TENSOR_NEAR(*pa.find(name), *pb.find(name), 0.0) << name;
  }
  EXPECT_NE(pb.find("rnn.weight_ih_l0"), nullptr);
  EXPECT_NE(pb.find("dense0.weight"), nullptr);
}

TEST(NativeConfig, OneApiMakesSavesAndLoadsBothKinds) {
  test::TempDir dir;
  Model rnn = make_native_model_from_json(kRnnJson, "r.json", 5);
  Model cnn = make_native_model_from_json(R"({"global_pool": "max", "conv": [{"filters": 2, "width": 3}]})", "c.json", 5);
  EXPECT_TRUE(is_native_model(rnn));
  EXPECT_NO_THROW(rnn_network(rnn));
  EXPECT_NO_THROW(native_network(cnn));
  EXPECT_THROW(native_network(rnn), Error);
  EXPECT_THROW(rnn_network(cnn), Error);
  EXPECT_EQ(native_output_activation_of(rnn), Activation::kSoftmax);
  EXPECT_EQ(native_output_activation_of(cnn), Activation::kNone);
  const at::Tensor x = torch::eye(4).repeat({2, 1, 3}).narrow(2, 0, 10);  // (2, 4, 10) one-hot
  for (auto* m : {&rnn, &cnn}) {
    const std::string path = dir.file(m == &rnn ? "rnn.pt" : "cnn.pt");
    m->save(path);
    Model back = Model::load(path);
    EXPECT_TRUE(is_native_model(back));
    EXPECT_TENSOR_NEAR(back.forward(x).tensor(), m->forward(x).tensor(), 0.0);
  }
  // The config stored in the file is the config's own JSON text.
  EXPECT_EQ(rnn_network(Model::load(dir.file("rnn.pt")))->config().to_json(), RnnConfig::from_json(kRnnJson).to_json());
}

TEST(NativeConfig, AbsurdSizesAreRefusedBeforeTheNetworkIsBuilt) {
  // Issue 15: 10^12 filters reached the allocator ("DefaultCPUAllocator: can't allocate memory")
  // with nothing naming the config or the key.
  const std::string conv = R"({"input_length": 200, "conv": [)";
  EXPECT_EQ(test::error_of([&] { CnnConfig::from_json(conv + R"({"filters": 1000000000000, "width": 8}]})", "c.json"); }),
            "c.json: conv[0]: filters: 1000000000000 is too large (at most 16777216)");
  EXPECT_EQ(test::error_of([&] {
              CnnConfig::from_json(conv + R"({"filters": 100000, "width": 8}, {"filters": 100000, "width": 8}]})", "c.json");
            }),
            "c.json: conv[1]: brings the model to 8e+10 weights (this layer 8e+10), more than the 2147483648 seqnn builds");
  // Flattening a long input: the dense layer after it is what would not fit.
  EXPECT_NE(test::error_of([&] {
              CnnConfig::from_json(R"({"input_length": 100000000, "global_pool": "flatten", "conv": [{"filters": 64, "width": 3}],
                                       "dense": [{"units": 100}]})", "c.json");
            }).find("c.json: dense[0]: brings the model to"),
            std::string::npos);
  EXPECT_EQ(test::error_of([&] { CnnConfig::from_json(R"({"input_length": 100000000000})", "c.json"); }),
            "c.json: input_length: 100000000000 is too large (at most 1073741824)");
  EXPECT_EQ(test::error_of([&] { RnnConfig::from_json(R"({"type": "rnn", "hidden": 1000000000000})", "r.json"); }),
            "r.json: hidden: 1000000000000 is too large (at most 16777216)");
  EXPECT_EQ(test::error_of([&] { RnnConfig::from_json(R"({"type": "rnn", "hidden": 100000, "layers": 2})", "r.json"); }),
            "r.json: hidden: brings the model to 4e+10 weights (this layer 4e+10), more than the 2147483648 seqnn builds");
  EXPECT_EQ(test::error_of([&] { RnnConfig::from_json(R"({"type": "rnn", "layers": 5000})", "r.json"); }),
            "r.json: layers: 5000 is too large (at most 1024)");
  // Real sizes still load: DeepSEA's full architecture (about 50 M weights).
  EXPECT_EQ(test::error_of([&] { CnnConfig::from_file(std::string(SEQNN_SOURCE_DIR) + "/configs/deepsea.json"); }), "no error");
}

TEST(NativeConfig, OutputNamesMustBeDistinct) {
  EXPECT_EQ(test::error_of([&] { CnnConfig::from_json(R"({"outputs": 2, "output_names": ["p", "p"]})", "c.json"); }),
            "c.json: output_names: 'p' names two outputs");
  EXPECT_EQ(test::error_of([&] { CnnConfig::from_json(R"({"outputs": 2, "output_names": ["p", ""]})", "c.json"); }),
            "c.json: output_names: name 1 is empty");
}

}  // namespace
}  // namespace seqnn
