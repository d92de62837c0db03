#pragma once
// The ModelBackend of a native seqnn network (CNN, recurrent, two-input, ensemble): the kinds share forward, mode,
// placement, info, the file format and MC dropout; they differ only in the network type, its
// name in messages, when the network has a fixed input length and how many inputs it takes.
#include <torch/torch.h>

#include <optional>
#include <string>

#include "models/model_backend.h"
#include "seqnn/models/ensemble_net.h"
#include "seqnn/models/pair_net.h"
#include "seqnn/util/error.h"

namespace seqnn {

// The network on x and the model's extra inputs: the two-input network takes exactly one (its
// second input, native_backend.cpp); the others take none.
at::Tensor native_forward(PairNet& net, const at::Tensor& x, const std::vector<at::Tensor>& args);
// An ensemble passes them on to every member.
at::Tensor native_forward(EnsembleNet& net, const at::Tensor& x, const std::vector<at::Tensor>& args);
template <typename Net>
at::Tensor native_forward(Net& net, const at::Tensor& x, const std::vector<at::Tensor>& args) {
  if (!args.empty()) {
    throw Error(std::string("native ") + kind_name(net->config()) + " models take no extra inputs (" +
                std::to_string(args.size()) + " given)");
  }
  return net->forward(x);
}

template <typename Net>
class NativeBackendOf final : public ModelBackend {
 public:
  NativeBackendOf(Net net, std::string source) : net_(std::move(net)), source_(std::move(source)) {}

  ModelOutput forward(const at::Tensor& x, const std::vector<at::Tensor>& args) override {
    return ModelOutput::single(native_forward(net_, x, args));
  }
  void train(bool on) override { net_->train(on); }
  bool is_training() const override { return net_->is_training(); }
  void to(at::Device device, at::ScalarType dtype) override { net_->to(device, dtype); }
  at::Device device() const override { return first_parameter_placement(net_->parameters()).first; }
  at::ScalarType dtype() const override { return first_parameter_placement(net_->parameters()).second; }

  ModelInfo info() const override {
    ModelInfo info;
    info.kind = "native";
    info.source = source_;
    const auto& cfg = net_->config();
    info.input_length = fixed_input_length(cfg);
    info.skips_trailing_padding = skips_trailing_padding(cfg);
    info.alphabet = cfg.alphabet;
    info.output_names = cfg.output_names;
    for (const auto& p : net_->parameters()) info.parameters += p.numel();
    return info;
  }

  void save(const std::string& path) const override { save_native_archive(*net_, net_->config().to_json(), path); }
  // Recurrent layers' between-layer dropout acts only in training mode, so it is not sampled;
  // the Dropout modules (conv and dense blocks) are.
  int64_t enable_mc_dropout() override { return enable_native_dropout(*net_); }
  OpGraphAnalysis op_graph(const at::Tensor&, const std::vector<at::Tensor>&) override { return native_op_graph(*net_); }

  Net net() const { return net_; }

 private:
  Net net_;
  std::string source_;
};

}  // namespace seqnn
