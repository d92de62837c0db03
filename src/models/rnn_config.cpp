// Parsing of recurrent model configs. The conv and dense layers are validated by the CNN config
// parser (a shadow CNN config holding just those layers), so both kinds share one set of rules.
#include <nlohmann/json.hpp>

#include "seqnn/models/rnn.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/util/error.h"
#include "util/json_fields.h"

namespace seqnn {
namespace {

using nlohmann::json;


// Conv and dense layers through CnnConfig::from_json (global pooling keeps any input length).
CnnConfig parse_layers(const json& j, const std::string& alphabet, const std::string& source) {
  json shadow = {{"type", "cnn"}, {"alphabet", alphabet}, {"global_pool", "max"}, {"outputs", 1}};
  if (j.contains("conv")) shadow["conv"] = j["conv"];
  if (j.contains("dense")) shadow["dense"] = j["dense"];
  return CnnConfig::from_json(shadow.dump(), source);
}

}  // namespace

std::string native_config_type(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(source, std::string("invalid JSON: ") + first_line(e.what()));
  }
  if (!j.is_object()) fail(source, "the config must be a JSON object");
  std::string type = "cnn";
  read_json_field(j, "type", type, source);
  return type;
}

RnnConfig RnnConfig::from_json(const std::string& text, const std::string& source) {
  if (native_config_type(text, source) != "rnn") fail(source, "not a recurrent model config (\"type\": \"rnn\")");
  const json j = json::parse(text);
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const char* const known[] = {"type", "alphabet", "input_length", "embedding", "conv", "cell", "hidden",
                                        "layers", "bidirectional", "rnn_dropout", "pool", "dense", "outputs",
                                        "output_activation", "output_names", "comment"};
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) fail(source, "unknown field '" + it.key() + "'");
  }
  RnnConfig c;
  read_json_field(j, "alphabet", c.alphabet, source);
  read_json_field(j, "input_length", c.input_length, source);
  read_json_field(j, "embedding", c.embedding, source);
  read_json_field(j, "cell", c.cell, source);
  read_json_field(j, "hidden", c.hidden, source);
  read_json_field(j, "layers", c.layers, source);
  read_json_field(j, "bidirectional", c.bidirectional, source);
  read_json_field(j, "rnn_dropout", c.rnn_dropout, source);
  read_json_field(j, "pool", c.pool, source);
  read_json_field(j, "outputs", c.outputs, source);
  read_json_field(j, "output_activation", c.output_activation, source);
  read_json_field(j, "output_names", c.output_names, source);
  Alphabet::from_name(c.alphabet);
  CnnConfig layers = parse_layers(j, c.alphabet, source);
  c.conv = layers.conv;
  c.dense = layers.dense;
  if (c.cell != "lstm" && c.cell != "gru") fail(source, "'cell' must be \"lstm\" or \"gru\", got \"" + c.cell + "\"");
  if (c.pool != "last" && c.pool != "mean" && c.pool != "max") fail(source, "'pool' must be last, mean or max");
  if (c.hidden <= 0 || c.layers <= 0 || c.outputs <= 0) fail(source, "'hidden', 'layers' and 'outputs' must be positive");
  if (c.embedding < 0) fail(source, "'embedding' must be 0 (one-hot) or a positive size");
  if (c.rnn_dropout < 0 || c.rnn_dropout >= 1) fail(source, "'rnn_dropout' must be in [0, 1)");
  if (!is_known_activation(c.output_activation)) fail(source, "unknown activation '" + c.output_activation + "'");
  if (!c.output_names.empty() && static_cast<int64_t>(c.output_names.size()) != c.outputs) {
    fail(source, "'output_names' has " + std::to_string(c.output_names.size()) + " names for " +
                     std::to_string(c.outputs) + " outputs");
  }
  return c;
}

std::string RnnConfig::to_json() const {
  // Reuse the CNN writer for the layer lists, so both kinds spell layers the same way.
  CnnConfig layers;
  layers.alphabet = alphabet;
  layers.conv = conv;
  layers.dense = dense;
  const json cnn = json::parse(layers.to_json());
  json j;
  j["type"] = "rnn";
  j["alphabet"] = alphabet;
  j["input_length"] = input_length;
  j["embedding"] = embedding;
  j["conv"] = cnn["conv"];
  j["cell"] = cell;
  j["hidden"] = hidden;
  j["layers"] = this->layers;
  j["bidirectional"] = bidirectional;
  j["rnn_dropout"] = rnn_dropout;
  j["pool"] = pool;
  j["dense"] = cnn["dense"];
  j["outputs"] = outputs;
  j["output_activation"] = output_activation;
  j["output_names"] = output_names;
  return j.dump(2);
}

int64_t RnnConfig::alphabet_size() const { return Alphabet::from_name(alphabet).size(); }

int64_t RnnConfig::conv_output_length(int64_t L) const {
  for (const auto& c : conv) {
    if (c.padding == "valid") L = (L - c.dilation * (c.width - 1) - 1) / c.stride + 1;
    L = L / c.pool;
  }
  return std::max<int64_t>(L, 1);
}

}  // namespace seqnn
