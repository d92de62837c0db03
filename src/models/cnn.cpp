#include "seqnn/models/cnn.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"

namespace seqnn {

CnnNetImpl::CnnNetImpl(CnnConfig config) : config_(std::move(config)) {
  conv_ = ConvStack(*this, config_.conv, config_.alphabet_size());
  int64_t features = conv_.out_channels();
  if (config_.global_pool == GlobalPool::kFlatten) features *= config_.conv_output_length(config_.input_length);
  dense_ = DenseStack(*this, config_.dense, features);
  output_ = register_module("output", torch::nn::Linear(dense_.out_features(), config_.outputs));
}

torch::Tensor CnnNetImpl::forward(torch::Tensor x) {
  if (x.dim() != 3 || x.size(1) != config_.alphabet_size()) {
    throw Error("input of shape " + c10::str(x.sizes()) + " does not match the model's (N, " +
                std::to_string(config_.alphabet_size()) + ", L) layout");
  }
  if (config_.global_pool == GlobalPool::kFlatten && x.size(2) != config_.input_length) {
    throw Error("input length " + std::to_string(x.size(2)) + " does not match the model's input length " +
                std::to_string(config_.input_length));
  }
  x = conv_.forward(x);
  switch (config_.global_pool) {
    case GlobalPool::kFlatten: x = x.flatten(1); break;
    case GlobalPool::kMax: x = std::get<0>(x.max(2)); break;
    case GlobalPool::kAvg: x = x.mean(2); break;
  }
  x = dense_.forward(x);
  return apply_activation(output_->forward(x), config_.output_activation);
}

}  // namespace seqnn
