#pragma once
// The layer blocks native models share (CNN and recurrent), and the enum-like values of their
// configs. Enums are parsed once when a config loads and written back under the same names, so
// config JSON (and the config stored in native model files) reads and writes as before.
//   conv block:  conv -> [batch norm] -> activation -> [pool] -> [dropout]
//   dense block: linear -> [batch norm] -> activation -> [dropout]
#include <cstdint>
#include <vector>

#include "seqnn/util/enum_names.h"

namespace seqnn {

enum class Activation { kNone, kRelu, kGelu, kElu, kSigmoid, kTanh, kSoftplus, kExp, kSoftmax };
enum class Padding { kValid, kSame };
enum class PoolType { kMax, kAvg };

// "none", "relu", "gelu", "elu", "sigmoid", "tanh", "softplus", "exp", "softmax".
const std::vector<EnumName<Activation>>& activation_names();
const std::vector<EnumName<Padding>>& padding_names();    // "valid", "same"
const std::vector<EnumName<PoolType>>& pool_type_names();  // "max", "avg"
inline const char* name_of(Activation a) { return enum_name(a, activation_names()); }
inline const char* name_of(Padding p) { return enum_name(p, padding_names()); }
inline const char* name_of(PoolType p) { return enum_name(p, pool_type_names()); }

struct ConvLayerConfig {
  int64_t filters = 0;
  int64_t width = 0;
  int64_t dilation = 1;
  int64_t stride = 1;
  Padding padding = Padding::kValid;
  bool batch_norm = false;
  Activation activation = Activation::kRelu;
  int64_t pool = 1;  // pooling width (= stride); 1 = none
  PoolType pool_type = PoolType::kMax;
  double dropout = 0.0;
};

struct DenseLayerConfig {
  int64_t units = 0;
  bool batch_norm = false;
  Activation activation = Activation::kRelu;
  double dropout = 0.0;
};

// Length of the sequence axis after one conv block (may drop below 1: callers decide).
int64_t conv_block_output_length(const ConvLayerConfig& layer, int64_t length);

}  // namespace seqnn
