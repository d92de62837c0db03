#include "seqnn/models/pair_net.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

int64_t PairNetImpl::Branch::outputs() const { return cnn ? cnn->config().outputs : rnn->config().outputs; }

PairNetImpl::Branch PairNetImpl::make_branch(const std::string& name, const std::string& json) {
  Branch b;
  if (PairConfig::branch_type(json) == "rnn") {
    b.rnn = register_module(name, RnnNet(RnnConfig::from_json(json, name)));
  } else {
    b.cnn = register_module(name, CnnNet(CnnConfig::from_json(json, name)));
  }
  return b;
}

PairNetImpl::PairNetImpl(PairConfig config) : config_(std::move(config)) {
  first_ = make_branch("first", config_.first);
  second_ = make_branch("second", config_.second);
  const int64_t joined = first_.outputs() + second_.outputs();
  dense_ = DenseStack(*this, config_.dense, config_.combine == PairCombine::kProduct ? joined + first_.outputs() : joined);
  output_ = register_module("output", torch::nn::Linear(dense_.out_features(), config_.outputs));
}

torch::Tensor PairNetImpl::forward(torch::Tensor x, torch::Tensor second) {
  if (second.size(0) != x.size(0)) {
    throw Error("the second input has " + std::to_string(second.size(0)) + " rows for " + std::to_string(x.size(0)) +
                " rows of the first");
  }
  const torch::Tensor a = first_.forward(x), b = second_.forward(second.to(x.scalar_type()));
  torch::Tensor h = config_.combine == PairCombine::kProduct ? torch::cat({a, b, a * b}, 1) : torch::cat({a, b}, 1);
  h = dense_.forward(h);
  return apply_activation(output_->forward(h), config_.output_activation);
}

void PairNetImpl::set_metadata(const std::string& json_object) {
  const JsonObject j = JsonObject::parse(json_object, "model metadata");
  config_.metadata = j.json().dump();
}

}  // namespace seqnn
