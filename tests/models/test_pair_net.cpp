// The native two-input network against an independent PyTorch implementation (tests/fixtures/
// mhc/make_pair_fixture.py): same parameter names and order, same weights and inputs give the
// same outputs; saving and loading keep the config (metadata included) and the outputs.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "seqnn/models/native.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

const char* const kPairJson = R"({"type": "pair",
  "first": {"type": "rnn", "alphabet": "protein", "embedding": 4, "cell": "lstm", "hidden": 3,
            "bidirectional": true, "outputs": 5, "output_activation": "relu"},
  "second": {"type": "cnn", "alphabet": "protein", "input_length": 6, "global_pool": "flatten",
             "outputs": 5, "output_activation": "relu"},
  "combine": "product", "dense": [{"units": 7}], "outputs": 1, "output_activation": "sigmoid", "output_names": ["meas"],
  "metadata": {"note": "kept as given", "n": [1, 2]}})";

Model fixture_model() {
  Model m = make_native_model_from_json(kPairJson, "pair.json", 0);
  const at::Tensor flat = test::fixture_npy("mhc/pair_params");
  std::ifstream names_file(test::fixture("mhc/pair_param_names.txt"));
  std::vector<std::string> names;
  for (std::string line; std::getline(names_file, line);) names.push_back(line);
  int64_t at = 0;
  size_t k = 0;
  torch::NoGradGuard no_grad;
  for (auto& item : native_module(m)->named_parameters()) {
    EXPECT_LT(k, names.size());
    if (k < names.size()) {
      EXPECT_EQ(item.key(), names[k]);
    }
    item.value().copy_(flat.narrow(0, at, item.value().numel()).view(item.value().sizes()));
    at += item.value().numel();
    ++k;
  }
  EXPECT_EQ(k, names.size());
  EXPECT_EQ(at, flat.numel());
  return m;
}

TEST(PairNet, MatchesPyTorchForward) {
  Model m = fixture_model();
  const at::Tensor y = m.forward(test::fixture_npy("mhc/pair_x"), {test::fixture_npy("mhc/pair_second")}).tensor();
  EXPECT_TENSOR_NEAR(y, test::fixture_npy("mhc/pair_y"), 1e-6);
  // The outputs differ between rows, so the comparison sees each row.
  EXPECT_GT((y.max() - y.min()).item<double>(), 0.1);
}

TEST(PairNet, SavesAndLoadsConfigMetadataAndOutputs) {
  test::TempDir dir;
  Model m = fixture_model();
  const at::Tensor x = test::fixture_npy("mhc/pair_x"), second = test::fixture_npy("mhc/pair_second");
  const at::Tensor before = m.forward(x, {second}).tensor();
  pair_network(m)->set_metadata(R"({"note": "replaced"})");
  m.save(dir.file("pair.pt"));
  Model loaded = Model::load(dir.file("pair.pt"));
  EXPECT_TRUE(is_native_model(loaded));
  EXPECT_EQ(loaded.info().alphabet, "protein");
  EXPECT_TRUE(loaded.info().skips_trailing_padding);
  EXPECT_EQ(loaded.info().output_names, std::vector<std::string>{"meas"});
  EXPECT_EQ(nlohmann::json::parse(pair_network(loaded)->config().metadata), nlohmann::json::parse(R"({"note": "replaced"})"));
  EXPECT_EQ(pair_network(loaded)->config().to_json(), pair_network(m)->config().to_json());
  EXPECT_TENSOR_NEAR(loaded.forward(x, {second}).tensor(), before, 0.0);
}

