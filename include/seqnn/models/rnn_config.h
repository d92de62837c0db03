#pragma once
// Configuration of the native recurrent models, read from JSON ("type": "rnn"):
//   {"type": "rnn", "alphabet": "protein", "embedding": 32,          // 0 = one-hot input
//    "conv": [{"filters": 64, "width": 9, "padding": "same", "pool": 2}],  // optional, as in cnn
//    "cell": "lstm", "hidden": 64, "layers": 2, "bidirectional": true, "rnn_dropout": 0.1,
//    "pool": "last",                                                  // last, mean or max
//    "dense": [{"units": 64, "dropout": 0.2}], "outputs": 1, "output_activation": "sigmoid"}
// Conv and dense blocks are the CNN's (layer_config.h), read and validated by the same code.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/layer_config.h"

namespace seqnn {

enum class RnnCell { kLstm, kGru };
// How the recurrent outputs are summarised: final states, or mean / max over real positions.
enum class SequencePool { kLast, kMean, kMax };
const std::vector<EnumName<RnnCell>>& rnn_cell_names();            // "lstm", "gru"
const std::vector<EnumName<SequencePool>>& sequence_pool_names();  // "last", "mean", "max"
inline const char* name_of(RnnCell c) { return enum_name(c, rnn_cell_names()); }
inline const char* name_of(SequencePool p) { return enum_name(p, sequence_pool_names()); }

struct RnnConfig {
  std::string alphabet = "dna";
  int64_t input_length = 0;  // informative only (0 = any length)
  int64_t embedding = 0;     // 0 = feed the one-hot columns directly
  std::vector<ConvLayerConfig> conv;
  RnnCell cell = RnnCell::kLstm;
  int64_t hidden = 64;
  int64_t layers = 1;
  bool bidirectional = false;
  double rnn_dropout = 0.0;  // between stacked recurrent layers
  SequencePool pool = SequencePool::kLast;
  std::vector<DenseLayerConfig> dense;
  int64_t outputs = 1;
  Activation output_activation = Activation::kNone;
  std::vector<std::string> output_names;

  static RnnConfig from_json(const std::string& text, const std::string& source = "config");
  std::string to_json() const;
  int64_t alphabet_size() const;
  // Sequence length after the conv stack (at least 1).
  int64_t conv_output_length(int64_t length) const;
};

}  // namespace seqnn
