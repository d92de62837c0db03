// Parsing of two-input ("pair") model configs; the branches go through the CNN and RNN readers,
// the dense stack through the shared layer reader (layer_config_json.h).
#include <nlohmann/json.hpp>

#include "models/layer_config_json.h"
#include "seqnn/models/cnn_config.h"
#include "seqnn/models/pair_config.h"
#include "seqnn/models/rnn_config.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

using nlohmann::json;

namespace {

// The branch under `key`, validated by its own reader; sets the alphabet and fixed length of x
// when it is the first branch.
std::string read_branch(const JsonObject& j, const std::string& key, PairConfig* derived) {
  if (!j.has(key)) j.fail_key(key, "is required (a \"cnn\" or \"rnn\" config)");
  const JsonObject branch(j.json().at(key), j.where() + ": " + key);
  const std::string text = branch.json().dump();
  const std::string type = PairConfig::branch_type(text);
  if (type == "rnn") {
    const RnnConfig c = RnnConfig::from_json(text, branch.where());
    if (derived) {
      derived->alphabet = c.alphabet;
      derived->input_length = c.input_length;
    }
  } else if (type == "cnn") {
    const CnnConfig c = CnnConfig::from_json(text, branch.where());
    if (derived) {
      derived->alphabet = c.alphabet;
      derived->input_length = c.global_pool == GlobalPool::kFlatten ? c.input_length : 0;
    }
  } else {
    branch.fail_key("type", "a branch must be \"cnn\" or \"rnn\", got '" + type + "'");
  }
  return text;
}

}  // namespace

std::string read_metadata(const JsonObject& j) {
  if (!j.has("metadata")) return "{}";
  if (!j.json().at("metadata").is_object()) j.fail_key("metadata", "must be a JSON object");
  return j.json().at("metadata").dump();
}

const std::vector<EnumName<PairCombine>>& pair_combine_names() {
  static const std::vector<EnumName<PairCombine>> names = {{PairCombine::kConcat, "concat"}, {PairCombine::kProduct, "product"}};
  return names;
}

std::string PairConfig::branch_type(const std::string& branch_json) {
  const json j = json::parse(branch_json);
  return j.contains("type") && j.at("type").is_string() ? j.at("type").get<std::string>() : std::string("cnn");
}

PairConfig PairConfig::from_json(const std::string& text, const std::string& source) {
  const JsonObject j = JsonObject::parse(text, source);
  j.allow_only({"type", "first", "second", "combine", "dense", "outputs", "output_activation", "output_names", "metadata",
                "comment"});
  PairConfig c;
  require_config_type(j, "pair");
  c.first = read_branch(j, "first", &c);
  c.second = read_branch(j, "second", nullptr);
  j.read_enum("combine", c.combine, pair_combine_names());
  if (c.combine == PairCombine::kProduct) {
    const int64_t a = json::parse(c.first).value("outputs", int64_t{1});
    const int64_t b = json::parse(c.second).value("outputs", int64_t{1});
    if (a != b) {
      j.fail_key("combine", "\"product\" needs branches with as many outputs (" + std::to_string(a) + " and " +
                                std::to_string(b) + ")");
    }
  }
  c.dense = read_dense_layers(j, "dense");
  j.read("outputs", c.outputs);
  j.require_size("outputs", c.outputs);
  j.read_enum("output_activation", c.output_activation, activation_names());
  read_output_names(j, c.outputs, c.output_names);
  c.metadata = read_metadata(j);
  return c;
}

std::string PairConfig::to_json() const {
  json j;
  j["type"] = "pair";
  j["first"] = json::parse(first);
  j["second"] = json::parse(second);
  j["combine"] = name_of(combine);
  j["dense"] = dense_layers_json(dense);
  j["outputs"] = outputs;
  j["output_activation"] = name_of(output_activation);
  j["output_names"] = output_names;
  j["metadata"] = json::parse(metadata);
  return j.dump(2);
}

}  // namespace seqnn
