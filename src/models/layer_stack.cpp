#include "seqnn/models/layer_stack.h"

#include <torch/torch.h>

#include <string>

namespace seqnn {

namespace F = torch::nn::functional;

namespace {

// A submodule registered in `owner` when `wanted`, else a null holder (so forward skips it).
template <typename Holder, typename... Args>
Holder optional_module(torch::nn::Module& owner, bool wanted, const std::string& name, Args... args) {
  if (!wanted) return Holder(nullptr);
  return Holder(owner.register_module(name, Holder(args...)));
}

}  // namespace

torch::Tensor apply_activation(const torch::Tensor& x, Activation activation) {
  switch (activation) {
    case Activation::kNone: return x;
    case Activation::kRelu: return torch::relu(x);
    case Activation::kGelu: return torch::gelu(x);
    case Activation::kElu: return torch::elu(x);
    case Activation::kSigmoid: return torch::sigmoid(x);
    case Activation::kTanh: return torch::tanh(x);
    case Activation::kSoftplus: return F::softplus(x);
    case Activation::kExp: return torch::exp(x);
    case Activation::kSoftmax: return torch::softmax(x, 1);
  }
  return x;
}

ConvStack::ConvStack(torch::nn::Module& owner, const std::vector<ConvLayerConfig>& layers, int64_t in_channels)
    : layers_(layers), out_channels_(in_channels) {
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& c = layers_[i];
    auto opts = torch::nn::Conv1dOptions(out_channels_, c.filters, c.width).stride(c.stride).dilation(c.dilation);
    if (c.padding == Padding::kSame) opts.padding(torch::kSame);
    const std::string name = "conv" + std::to_string(i);
    convs_.push_back(owner.register_module(name, torch::nn::Conv1d(opts)));
    bns_.push_back(optional_module<torch::nn::BatchNorm1d>(owner, c.batch_norm, name + "_bn", c.filters));
    dropouts_.push_back(optional_module<torch::nn::Dropout>(owner, c.dropout > 0, name + "_dropout", c.dropout));
    out_channels_ = c.filters;
  }
}

torch::Tensor ConvStack::forward(torch::Tensor x) {
  for (size_t i = 0; i < convs_.size(); ++i) {
    const auto& c = layers_[i];
    x = convs_[i]->forward(x);
    if (bns_[i]) x = bns_[i]->forward(x);
    x = apply_activation(x, c.activation);
    if (c.pool > 1) {
      x = c.pool_type == PoolType::kMax ? F::max_pool1d(x, F::MaxPool1dFuncOptions(c.pool))
                                        : F::avg_pool1d(x, F::AvgPool1dFuncOptions(c.pool));
    }
    if (dropouts_[i]) x = dropouts_[i]->forward(x);
  }
  return x;
}

DenseStack::DenseStack(torch::nn::Module& owner, const std::vector<DenseLayerConfig>& layers, int64_t in_features)
    : layers_(layers), out_features_(in_features) {
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& d = layers_[i];
    const std::string name = "dense" + std::to_string(i);
    linears_.push_back(owner.register_module(name, torch::nn::Linear(out_features_, d.units)));
    bns_.push_back(optional_module<torch::nn::BatchNorm1d>(owner, d.batch_norm, name + "_bn", d.units));
    dropouts_.push_back(optional_module<torch::nn::Dropout>(owner, d.dropout > 0, name + "_dropout", d.dropout));
    out_features_ = d.units;
  }
}

torch::Tensor DenseStack::forward(torch::Tensor x) {
  for (size_t i = 0; i < linears_.size(); ++i) {
    x = linears_[i]->forward(x);
    if (bns_[i]) x = bns_[i]->forward(x);
    x = apply_activation(x, layers_[i].activation);
    if (dropouts_[i]) x = dropouts_[i]->forward(x);
  }
  return x;
}

}  // namespace seqnn
