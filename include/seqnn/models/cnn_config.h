#pragma once
// Configuration of the native 1D CNN, read from JSON. It expresses DeepSEA, Basset, DeepBind-like
// and dilated (Basenji-like) stacks. Example (DeepSEA; more in configs/):
//   {"type": "cnn", "alphabet": "dna", "input_length": 1000,
//    "conv": [{"filters": 320, "width": 8, "pool": 4, "dropout": 0.2},
//             {"filters": 480, "width": 8, "pool": 4, "dropout": 0.2},
//             {"filters": 960, "width": 8, "dropout": 0.5}],
//    "dense": [{"units": 925}], "outputs": 919, "output_activation": "sigmoid"}
// Each conv block is conv -> [batch norm] -> activation -> [pool] -> [dropout]; each dense block
// is linear -> [batch norm] -> activation -> [dropout]; the head is a linear layer with
// `outputs` units and `output_activation`.
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn {

struct ConvLayerConfig {
  int64_t filters = 0;
  int64_t width = 0;
  int64_t dilation = 1;
  int64_t stride = 1;
  std::string padding = "valid";  // "valid" or "same"
  bool batch_norm = false;
  std::string activation = "relu";
  int64_t pool = 1;                // pooling width (= stride); 1 = none
  std::string pool_type = "max";   // "max" or "avg"
  double dropout = 0.0;
};

struct DenseLayerConfig {
  int64_t units = 0;
  bool batch_norm = false;
  std::string activation = "relu";
  double dropout = 0.0;
};

struct CnnConfig {
  std::string alphabet = "dna";
  int64_t input_length = 0;           // required when the model flattens
  std::vector<ConvLayerConfig> conv;
  std::string global_pool = "flatten";  // "flatten", "max" or "avg" (the latter accept any length)
  std::vector<DenseLayerConfig> dense;
  int64_t outputs = 1;
  std::string output_activation = "none";  // none, sigmoid, softmax, relu, softplus, exp, tanh
  std::vector<std::string> output_names;

  // Parses and validates; errors name `source` and the offending field.
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
