#pragma once
// The native 1D CNN (DeepSEA / Basset / DeepBind-like), built from a CnnConfig.
// Submodules are registered in forward order (conv0, conv0_bn, ..., dense0, dense0_bn, ...,
// output) so parameters line up one to one with the equivalent PyTorch nn.Sequential.
#include <torch/nn.h>

#include "seqnn/models/cnn_config.h"

namespace seqnn {

class CnnNetImpl : public torch::nn::Module {
 public:
  explicit CnnNetImpl(CnnConfig config);
  torch::Tensor forward(torch::Tensor x);  // (N, A, L) float -> (N, outputs)
  const CnnConfig& config() const { return config_; }

 private:
  CnnConfig config_;
  std::vector<torch::nn::Conv1d> convs_;
  std::vector<torch::nn::BatchNorm1d> conv_bns_;  // null holders where unused
  std::vector<torch::nn::Dropout> conv_dropouts_;
  std::vector<torch::nn::Linear> denses_;
  std::vector<torch::nn::BatchNorm1d> dense_bns_;
  std::vector<torch::nn::Dropout> dense_dropouts_;
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(CnnNet);

// Applies an activation by config name ("none" is the identity; softmax is over dim 1).
torch::Tensor apply_activation(const torch::Tensor& x, const std::string& name);

}  // namespace seqnn
