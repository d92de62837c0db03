// Recurrent native models behind seqnn::Model. Same file layout as native CNNs (a LibTorch
// archive with the JSON config under "seqnn_config" and the weights), so Model::load, predict,
// ism and score-variants take either kind.
#include <torch/torch.h>

#include <cstdio>

#include "models/native_backend_of.h"
#include "seqnn/models/native.h"
#include "seqnn/models/rnn.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

using RnnBackend = NativeBackendOf<RnnNet>;

}  // namespace

const char* kind_name(const RnnConfig&) { return "recurrent"; }
std::optional<int64_t> fixed_input_length(const RnnConfig& cfg) {
  if (cfg.input_length > 0) return cfg.input_length;
  return std::nullopt;
}

// Lengths come from the trailing all-zero columns and the recurrent layers run on packed sequences.
bool skips_trailing_padding(const RnnConfig&) { return true; }

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
