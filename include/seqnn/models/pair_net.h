#pragma once
// The native two-input network (pair_config.h): branch(x) and branch(second input), each a
// native CNN or recurrent network, concatenated, then a dense stack and a linear output layer.
// Submodules are registered as "first", "second", then dense0..., "output", so parameters line
// up one to one with the same PyTorch modules assigned in that order. To create, load or save a
// native model use seqnn/models/native.h; seqnn::Model passes the second input as args[0].
#include <torch/nn.h>

#include "seqnn/models/cnn.h"
#include "seqnn/models/layer_stack.h"
#include "seqnn/models/pair_config.h"
#include "seqnn/models/rnn.h"

namespace seqnn {

class PairNetImpl : public torch::nn::Module {
 public:
  explicit PairNetImpl(PairConfig config);
  // x (N, A, L) and second (N, A2, L2) float -> (N, outputs); second is cast to x's dtype.
  torch::Tensor forward(torch::Tensor x, torch::Tensor second);
  const PairConfig& config() const { return config_; }
  // Replaces the metadata object carried with the model (validated as a JSON object).
  void set_metadata(const std::string& json_object);

 private:
  struct Branch {
    CnnNet cnn{nullptr};
    RnnNet rnn{nullptr};
    torch::Tensor forward(const torch::Tensor& x) { return cnn ? cnn->forward(x) : rnn->forward(x); }
    int64_t outputs() const;
  };
  Branch make_branch(const std::string& name, const std::string& json);
  PairConfig config_;
  Branch first_, second_;
  DenseStack dense_;
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(PairNet);

}  // namespace seqnn
