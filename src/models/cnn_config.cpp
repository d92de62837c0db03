#include "seqnn/models/cnn_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/util/error.h"
#include "util/json_fields.h"

namespace seqnn {
namespace {

using nlohmann::json;

const char* const kActivations[] = {"none", "relu", "gelu", "elu", "sigmoid", "tanh", "softplus", "exp", "softmax"};


void reject_unknown_keys(const json& j, std::initializer_list<const char*> known, const std::string& where) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) fail(where, "unknown field '" + it.key() + "'");
  }
}

void require_positive(int64_t v, const char* name, const std::string& where) {
  if (v <= 0) fail(where, std::string("'") + name + "' must be a positive integer, got " + std::to_string(v));
}

void require_activation(const std::string& a, const std::string& where) {
  if (!is_known_activation(a)) fail(where, "unknown activation '" + a + "'");
}

void require_dropout(double p, const std::string& where) {
  if (p < 0 || p >= 1) fail(where, "'dropout' must be in [0, 1), got " + std::to_string(p));
}

ConvLayerConfig parse_conv(const json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "must be an object");
  reject_unknown_keys(j, {"filters", "width", "dilation", "stride", "padding", "batch_norm", "activation", "pool",
                          "pool_type", "dropout"}, where);
  ConvLayerConfig c;
  read_json_field(j, "filters", c.filters, where);
  read_json_field(j, "width", c.width, where);
  read_json_field(j, "dilation", c.dilation, where);
  read_json_field(j, "stride", c.stride, where);
  read_json_field(j, "padding", c.padding, where);
  read_json_field(j, "batch_norm", c.batch_norm, where);
  read_json_field(j, "activation", c.activation, where);
  read_json_field(j, "pool", c.pool, where);
  read_json_field(j, "pool_type", c.pool_type, where);
  read_json_field(j, "dropout", c.dropout, where);
  require_positive(c.filters, "filters", where);
  require_positive(c.width, "width", where);
  require_positive(c.dilation, "dilation", where);
  require_positive(c.stride, "stride", where);
  require_positive(c.pool, "pool", where);
  if (c.padding != "valid" && c.padding != "same") fail(where, "'padding' must be \"valid\" or \"same\"");
  if (c.padding == "same" && c.stride != 1) fail(where, "'same' padding needs stride 1");
  if (c.pool_type != "max" && c.pool_type != "avg") fail(where, "'pool_type' must be \"max\" or \"avg\"");
  require_activation(c.activation, where);
  require_dropout(c.dropout, where);
  return c;
}

DenseLayerConfig parse_dense(const json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "must be an object");
  reject_unknown_keys(j, {"units", "batch_norm", "activation", "dropout"}, where);
  DenseLayerConfig d;
  read_json_field(j, "units", d.units, where);
  read_json_field(j, "batch_norm", d.batch_norm, where);
  read_json_field(j, "activation", d.activation, where);
  read_json_field(j, "dropout", d.dropout, where);
  require_positive(d.units, "units", where);
  require_activation(d.activation, where);
  require_dropout(d.dropout, where);
  return d;
}

}  // namespace

bool is_known_activation(const std::string& name) {
  for (const char* a : kActivations) {
    if (name == a) return true;
  }
  return false;
}

int64_t CnnConfig::alphabet_size() const { return Alphabet::from_name(alphabet).size(); }

int64_t CnnConfig::conv_output_length(int64_t L) const {
  for (size_t i = 0; i < conv.size(); ++i) {
    const auto& c = conv[i];
    if (c.padding == "valid") L = (L - c.dilation * (c.width - 1) - 1) / c.stride + 1;
    L = L / c.pool;
    if (L < 1) {
      throw Error("config: the sequence axis shrinks below 1 after conv layer " + std::to_string(i + 1) +
                  " (input too short for the conv/pool stack)");
    }
  }
  return L;
}

CnnConfig CnnConfig::from_json(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(source, std::string("invalid JSON: ") + first_line(e.what()));
  }
  if (!j.is_object()) fail(source, "the config must be a JSON object");
  reject_unknown_keys(j, {"type", "alphabet", "input_length", "conv", "global_pool", "dense", "outputs",
                          "output_activation", "output_names", "comment"}, source);
  std::string type = "cnn";
  read_json_field(j, "type", type, source);
  if (type != "cnn") fail(source, "unsupported model type '" + type + "' (this build knows \"cnn\")");
  CnnConfig c;
  read_json_field(j, "alphabet", c.alphabet, source);
  read_json_field(j, "input_length", c.input_length, source);
  read_json_field(j, "global_pool", c.global_pool, source);
  read_json_field(j, "outputs", c.outputs, source);
  read_json_field(j, "output_activation", c.output_activation, source);
  read_json_field(j, "output_names", c.output_names, source);
  Alphabet::from_name(c.alphabet);  // validates
  if (j.contains("conv")) {
    if (!j["conv"].is_array()) fail(source, "'conv' must be a list of layers");
    for (size_t i = 0; i < j["conv"].size(); ++i) {
      c.conv.push_back(parse_conv(j["conv"][i], source + ": conv[" + std::to_string(i) + "]"));
    }
  }
  if (j.contains("dense")) {
    if (!j["dense"].is_array()) fail(source, "'dense' must be a list of layers");
    for (size_t i = 0; i < j["dense"].size(); ++i) {
      c.dense.push_back(parse_dense(j["dense"][i], source + ": dense[" + std::to_string(i) + "]"));
    }
  }
  require_positive(c.outputs, "outputs", source);
  require_activation(c.output_activation, source);
  if (c.global_pool != "flatten" && c.global_pool != "max" && c.global_pool != "avg") {
    fail(source, "'global_pool' must be \"flatten\", \"max\" or \"avg\"");
  }
  if (c.global_pool == "flatten") {
    if (c.input_length <= 0) fail(source, "'input_length' is required (positive) when global_pool is \"flatten\"");
    try {
      c.conv_output_length(c.input_length);
    } catch (const Error& e) {
      fail(source, e.what());
    }
  }
  if (!c.output_names.empty() && static_cast<int64_t>(c.output_names.size()) != c.outputs) {
    fail(source, "'output_names' has " + std::to_string(c.output_names.size()) + " names for " +
                     std::to_string(c.outputs) + " outputs");
  }
  return c;
}

CnnConfig CnnConfig::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open config");
  std::stringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path);
}

std::string CnnConfig::to_json() const {
  json j;
  j["type"] = "cnn";
  j["alphabet"] = alphabet;
  j["input_length"] = input_length;
  j["conv"] = json::array();
  for (const auto& c : conv) {
    j["conv"].push_back({{"filters", c.filters}, {"width", c.width}, {"dilation", c.dilation}, {"stride", c.stride},
                         {"padding", c.padding}, {"batch_norm", c.batch_norm}, {"activation", c.activation},
                         {"pool", c.pool}, {"pool_type", c.pool_type}, {"dropout", c.dropout}});
  }
  j["global_pool"] = global_pool;
  j["dense"] = json::array();
  for (const auto& d : dense) {
    j["dense"].push_back({{"units", d.units}, {"batch_norm", d.batch_norm}, {"activation", d.activation},
                          {"dropout", d.dropout}});
  }
  j["outputs"] = outputs;
  j["output_activation"] = output_activation;
  j["output_names"] = output_names;
  return j.dump(2);
}

}  // namespace seqnn
