#pragma once
// Configuration of the native 1D CNN, read from JSON. It expresses DeepSEA, Basset, DeepBind-like
// and dilated (Basenji-like) stacks. Example (DeepSEA; more in configs/):
//   {"type": "cnn", "alphabet": "dna", "input_length": 1000,
//    "conv": [{"filters": 320, "width": 8, "pool": 4, "dropout": 0.2},
//             {"filters": 480, "width": 8, "pool": 4, "dropout": 0.2},
//             {"filters": 960, "width": 8, "dropout": 0.5}],
//    "dense": [{"units": 925}], "outputs": 919, "output_activation": "sigmoid"}
// Conv and dense blocks are described in layer_config.h; the head is a linear layer with
// `outputs` units and `output_activation`.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/layer_config.h"

namespace seqnn {

enum class GlobalPool { kFlatten, kMax, kAvg };
const std::vector<EnumName<GlobalPool>>& global_pool_names();  // "flatten", "max", "avg"
inline const char* name_of(GlobalPool g) { return enum_name(g, global_pool_names()); }

struct CnnConfig {
  std::string alphabet = "dna";
  int64_t input_length = 0;  // required when the model flattens
  std::vector<ConvLayerConfig> conv;
  GlobalPool global_pool = GlobalPool::kFlatten;  // max and avg accept any length
  std::vector<DenseLayerConfig> dense;
  int64_t outputs = 1;
  Activation output_activation = Activation::kNone;
  std::vector<std::string> output_names;

  // Parses and validates; errors name `source` and the offending key.
  static CnnConfig from_json(const std::string& text, const std::string& source = "config");
  static CnnConfig from_file(const std::string& path);
  std::string to_json() const;

  int64_t alphabet_size() const;
  // Length of the sequence axis after the conv stack (throws if it drops below 1).
  int64_t conv_output_length(int64_t input_length) const;
};

// Activation names accepted in configs.
bool is_known_activation(const std::string& name);

}  // namespace seqnn
