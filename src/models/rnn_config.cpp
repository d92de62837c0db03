// Parsing of recurrent model configs; the conv and dense layers go through the same readers as
// the CNN's (layer_config_json.h).
#include <nlohmann/json.hpp>

#include <algorithm>

#include "models/layer_config_json.h"
#include "seqnn/models/rnn_config.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

using nlohmann::json;

const std::vector<EnumName<RnnCell>>& rnn_cell_names() {
  static const std::vector<EnumName<RnnCell>> names = {{RnnCell::kLstm, "lstm"}, {RnnCell::kGru, "gru"}};
  return names;
}

const std::vector<EnumName<SequencePool>>& sequence_pool_names() {
  static const std::vector<EnumName<SequencePool>> names = {
      {SequencePool::kLast, "last"}, {SequencePool::kMean, "mean"}, {SequencePool::kMax, "max"}};
  return names;
}

namespace {

// Stacked recurrent layers beyond this are a typo: each is a module of its own, built one by one.
constexpr int64_t kMaxRecurrentLayers = 1024;

// The weights of the config (layer_config_json.h's WeightCount): embedding, conv stack, the
// recurrent layers (4 gates for an LSTM, 3 for a GRU, per direction), dense stack and outputs.
void count_weights(const JsonObject& j, const RnnConfig& c) {
  WeightCount count(j);
  double features = static_cast<double>(c.alphabet_size());
  if (c.embedding > 0) {
    count.add("embedding", features * static_cast<double>(c.embedding));
    features = static_cast<double>(c.embedding);
  }
  features = count_conv_weights(count, c.conv, features);
  const double gates = c.cell == RnnCell::kLstm ? 4 : 3, directions = c.bidirectional ? 2 : 1;
  const double hidden = static_cast<double>(c.hidden);
  for (int64_t l = 0; l < c.layers; ++l) {
    count.add("hidden", directions * gates * hidden * (features + hidden + 2));
    features = hidden * directions;
  }
  features = count_dense_weights(count, c.dense, features);
  count.add("outputs", static_cast<double>(c.outputs) * (features + 1));
}

}  // namespace

RnnConfig RnnConfig::from_json(const std::string& text, const std::string& source) {
  const JsonObject j = JsonObject::parse(text, source);
  j.allow_only({"type", "alphabet", "input_length", "embedding", "conv", "cell", "hidden", "layers", "bidirectional",
                "rnn_dropout", "pool", "dense", "outputs", "output_activation", "output_names", "comment"});
  RnnConfig c;
  require_config_type(j, "rnn");
  read_shared_native_fields(j, c);
  j.read("embedding", c.embedding);
  j.read_enum("cell", c.cell, rnn_cell_names());
  j.read("hidden", c.hidden);
  j.read("layers", c.layers);
  j.read("bidirectional", c.bidirectional);
  j.read("rnn_dropout", c.rnn_dropout);
  j.read_enum("pool", c.pool, sequence_pool_names());
  j.require_size("hidden", c.hidden);
  j.require_size("layers", c.layers, 1, kMaxRecurrentLayers);
  j.require_size("embedding", c.embedding, 0);
  j.require_in_half_open("rnn_dropout", c.rnn_dropout, 0.0, 1.0);
  count_weights(j, c);
  return c;
}

std::string RnnConfig::to_json() const {
  json j;
  j["type"] = "rnn";
  write_shared_native_fields(*this, j);
  j["embedding"] = embedding;
  j["cell"] = name_of(cell);
  j["hidden"] = hidden;
  j["layers"] = layers;
  j["bidirectional"] = bidirectional;
  j["rnn_dropout"] = rnn_dropout;
  j["pool"] = name_of(pool);
  return j.dump(2);
}

int64_t RnnConfig::alphabet_size() const { return Alphabet::from_name(alphabet).size(); }

int64_t RnnConfig::conv_output_length(int64_t L) const {
  for (const auto& c : conv) L = conv_block_output_length(c, L);
  return std::max<int64_t>(L, 1);
}

}  // namespace seqnn
