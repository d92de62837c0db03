// Native seqnn models: a network built from a JSON config. The model file is a LibTorch archive
// holding the config (attribute "seqnn_config") and the weights, so one file is self-describing.
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "models/native_backend_of.h"
#include "seqnn/util/zip_check.h"
#include "seqnn/models/native.h"
#include "seqnn/util/archive_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn {
namespace {

const char kConfigKey[] = "seqnn_config";

using CnnBackend = NativeBackendOf<CnnNet>;
using RnnBackend = NativeBackendOf<RnnNet>;
using PairBackend = NativeBackendOf<PairNet>;
using EnsembleBackend = NativeBackendOf<EnsembleNet>;

template <typename Net>
std::shared_ptr<ModelBackend> load_backend(torch::serialize::InputArchive& archive, Net net, const std::string& path) {
  try {
    net->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "weights do not match the embedded config: " + first_line(e.what_without_backtrace()));
  }
  net->eval();
  return std::make_shared<NativeBackendOf<Net>>(net, path);
}

template <typename Net, typename Config>
Model make_model(const Config& config, uint64_t seed) {
  torch::manual_seed(seed);
  Net net(config);
  net->eval();
  return Model(std::make_shared<NativeBackendOf<Net>>(net, ""));
}

}  // namespace

const char* kind_name(const CnnConfig&) { return "CNN"; }
const char* kind_name(const RnnConfig&) { return "recurrent"; }
const char* kind_name(const PairConfig&) { return "two-input"; }
const char* kind_name(const EnsembleConfig&) { return "ensemble"; }

// A CNN has a fixed input length only when it flattens before its dense layers.
std::optional<int64_t> fixed_input_length(const CnnConfig& cfg) {
  if (cfg.global_pool == GlobalPool::kFlatten) return cfg.input_length;
  return std::nullopt;
}
std::optional<int64_t> fixed_input_length(const RnnConfig& cfg) {
  if (cfg.input_length > 0) return cfg.input_length;
  return std::nullopt;
}
// The first branch's, or the first member's (derived when the config is read).
std::optional<int64_t> fixed_input_length(const PairConfig& cfg) {
  if (cfg.input_length > 0) return cfg.input_length;
  return std::nullopt;
}
std::optional<int64_t> fixed_input_length(const EnsembleConfig& cfg) {
  if (cfg.input_length > 0) return cfg.input_length;
  return std::nullopt;
}

// Zero columns change a CNN's output (global average pooling, 'same' borders), so never.
bool skips_trailing_padding(const CnnConfig&) { return false; }
// Lengths come from the trailing all-zero columns and the recurrent layers run on packed sequences.
bool skips_trailing_padding(const RnnConfig&) { return true; }
bool skips_trailing_padding(const PairConfig& cfg) { return PairConfig::branch_type(cfg.first) == "rnn"; }
bool skips_trailing_padding(const EnsembleConfig& cfg) { return cfg.skips_trailing_padding; }

at::Tensor native_forward(PairNet& net, const at::Tensor& x, const std::vector<at::Tensor>& args) {
  if (args.size() != 1) {
    throw Error("native two-input models take one extra input, the second branch's (" + std::to_string(args.size()) +
                " given)");
  }
  return net->forward(x, args[0]);
}

at::Tensor native_forward(EnsembleNet& net, const at::Tensor& x, const std::vector<at::Tensor>& args) {
  return net->forward(x, args);
}

void save_native_archive(const torch::nn::Module& net, const std::string& config_json, const std::string& path) {
  torch::serialize::OutputArchive archive;
  archive.write(kConfigKey, c10::IValue(config_json));
  net.save(archive);
  save_archive_atomically(archive, path, "model");
}

int64_t enable_native_dropout(torch::nn::Module& net) {
  net.eval();
  int64_t n = 0;
  for (const auto& m : net.modules(/*include_self=*/false)) {
    if (dynamic_cast<torch::nn::DropoutImpl*>(m.get())) {
      m->train(true);
      ++n;
    }
  }
  return n;
}

Model make_native_model(const CnnConfig& config, uint64_t seed) { return make_model<CnnNet>(config, seed); }
Model make_native_model(const RnnConfig& config, uint64_t seed) { return make_model<RnnNet>(config, seed); }
Model make_native_model(const PairConfig& config, uint64_t seed) { return make_model<PairNet>(config, seed); }
Model make_native_model(const EnsembleConfig& config, uint64_t seed) { return make_model<EnsembleNet>(config, seed); }

Model make_native_model_from_json(const std::string& config_json, const std::string& source, uint64_t seed) {
  const std::string type = native_config_type(config_json, source);
  if (type == "rnn") return make_native_model(RnnConfig::from_json(config_json, source), seed);
  if (type == "pair") return make_native_model(PairConfig::from_json(config_json, source), seed);
  if (type == "ensemble") return make_native_model(EnsembleConfig::from_json(config_json, source), seed);
  return make_native_model(CnnConfig::from_json(config_json, source), seed);
}

CnnNet native_network(const Model& model) {
  auto* native = dynamic_cast<CnnBackend*>(&model.backend());
  if (!native) throw Error("not a native seqnn model");
  return native->net();
}

RnnNet rnn_network(const Model& model) {
  auto* rnn = dynamic_cast<RnnBackend*>(&model.backend());
  if (!rnn) throw Error("not a native recurrent seqnn model");
  return rnn->net();
}

