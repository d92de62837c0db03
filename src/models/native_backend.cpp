// Native seqnn models: a network built from a JSON config. The model file is a LibTorch archive
// holding the config (attribute "seqnn_config") and the weights, so one file is self-describing.
#include <torch/torch.h>

#include <cstdio>

#include "models/native_backend_of.h"
#include "seqnn/models/cnn.h"
#include "seqnn/models/native.h"
#include "seqnn/models/rnn.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

const char kConfigKey[] = "seqnn_config";

using NativeBackend = NativeBackendOf<CnnNet>;

}  // namespace

const char* kind_name(const CnnConfig&) { return "CNN"; }
// A CNN has a fixed input length only when it flattens before its dense layers.
std::optional<int64_t> fixed_input_length(const CnnConfig& cfg) {
  if (cfg.global_pool == "flatten") return cfg.input_length;
  return std::nullopt;
}

// Zero columns change a CNN's output (global average pooling, 'same' borders), so never.
bool skips_trailing_padding(const CnnConfig&) { return false; }

void save_native_archive(const torch::nn::Module& net, const std::string& config_json, const std::string& path) {
  torch::serialize::OutputArchive archive;
  archive.write(kConfigKey, c10::IValue(config_json));
  net.save(archive);
  const std::string partial = path + ".partial";
  try {
    archive.save_to(partial);
  } catch (const c10::Error& e) {
    std::remove(partial.c_str());
    fail(path, "cannot write model: " + first_line(e.what_without_backtrace()));
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) fail(path, "cannot rename the written model into place");
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

Model make_native_model(const CnnConfig& config, uint64_t seed) {
  torch::manual_seed(seed);
  CnnNet net(config);
  net->eval();
  return Model(std::make_shared<NativeBackend>(net, ""));
}

CnnNet native_network(const Model& model) {
  auto* native = dynamic_cast<NativeBackend*>(&model.backend());
  if (!native) throw Error("not a native seqnn model");
  return native->net();
}

std::shared_ptr<ModelBackend> try_load_native_backend(const std::string& path) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error&) {
    return nullptr;  // not a LibTorch archive at all: let the TorchScript loader report it
  }
  c10::IValue config_text;
  if (!archive.try_read(kConfigKey, config_text) || !config_text.isString()) return nullptr;
  if (native_config_type(config_text.toStringRef(), path) == "rnn") {
    return load_rnn_backend(archive, config_text.toStringRef(), path);
  }
  CnnConfig config = CnnConfig::from_json(config_text.toStringRef(), path + " (embedded config)");
  CnnNet net(config);
  try {
    net->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "weights do not match the embedded config: " + first_line(e.what_without_backtrace()));
  }
  net->eval();
  return std::make_shared<NativeBackend>(net, path);
}

}  // namespace seqnn
