#pragma once
// Configuration of the native two-input ("pair") network, read from JSON ("type": "pair"): two
// branches, each a native CNN or recurrent config whose outputs are that branch's features, are
// concatenated and go through a dense stack to the outputs. The first branch reads the model's
// input x (N, A, L) of any length; the second reads the first extra argument (N, A2, L2), e.g. a
// peptide and the pseudo-sequence of the MHC allele it is paired with:
//   {"type": "pair",
//    "first":  {"type": "rnn", "alphabet": "protein", "embedding": 32, "cell": "lstm", "hidden": 64,
//               "bidirectional": true, "outputs": 64, "output_activation": "relu"},
//    "second": {"type": "cnn", "alphabet": "protein", "input_length": 34, "global_pool": "flatten",
//               "outputs": 64, "output_activation": "relu"},
//    "combine": "product",
//    "dense": [{"units": 64, "dropout": 0.2}], "outputs": 1, "output_activation": "sigmoid",
//    "metadata": {...}}
// "combine" joins the branch features f1, f2: "concat" gives [f1, f2]; "product" gives
// [f1, f2, f1 * f2] (elementwise; both branches must have as many outputs), so the dense stack
// sees the multiplicative interactions of the two inputs directly.
// "metadata" is any JSON object carried with the model and written back unchanged (the mhc
// module keeps its pseudo-sequences and percentile calibration there); forward never reads it.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/layer_config.h"

namespace seqnn {

enum class PairCombine { kConcat, kProduct };
const std::vector<EnumName<PairCombine>>& pair_combine_names();  // "concat", "product"
inline const char* name_of(PairCombine c) { return enum_name(c, pair_combine_names()); }

struct PairConfig {
  std::string first;   // branch configs as JSON text ("cnn" or "rnn")
  std::string second;
  PairCombine combine = PairCombine::kConcat;
  std::vector<DenseLayerConfig> dense;
  int64_t outputs = 1;
  Activation output_activation = Activation::kNone;
  std::vector<std::string> output_names;
  std::string metadata = "{}";  // a JSON object
  // Derived from the first branch when read: what seqnn::ModelInfo reports for x.
  std::string alphabet = "dna";
  int64_t input_length = 0;

  // Parses and validates (the branches by their own readers); errors name `source` and the key.
  static PairConfig from_json(const std::string& text, const std::string& source = "config");
  std::string to_json() const;
  // "cnn" or "rnn": the type of a branch config.
  static std::string branch_type(const std::string& branch_json);
};

}  // namespace seqnn
