#pragma once
// Native recurrent models (LSTM / GRU, bidirectional, stacked, with dropout) on one-hot or learned
// embeddings, optionally behind a conv stack (CNN+LSTM hybrids, DanQ-like), with dense heads;
// configured by RnnConfig (rnn_config.h). The conv and dense stacks are the CNN's (layer_stack.h).
// Inputs are (N, A, L) one-hot batches of any length, padded at the end with all-zero columns:
// the length of each sequence is taken as the position after its last non-zero column, and the
// recurrent layers see packed sequences of those lengths, so padding never changes a result.
// (An all-zero column inside a sequence, e.g. an N, is kept as input; only trailing ones count as
// padding.) To create, load or save a native model use seqnn/models/native.h.
#include <torch/nn.h>

#include "seqnn/models/layer_stack.h"
#include "seqnn/models/rnn_config.h"

namespace seqnn {

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
  ConvStack conv_;
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::GRU gru_{nullptr};
  DenseStack dense_;
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(RnnNet);

// Lengths of zero-padded one-hot sequences (N, A, L) -> (N,) int64 on the CPU, at least 1.
torch::Tensor one_hot_lengths(const torch::Tensor& x);

}  // namespace seqnn
