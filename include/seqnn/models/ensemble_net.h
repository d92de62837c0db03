#pragma once
// A native ensemble: several native models (CNN, recurrent or two-input) with one input layout
// and the same outputs, whose output is the mean of theirs (on the output scale, after each
// member's output activation). Read from JSON ("type": "ensemble"):
//   {"type": "ensemble", "members": [{"type": "pair", ...}, {"type": "pair", ...}],
//    "metadata": {...}}
// Extra inputs (Model::forward's args) go to every member. "metadata" is any JSON object carried
// with the model (as in pair_config.h). Members are registered as member0, member1, ...; to
// create, load or save a native model use seqnn/models/native.h.
#include <torch/nn.h>

#include <string>
#include <vector>

#include "seqnn/models/cnn.h"
#include "seqnn/models/pair_net.h"
#include "seqnn/models/rnn.h"

namespace seqnn {

struct EnsembleConfig {
  std::vector<std::string> members;  // member configs as JSON text
  std::string metadata = "{}";
  // Derived from the members when read (they must agree): what seqnn::ModelInfo reports.
  std::string alphabet = "dna";
  int64_t input_length = 0;  // the first member's fixed input length (0: none)
  bool skips_trailing_padding = false;  // every member skips trailing padding
  int64_t outputs = 1;
  Activation output_activation = Activation::kNone;
  std::vector<std::string> output_names;

  static EnsembleConfig from_json(const std::string& text, const std::string& source = "config");
  std::string to_json() const;
};

class EnsembleNetImpl : public torch::nn::Module {
 public:
  explicit EnsembleNetImpl(EnsembleConfig config);
  torch::Tensor forward(const torch::Tensor& x, const std::vector<torch::Tensor>& args);
  const EnsembleConfig& config() const { return config_; }
  void set_metadata(const std::string& json_object);
  // Member k's module (its parameters are named as in the member's own model file).
  std::shared_ptr<torch::nn::Module> member(size_t k) const;
  size_t size() const { return members_.size(); }

 private:
  struct Member {
    CnnNet cnn{nullptr};
    RnnNet rnn{nullptr};
    PairNet pair{nullptr};
    torch::Tensor forward(const torch::Tensor& x, const std::vector<torch::Tensor>& args);
  };
  EnsembleConfig config_;
  std::vector<Member> members_;
};
TORCH_MODULE(EnsembleNet);

}  // namespace seqnn
