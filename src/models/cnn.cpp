#include "seqnn/models/cnn.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"

namespace seqnn {

namespace F = torch::nn::functional;

torch::Tensor apply_activation(const torch::Tensor& x, const std::string& name) {
  if (name == "none") return x;
  if (name == "relu") return torch::relu(x);
  if (name == "gelu") return torch::gelu(x);
  if (name == "elu") return torch::elu(x);
  if (name == "sigmoid") return torch::sigmoid(x);
  if (name == "tanh") return torch::tanh(x);
  if (name == "softplus") return F::softplus(x);
  if (name == "exp") return torch::exp(x);
  if (name == "softmax") return torch::softmax(x, 1);
  throw Error("unknown activation '" + name + "'");
}

CnnNetImpl::CnnNetImpl(CnnConfig config) : config_(std::move(config)) {
  int64_t channels = config_.alphabet_size();
  for (size_t i = 0; i < config_.conv.size(); ++i) {
    const auto& c = config_.conv[i];
    auto opts = torch::nn::Conv1dOptions(channels, c.filters, c.width).stride(c.stride).dilation(c.dilation);
    if (c.padding == "same") opts.padding(torch::kSame);
    std::string name = "conv" + std::to_string(i);
    convs_.push_back(register_module(name, torch::nn::Conv1d(opts)));
    conv_bns_.push_back(c.batch_norm ? register_module(name + "_bn", torch::nn::BatchNorm1d(c.filters))
                                     : torch::nn::BatchNorm1d(nullptr));
    conv_dropouts_.push_back(c.dropout > 0 ? register_module(name + "_dropout", torch::nn::Dropout(c.dropout))
                                           : torch::nn::Dropout(nullptr));
    channels = c.filters;
  }
  int64_t features = channels;
  if (config_.global_pool == "flatten") features = channels * config_.conv_output_length(config_.input_length);
  for (size_t i = 0; i < config_.dense.size(); ++i) {
    const auto& d = config_.dense[i];
    std::string name = "dense" + std::to_string(i);
    denses_.push_back(register_module(name, torch::nn::Linear(features, d.units)));
    dense_bns_.push_back(d.batch_norm ? register_module(name + "_bn", torch::nn::BatchNorm1d(d.units))
                                      : torch::nn::BatchNorm1d(nullptr));
    dense_dropouts_.push_back(d.dropout > 0 ? register_module(name + "_dropout", torch::nn::Dropout(d.dropout))
                                            : torch::nn::Dropout(nullptr));
    features = d.units;
  }
  output_ = register_module("output", torch::nn::Linear(features, config_.outputs));
}

torch::Tensor CnnNetImpl::forward(torch::Tensor x) {
  if (x.dim() != 3 || x.size(1) != config_.alphabet_size()) {
    throw Error("input of shape " + c10::str(x.sizes()) + " does not match the model's (N, " +
                std::to_string(config_.alphabet_size()) + ", L) layout");
  }
  if (config_.global_pool == "flatten" && x.size(2) != config_.input_length) {
    throw Error("input length " + std::to_string(x.size(2)) + " does not match the model's input length " +
                std::to_string(config_.input_length));
  }
  for (size_t i = 0; i < convs_.size(); ++i) {
    const auto& c = config_.conv[i];
    x = convs_[i]->forward(x);
    if (conv_bns_[i]) x = conv_bns_[i]->forward(x);
    x = apply_activation(x, c.activation);
    if (c.pool > 1) {
      x = c.pool_type == "max" ? F::max_pool1d(x, F::MaxPool1dFuncOptions(c.pool))
                               : F::avg_pool1d(x, F::AvgPool1dFuncOptions(c.pool));
    }
    if (conv_dropouts_[i]) x = conv_dropouts_[i]->forward(x);
  }
  if (config_.global_pool == "flatten") {
    x = x.flatten(1);
  } else if (config_.global_pool == "max") {
    x = std::get<0>(x.max(2));
  } else {
    x = x.mean(2);
  }
  for (size_t i = 0; i < denses_.size(); ++i) {
    x = denses_[i]->forward(x);
    if (dense_bns_[i]) x = dense_bns_[i]->forward(x);
    x = apply_activation(x, config_.dense[i].activation);
    if (dense_dropouts_[i]) x = dense_dropouts_[i]->forward(x);
  }
  return apply_activation(output_->forward(x), config_.output_activation);
}

}  // namespace seqnn
