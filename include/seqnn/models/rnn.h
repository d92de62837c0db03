#pragma once
// Native recurrent models (LSTM / GRU, bidirectional, stacked, with dropout) on one-hot or learned
// embeddings, optionally behind a conv stack (CNN+LSTM hybrids, DanQ-like), with dense heads.
// Config (JSON, "type": "rnn"):
//   {"type": "rnn", "alphabet": "protein", "embedding": 32,          // 0 = one-hot input
//    "conv": [{"filters": 64, "width": 9, "padding": "same", "pool": 2}],  // optional, as in cnn
//    "cell": "lstm", "hidden": 64, "layers": 2, "bidirectional": true, "rnn_dropout": 0.1,
//    "pool": "last",                                                  // last, mean or max
//    "dense": [{"units": 64, "dropout": 0.2}], "outputs": 1, "output_activation": "sigmoid"}
// Inputs are (N, A, L) one-hot batches of any length, padded at the end with all-zero columns:
// the length of each sequence is taken as the position after its last non-zero column, and the
// recurrent layers see packed sequences of those lengths, so padding never changes a result.
// (An all-zero column inside a sequence, e.g. an N, is kept as input; only trailing ones count as
// padding.)
#include <torch/nn.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/cnn_config.h"
#include "seqnn/models/model.h"

namespace seqnn {

struct RnnConfig {
  std::string alphabet = "dna";
  int64_t input_length = 0;  // informative only (0 = any length)
  int64_t embedding = 0;     // 0 = feed the one-hot columns directly
  std::vector<ConvLayerConfig> conv;
  std::string cell = "lstm";  // "lstm" or "gru"
  int64_t hidden = 64;
  int64_t layers = 1;
  bool bidirectional = false;
  double rnn_dropout = 0.0;    // between stacked recurrent layers
  std::string pool = "last";   // "last" (final states), "mean" or "max" over real positions
  std::vector<DenseLayerConfig> dense;
  int64_t outputs = 1;
  std::string output_activation = "none";
  std::vector<std::string> output_names;

  static RnnConfig from_json(const std::string& text, const std::string& source = "config");
  std::string to_json() const;
  int64_t alphabet_size() const;
  // Sequence length after the conv stack (at least 1).
  int64_t conv_output_length(int64_t length) const;
};

class RnnNetImpl : public torch::nn::Module {
 public:
  explicit RnnNetImpl(RnnConfig config);
  torch::Tensor forward(torch::Tensor x);  // (N, A, L) float -> (N, outputs)
  const RnnConfig& config() const { return config_; }

 private:
  torch::Tensor encode(const torch::Tensor& x);  // -> (N, L, features)
  torch::Tensor run_rnn(const torch::Tensor& features, const torch::Tensor& lengths);
  RnnConfig config_;
  torch::nn::Embedding embedding_{nullptr};
  std::vector<torch::nn::Conv1d> convs_;
  std::vector<torch::nn::BatchNorm1d> conv_bns_;
  std::vector<torch::nn::Dropout> conv_dropouts_;
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::GRU gru_{nullptr};
  std::vector<torch::nn::Linear> denses_;
  std::vector<torch::nn::BatchNorm1d> dense_bns_;
  std::vector<torch::nn::Dropout> dense_dropouts_;
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(RnnNet);

// Lengths of zero-padded one-hot sequences (N, A, L) -> (N,) int64 on the CPU, at least 1.
torch::Tensor one_hot_lengths(const torch::Tensor& x);

// A freshly initialised recurrent model (seeded), in eval mode; saves and loads like native CNNs.
Model make_rnn_model(const RnnConfig& config, uint64_t seed = 0);
RnnNet rnn_network(const Model& model);  // throws for other models
// The trainable module behind any native model (CNN or RNN); throws for TorchScript models.
std::shared_ptr<torch::nn::Module> native_module(const Model& model);
// The "type" field of a native model config ("cnn" when absent).
std::string native_config_type(const std::string& json_text, const std::string& source);

}  // namespace seqnn
