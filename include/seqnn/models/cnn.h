#pragma once
// The native 1D CNN (DeepSEA / Basset / DeepBind-like), built from a CnnConfig: a conv stack,
// global pooling or flattening, a dense stack and a linear output layer (layer_stack.h).
// Submodules are registered in forward order (conv0, conv0_bn, ..., dense0, dense0_bn, ...,
// output) so parameters line up one to one with the equivalent PyTorch nn.Sequential.
// To create, load or save a native model use seqnn/models/native.h.
#include <torch/nn.h>

#include "seqnn/models/cnn_config.h"
#include "seqnn/models/layer_stack.h"

namespace seqnn {

class CnnNetImpl : public torch::nn::Module {
 public:
  explicit CnnNetImpl(CnnConfig config);
  torch::Tensor forward(torch::Tensor x);  // (N, A, L) float -> (N, outputs)
  const CnnConfig& config() const { return config_; }
  const ConvStack& conv_stack() const { return conv_; }
  const DenseStack& dense_stack() const { return dense_; }
  const torch::nn::Linear& output_layer() const { return output_; }

 private:
  CnnConfig config_;
  ConvStack conv_;
  DenseStack dense_;
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(CnnNet);

}  // namespace seqnn