TEST(PairNet, RefusesWrongInputsAndConfigs) {
  Model m = make_native_model_from_json(kPairJson, "pair.json", 0);
  const at::Tensor x = test::fixture_npy("mhc/pair_x");
  EXPECT_NE(test::error_of([&] { m.forward(x); }).find("take one extra input"), std::string::npos);
  EXPECT_NE(test::error_of([&] { m.forward(x, {torch::zeros({2, 20, 6})}); }).find("the second input has 2 rows"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { m.forward(x, {torch::zeros({4, 20, 5})}); }).find("does not match the model's input length 6"),
            std::string::npos);
  nlohmann::json j = nlohmann::json::parse(kPairJson);
  j["second"]["type"] = "pair";
  EXPECT_NE(test::error_of([&] { PairConfig::from_json(j.dump(), "p.json"); }).find("p.json: second: type: a branch must be"),
            std::string::npos);
  j = nlohmann::json::parse(kPairJson);
  j["first"]["hidden"] = 0;
  EXPECT_NE(test::error_of([&] { PairConfig::from_json(j.dump(), "p.json"); }).find("p.json: first: hidden: must be positive"),
            std::string::npos);
  j = nlohmann::json::parse(kPairJson);
  j["metadata"] = 3;
  EXPECT_NE(test::error_of([&] { PairConfig::from_json(j.dump(), "p.json"); }).find("metadata: must be a JSON object"),
            std::string::npos);
  j = nlohmann::json::parse(kPairJson);
  j["second"]["outputs"] = 4;
  EXPECT_NE(test::error_of([&] { PairConfig::from_json(j.dump(), "p.json"); })
                .find("combine: \"product\" needs branches with as many outputs (5 and 4)"),
            std::string::npos);
  j["combine"] = "concat";
  const Model concat = make_native_model(PairConfig::from_json(j.dump(), "p.json"), 0);
  EXPECT_EQ(native_module(concat)->named_parameters()["dense0.weight"].size(1), 9);
  j = nlohmann::json::parse(kPairJson);
  j.erase("second");
  EXPECT_NE(test::error_of([&] { PairConfig::from_json(j.dump(), "p.json"); }).find("second: is required"), std::string::npos);
}

TEST(NativeEnsemble, MeanOfItsMembersSavedAndLoaded) {
  test::TempDir dir;
  Model a = fixture_model();
  Model b = make_native_model_from_json(kPairJson, "pair.json", 5);
  const at::Tensor x = test::fixture_npy("mhc/pair_x"), second = test::fixture_npy("mhc/pair_second");
  const at::Tensor mean = (a.forward(x, {second}).tensor() + b.forward(x, {second}).tensor()) / 2;
  Model e = make_native_ensemble({a, b}, R"({"kind": "test"})");
  EXPECT_TENSOR_NEAR(e.forward(x, {second}).tensor(), mean, 1e-7);
  EXPECT_EQ(e.info().parameters, a.info().parameters + b.info().parameters);
  e.save(dir.file("e.pt"));
  Model loaded = Model::load(dir.file("e.pt"));
  EXPECT_TENSOR_NEAR(loaded.forward(x, {second}).tensor(), mean, 1e-7);
  EXPECT_EQ(nlohmann::json::parse(ensemble_network(loaded)->config().metadata)["kind"], "test");
  // Members drop their own metadata; the ensemble reports the members' layout.
  EXPECT_FALSE(nlohmann::json::parse(ensemble_network(loaded)->config().members[0]).contains("metadata"));
  EXPECT_TRUE(loaded.info().skips_trailing_padding);
  EXPECT_EQ(loaded.info().output_names, std::vector<std::string>{"meas"});
  EXPECT_NE(test::error_of([&] { loaded.forward(x); }).find("takes one extra input"), std::string::npos);
  // Members must agree on their outputs.
  nlohmann::json other = nlohmann::json::parse(kPairJson);
  other["outputs"] = 2;
  other["output_names"] = {"a", "b"};
  const nlohmann::json j = {{"type", "ensemble"}, {"members", {nlohmann::json::parse(kPairJson), other}}};
  EXPECT_NE(test::error_of([&] { EnsembleConfig::from_json(j.dump(), "e.json"); }).find("e.json: members[1]: differs from members[0]"),
            std::string::npos);
}

}  // namespace
}  // namespace seqnn
