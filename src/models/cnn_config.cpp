#include "seqnn/models/cnn_config.h"

#include <nlohmann/json.hpp>

#include "models/layer_config_json.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

using nlohmann::json;

const std::vector<EnumName<GlobalPool>>& global_pool_names() {
  static const std::vector<EnumName<GlobalPool>> names = {
      {GlobalPool::kFlatten, "flatten"}, {GlobalPool::kMax, "max"}, {GlobalPool::kAvg, "avg"}};
  return names;
}

bool is_known_activation(const std::string& name) {
  for (const auto& a : activation_names()) {
    if (name == a.name) return true;
  }
  return false;
}

int64_t CnnConfig::alphabet_size() const { return Alphabet::from_name(alphabet).size(); }

int64_t CnnConfig::conv_output_length(int64_t L) const {
  for (size_t i = 0; i < conv.size(); ++i) {
    L = conv_block_output_length(conv[i], L);
    if (L < 1) {
      throw Error("the sequence axis shrinks below 1 after conv layer " + std::to_string(i + 1) +
                  " (input too short for the conv/pool stack)");
    }
  }
  return L;
}

CnnConfig CnnConfig::from_json(const std::string& text, const std::string& source) {
  const JsonObject j = JsonObject::parse(text, source);
  j.allow_only({"type", "alphabet", "input_length", "conv", "global_pool", "dense", "outputs", "output_activation",
                "output_names", "comment"});
  CnnConfig c;
  require_config_type(j, "cnn");
  read_shared_native_fields(j, c);
  j.read_enum("global_pool", c.global_pool, global_pool_names());
  int64_t positions = 1;  // summarised by max/avg pooling: one value per channel
  if (c.global_pool == GlobalPool::kFlatten) {
    if (c.input_length <= 0) j.fail_key("input_length", "is required (positive) when global_pool is \"flatten\"");
    try {
      positions = c.conv_output_length(c.input_length);
    } catch (const Error& e) {
      j.fail_key("conv", e.what());
    }
  }
  WeightCount count(j);
  const double channels = count_conv_weights(count, c.conv, static_cast<double>(c.alphabet_size()));
  const double features = count_dense_weights(count, c.dense, channels * static_cast<double>(positions));
  count.add("outputs", static_cast<double>(c.outputs) * (features + 1));
  return c;
}

CnnConfig CnnConfig::from_file(const std::string& path) { return from_json(read_text_file(path, "model config"), path); }

std::string CnnConfig::to_json() const {
  json j;
  j["type"] = "cnn";
  write_shared_native_fields(*this, j);
  j["global_pool"] = name_of(global_pool);
  return j.dump(2);
}

}  // namespace seqnn
