#include "seqnn/models/layer_config.h"

#include "models/layer_config_json.h"
#include "seqnn/sequence/alphabet.h"

namespace seqnn {

const std::vector<EnumName<Activation>>& activation_names() {
  static const std::vector<EnumName<Activation>> names = {
      {Activation::kNone, "none"},       {Activation::kRelu, "relu"}, {Activation::kGelu, "gelu"},
      {Activation::kElu, "elu"},         {Activation::kSigmoid, "sigmoid"}, {Activation::kTanh, "tanh"},
      {Activation::kSoftplus, "softplus"}, {Activation::kExp, "exp"},   {Activation::kSoftmax, "softmax"}};
  return names;
}

const std::vector<EnumName<Padding>>& padding_names() {
  static const std::vector<EnumName<Padding>> names = {{Padding::kValid, "valid"}, {Padding::kSame, "same"}};
  return names;
}

const std::vector<EnumName<PoolType>>& pool_type_names() {
  static const std::vector<EnumName<PoolType>> names = {{PoolType::kMax, "max"}, {PoolType::kAvg, "avg"}};
  return names;
}

int64_t conv_block_output_length(const ConvLayerConfig& c, int64_t L) {
  if (c.padding == Padding::kValid) L = (L - c.dilation * (c.width - 1) - 1) / c.stride + 1;
  return L / c.pool;
}

namespace {

ConvLayerConfig read_conv(const JsonObject& j) {
  j.allow_only({"filters", "width", "dilation", "stride", "padding", "batch_norm", "activation", "pool", "pool_type",
                "dropout"});
  ConvLayerConfig c;
  j.read("filters", c.filters);
  j.read("width", c.width);
  j.read("dilation", c.dilation);
  j.read("stride", c.stride);
  j.read_enum("padding", c.padding, padding_names());
  j.read("batch_norm", c.batch_norm);
  j.read_enum("activation", c.activation, activation_names());
  j.read("pool", c.pool);
  j.read_enum("pool_type", c.pool_type, pool_type_names());
  j.read("dropout", c.dropout);
  j.require_size("filters", c.filters);
  j.require_size("width", c.width);
  j.require_size("dilation", c.dilation);
  j.require_size("stride", c.stride);
  j.require_size("pool", c.pool);
  if (c.padding == Padding::kSame && c.stride != 1) j.fail_key("padding", "'same' padding needs stride 1");
  j.require_in_half_open("dropout", c.dropout, 0.0, 1.0);
  return c;
}

DenseLayerConfig read_dense(const JsonObject& j) {
  j.allow_only({"units", "batch_norm", "activation", "dropout"});
  DenseLayerConfig d;
  j.read("units", d.units);
  j.read("batch_norm", d.batch_norm);
  j.read_enum("activation", d.activation, activation_names());
  j.read("dropout", d.dropout);
  j.require_size("units", d.units);
  j.require_in_half_open("dropout", d.dropout, 0.0, 1.0);
  return d;
}

}  // namespace

std::vector<ConvLayerConfig> read_conv_layers(const JsonObject& config, const std::string& key) {
  std::vector<ConvLayerConfig> layers;
  for (const auto& j : config.read_objects(key)) layers.push_back(read_conv(j));
  return layers;
}

std::vector<DenseLayerConfig> read_dense_layers(const JsonObject& config, const std::string& key) {
  std::vector<DenseLayerConfig> layers;
  for (const auto& j : config.read_objects(key)) layers.push_back(read_dense(j));
  return layers;
}

nlohmann::json conv_layers_json(const std::vector<ConvLayerConfig>& layers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : layers) {
    out.push_back({{"filters", c.filters}, {"width", c.width}, {"dilation", c.dilation}, {"stride", c.stride},
                   {"padding", name_of(c.padding)}, {"batch_norm", c.batch_norm}, {"activation", name_of(c.activation)},
                   {"pool", c.pool}, {"pool_type", name_of(c.pool_type)}, {"dropout", c.dropout}});
  }
  return out;
}

nlohmann::json dense_layers_json(const std::vector<DenseLayerConfig>& layers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : layers) {
    out.push_back({{"units", d.units}, {"batch_norm", d.batch_norm}, {"activation", name_of(d.activation)},
                   {"dropout", d.dropout}});
  }
  return out;
}

void require_config_type(const JsonObject& config, const std::string& expected) {
  std::string type = "cnn";
  config.read("type", type);
  if (type != expected) {
    config.fail_key("type", "unsupported model type '" + type + "' (this reader knows \"" + expected + "\")");
  }
}

void read_alphabet(const JsonObject& config, std::string& alphabet) {
  config.read("alphabet", alphabet);
  try {
    Alphabet::from_name(alphabet);
  } catch (const Error& e) {
    config.fail_key("alphabet", e.what());
  }
}

void read_output_names(const JsonObject& config, int64_t outputs, std::vector<std::string>& names) {
  config.read("output_names", names);
  if (!names.empty() && static_cast<int64_t>(names.size()) != outputs) {
    config.fail_key("output_names", std::to_string(names.size()) + " names for " + std::to_string(outputs) + " outputs");
  }
  // The names become output columns (and --target picks by them): each must say which one.
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) config.fail_key("output_names", "name " + std::to_string(i) + " is empty");
    for (size_t k = 0; k < i; ++k) {
      if (names[k] == names[i]) config.fail_key("output_names", "'" + names[i] + "' names two outputs");
    }
  }
}

double count_conv_weights(WeightCount& count, const std::vector<ConvLayerConfig>& conv, double channels) {
  for (size_t i = 0; i < conv.size(); ++i) {
    const ConvLayerConfig& c = conv[i];
    const double filters = static_cast<double>(c.filters);
    count.add("conv[" + std::to_string(i) + "]", filters * channels * static_cast<double>(c.width) + 3 * filters);
    channels = filters;
  }
  return channels;
}

double count_dense_weights(WeightCount& count, const std::vector<DenseLayerConfig>& dense, double features) {
  for (size_t i = 0; i < dense.size(); ++i) {
    const double units = static_cast<double>(dense[i].units);
    count.add("dense[" + std::to_string(i) + "]", units * features + 3 * units);
    features = units;
  }
  return features;
}

}  // namespace seqnn
