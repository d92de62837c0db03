#pragma once
// The conv and dense block stacks of native models, built by one piece of code for CNNs and
// RNNs. A stack registers its submodules in the owning module under the names the model files
// use (conv0, conv0_bn, conv0_dropout, ...; dense0, dense0_bn, ...), in forward order, so
// parameters line up one to one with the equivalent PyTorch nn.Sequential and existing model
// files load unchanged.
#include <torch/nn.h>

#include <cstdint>
#include <vector>

#include "seqnn/models/layer_config.h"

namespace seqnn {

// Applies an activation ("none" is the identity; softmax is over dim 1).
torch::Tensor apply_activation(const torch::Tensor& x, Activation activation);

class ConvStack {
 public:
  ConvStack() = default;
  ConvStack(torch::nn::Module& owner, const std::vector<ConvLayerConfig>& layers, int64_t in_channels);
  torch::Tensor forward(torch::Tensor x);  // (N, C, L) -> (N, filters, L')
  int64_t out_channels() const { return out_channels_; }
  // Layer i's config and modules (batch norm and dropout are null holders where unused).
  const std::vector<ConvLayerConfig>& layers() const { return layers_; }
  const torch::nn::Conv1d& conv(size_t i) const { return convs_.at(i); }
  const torch::nn::BatchNorm1d& batch_norm(size_t i) const { return bns_.at(i); }

 private:
  std::vector<ConvLayerConfig> layers_;
  std::vector<torch::nn::Conv1d> convs_;
  std::vector<torch::nn::BatchNorm1d> bns_;  // null holders where unused
  std::vector<torch::nn::Dropout> dropouts_;
  int64_t out_channels_ = 0;
};

class DenseStack {
 public:
  DenseStack() = default;
  DenseStack(torch::nn::Module& owner, const std::vector<DenseLayerConfig>& layers, int64_t in_features);
  torch::Tensor forward(torch::Tensor x);  // (N, F) -> (N, units)
  int64_t out_features() const { return out_features_; }
  const std::vector<DenseLayerConfig>& layers() const { return layers_; }
  const torch::nn::Linear& linear(size_t i) const { return linears_.at(i); }
  const torch::nn::BatchNorm1d& batch_norm(size_t i) const { return bns_.at(i); }

 private:
  std::vector<DenseLayerConfig> layers_;
  std::vector<torch::nn::Linear> linears_;
  std::vector<torch::nn::BatchNorm1d> bns_;
  std::vector<torch::nn::Dropout> dropouts_;
  int64_t out_features_ = 0;
};

}  // namespace seqnn
