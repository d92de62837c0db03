// Recurrent native models behind seqnn::Model. Same file layout as native CNNs (a LibTorch
// archive with the JSON config under "seqnn_config" and the weights), so Model::load, predict,
// ism and score-variants take either kind.
#include <torch/torch.h>

#include <cstdio>

#include "models/model_backend.h"
#include "seqnn/models/native.h"
#include "seqnn/models/rnn.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

class RnnBackend final : public ModelBackend {
 public:
  RnnBackend(RnnNet net, std::string source) : net_(std::move(net)), source_(std::move(source)) {}

  ModelOutput forward(const at::Tensor& x, const std::vector<at::Tensor>& args) override {
    if (!args.empty()) throw Error("native recurrent models take no extra inputs (" + std::to_string(args.size()) + " given)");
    return ModelOutput::single(net_->forward(x));
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
    info.alphabet = cfg.alphabet;
    info.output_names = cfg.output_names;
    if (cfg.input_length > 0) info.input_length = cfg.input_length;
    for (const auto& p : net_->parameters()) info.parameters += p.numel();
    return info;
  }

  void save(const std::string& path) const override { save_native_archive(*net_, net_->config().to_json(), path); }
  // LibTorch's LSTM/GRU apply their between-layer dropout only in training mode, so it is not
  // sampled here; the Dropout modules (conv and dense blocks) are.
  int64_t enable_mc_dropout() override { return enable_native_dropout(*net_); }

  RnnNet net() const { return net_; }

 private:
  RnnNet net_;
  std::string source_;
};

}  // namespace

std::shared_ptr<ModelBackend> load_rnn_backend(torch::serialize::InputArchive& archive, const std::string& config_json,
                                               const std::string& path) {
  RnnNet net(RnnConfig::from_json(config_json, path + " (embedded config)"));
  try {
    net->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "weights do not match the embedded config: " + first_line(e.what_without_backtrace()));
  }
  net->eval();
  return std::make_shared<RnnBackend>(net, path);
}

Model make_rnn_model(const RnnConfig& config, uint64_t seed) {
  torch::manual_seed(seed);
  RnnNet net(config);
  net->eval();
  return Model(std::make_shared<RnnBackend>(net, ""));
}

RnnNet rnn_network(const Model& model) {
  auto* rnn = dynamic_cast<RnnBackend*>(&model.backend());
  if (!rnn) throw Error("not a native recurrent seqnn model");
  return rnn->net();
}

std::shared_ptr<torch::nn::Module> native_module(const Model& model) {
  if (auto* rnn = dynamic_cast<RnnBackend*>(&model.backend())) return rnn->net().ptr();
  return native_network(model).ptr();  // throws for TorchScript models
}

}  // namespace seqnn