PairNet pair_network(const Model& model) {
  auto* pair = dynamic_cast<PairBackend*>(&model.backend());
  if (!pair) throw Error("not a native two-input seqnn model");
  return pair->net();
}

EnsembleNet ensemble_network(const Model& model) {
  auto* ensemble = dynamic_cast<EnsembleBackend*>(&model.backend());
  if (!ensemble) throw Error("not a native seqnn ensemble");
  return ensemble->net();
}

bool is_native_model(const Model& model) {
  return dynamic_cast<CnnBackend*>(&model.backend()) || dynamic_cast<RnnBackend*>(&model.backend()) ||
         dynamic_cast<PairBackend*>(&model.backend()) || dynamic_cast<EnsembleBackend*>(&model.backend());
}

std::string native_config_json(const Model& model) {
  if (auto* rnn = dynamic_cast<RnnBackend*>(&model.backend())) return rnn->net()->config().to_json();
  if (auto* pair = dynamic_cast<PairBackend*>(&model.backend())) return pair->net()->config().to_json();
  if (auto* ensemble = dynamic_cast<EnsembleBackend*>(&model.backend())) return ensemble->net()->config().to_json();
  return native_network(model)->config().to_json();
}

Model make_native_ensemble(const std::vector<Model>& members, const std::string& metadata) {
  if (members.empty()) throw Error("an ensemble needs at least one member");
  nlohmann::json j = {{"type", "ensemble"}, {"members", nlohmann::json::array()}, {"metadata", nlohmann::json::parse(metadata)}};
  for (const Model& m : members) {
    nlohmann::json member = nlohmann::json::parse(native_config_json(m));
    member.erase("metadata");  // the ensemble carries its own
    j["members"].push_back(member);
  }
  Model ensemble = make_native_model(EnsembleConfig::from_json(j.dump(), "ensemble of " + std::to_string(members.size())), 0);
  EnsembleNet net = ensemble_network(ensemble);
  torch::NoGradGuard no_grad;
  for (size_t k = 0; k < members.size(); ++k) {
    const auto source = native_module(members[k]);
    auto target = net->member(k);
    auto src_params = source->named_parameters(), src_buffers = source->named_buffers();
    for (auto& p : target->named_parameters()) p.value().copy_(src_params[p.key()]);
    for (auto& b : target->named_buffers()) b.value().copy_(src_buffers[b.key()]);
  }
  return ensemble;
}

std::shared_ptr<torch::nn::Module> native_module(const Model& model) {
  if (auto* rnn = dynamic_cast<RnnBackend*>(&model.backend())) return rnn->net().ptr();
  if (auto* pair = dynamic_cast<PairBackend*>(&model.backend())) return pair->net().ptr();
  if (auto* ensemble = dynamic_cast<EnsembleBackend*>(&model.backend())) return ensemble->net().ptr();
  if (auto* cnn = dynamic_cast<CnnBackend*>(&model.backend())) return cnn->net().ptr();
  throw Error("not a native seqnn model");
}

Activation native_output_activation_of(const Model& model) {
  if (auto* rnn = dynamic_cast<RnnBackend*>(&model.backend())) return rnn->net()->config().output_activation;
  if (auto* pair = dynamic_cast<PairBackend*>(&model.backend())) return pair->net()->config().output_activation;
  if (auto* ensemble = dynamic_cast<EnsembleBackend*>(&model.backend())) return ensemble->net()->config().output_activation;
  return native_network(model)->config().output_activation;
}

std::string native_output_activation(const Model& model) { return name_of(native_output_activation_of(model)); }

void load_native_weights(Model& model, const std::string& path) {
  torch::serialize::InputArchive archive;
  try {
    load_archive(archive, path, "checkpoint");
    native_module(model)->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "cannot load checkpoint weights: " + first_line(e.what_without_backtrace()));
  }
}

std::string native_config_type(const std::string& text, const std::string& source) {
  const JsonObject j = JsonObject::parse(text, source);
  std::string type = "cnn";
  j.read("type", type);
  if (type != "cnn" && type != "rnn" && type != "pair" && type != "ensemble") {
    j.fail_key("type", "unknown model type '" + type + "' (native models are cnn, rnn, pair or ensemble)");
  }
  return type;
}

std::shared_ptr<ModelBackend> try_load_native_backend(const std::string& path) {
  torch::serialize::InputArchive archive;
  require_intact_zip(path, "model");
  try {
    archive.load_from(path);
  } catch (const std::exception&) {  // c10::Error, or torch::jit::ErrorReport for damaged code
    return nullptr;  // not a LibTorch archive at all: let the TorchScript loader report it
  }
  c10::IValue config_text;
  if (!archive.try_read(kConfigKey, config_text) || !config_text.isString()) return nullptr;
  const std::string& text = config_text.toStringRef();
  const std::string source = path + " (embedded config)";
  const std::string type = native_config_type(text, path);
  if (type == "rnn") return load_backend(archive, RnnNet(RnnConfig::from_json(text, source)), path);
  if (type == "pair") return load_backend(archive, PairNet(PairConfig::from_json(text, source)), path);
  if (type == "ensemble") return load_backend(archive, EnsembleNet(EnsembleConfig::from_json(text, source)), path);
  return load_backend(archive, CnnNet(CnnConfig::from_json(text, source)), path);
}

}  // namespace seqnn
