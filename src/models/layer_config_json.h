#pragma once
// JSON reading and writing of the layer blocks shared by the CNN and RNN configs (private to
// libseqnn; src/models/layer_config.cpp), so both kinds validate and spell layers one way.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "seqnn/models/layer_config.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

// The list under `key` ("conv", "dense"); absent gives none. Errors name "source: conv[i]: key".
std::vector<ConvLayerConfig> read_conv_layers(const JsonObject& config, const std::string& key);
std::vector<DenseLayerConfig> read_dense_layers(const JsonObject& config, const std::string& key);
nlohmann::json conv_layers_json(const std::vector<ConvLayerConfig>& layers);
nlohmann::json dense_layers_json(const std::vector<DenseLayerConfig>& layers);

// The "type" key ("cnn" when absent) must be `expected`.
void require_config_type(const JsonObject& config, const std::string& expected);
// The alphabet name, which must be one seqnn knows.
void read_alphabet(const JsonObject& config, std::string& alphabet);
void read_output_names(const JsonObject& config, int64_t outputs, std::vector<std::string>& names);
// The "metadata" object models carry (two-input networks, ensembles) as JSON text; "{}" when
// absent (src/models/pair_config.cpp).
std::string read_metadata(const JsonObject& config);

// The keys CNN and RNN configs share: alphabet, input_length, conv, dense, outputs,
// output_activation and output_names.
template <typename Config>
void read_shared_native_fields(const JsonObject& j, Config& c) {
  read_alphabet(j, c.alphabet);
  j.read("input_length", c.input_length);
  j.require_size("input_length", c.input_length, 0, kMaxConfigLength);
  c.conv = read_conv_layers(j, "conv");
  c.dense = read_dense_layers(j, "dense");
  j.read("outputs", c.outputs);
  j.require_size("outputs", c.outputs);
  j.read_enum("output_activation", c.output_activation, activation_names());
  read_output_names(j, c.outputs, c.output_names);
}

// The conv stack's weights over `channels` input channels; returns the channels it ends with.
double count_conv_weights(WeightCount& count, const std::vector<ConvLayerConfig>& conv, double channels);
// The dense stack's weights over `features` inputs; returns the features it ends with.
double count_dense_weights(WeightCount& count, const std::vector<DenseLayerConfig>& dense, double features);

template <typename Config>
void write_shared_native_fields(const Config& c, nlohmann::json& j) {
  j["alphabet"] = c.alphabet;
  j["input_length"] = c.input_length;
  j["conv"] = conv_layers_json(c.conv);
  j["dense"] = dense_layers_json(c.dense);
  j["outputs"] = c.outputs;
  j["output_activation"] = name_of(c.output_activation);
  j["output_names"] = c.output_names;
}

}  // namespace seqnn
