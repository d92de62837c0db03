#pragma once
// The interface each kind of model implements behind seqnn::Model (private to libseqnn).
#include <torch/torch.h>

#include "seqnn/models/model.h"
#include "seqnn/models/op_graph.h"

namespace torch::jit {
struct Module;
}  // namespace torch::jit

namespace seqnn {

class ModelBackend {
 public:
  virtual ~ModelBackend() = default;
  virtual ModelOutput forward(const at::Tensor& x, const std::vector<at::Tensor>& args) = 0;
  virtual void train(bool on) = 0;
  virtual bool is_training() const = 0;
  virtual void to(at::Device device, at::ScalarType dtype) = 0;
  virtual at::Device device() const = 0;
  virtual at::ScalarType dtype() const = 0;
  virtual ModelInfo info() const = 0;
  virtual void save(const std::string& path) const = 0;
  // Puts the whole model in eval mode, then switches its dropout layers to training mode so they
  // sample masks (Monte-Carlo dropout). Returns the number of dropout layers switched.
  virtual int64_t enable_mc_dropout() = 0;
  // The model as length-wise ops (models/op_graph.h), or why it cannot be one.
  virtual OpGraphAnalysis op_graph(const at::Tensor& sample, const std::vector<at::Tensor>& args) = 0;
};

std::shared_ptr<ModelBackend> load_torchscript_backend(const std::string& path);
// Returns null when the file is not a native seqnn model (so the caller can try TorchScript).
std::shared_ptr<ModelBackend> try_load_native_backend(const std::string& path);

// Native models (CNN, recurrent, two-input, ensemble) share the file format: the JSON config under
// "seqnn_config" plus the module's parameters and buffers. Written under a temporary name and renamed, so a
// failed save never leaves a model file. (src/models/native_backend.cpp)
void save_native_archive(const torch::nn::Module& net, const std::string& config_json, const std::string& path);
// Monte-Carlo dropout for native modules: eval mode, then only the Dropout modules train.
// Returns how many were switched on.
int64_t enable_native_dropout(torch::nn::Module& net);

// The op graphs of the network kinds (op_graph_native.cpp, op_graph_torchscript.cpp).
class CnnNetImpl;
class RnnNetImpl;
class PairNetImpl;
class EnsembleNetImpl;
OpGraphAnalysis native_op_graph(const CnnNetImpl& net);
OpGraphAnalysis native_op_graph(const RnnNetImpl& net);
OpGraphAnalysis native_op_graph(const PairNetImpl& net);
OpGraphAnalysis native_op_graph(const EnsembleNetImpl& net);
OpGraphAnalysis torchscript_op_graph(const torch::jit::Module& module, const at::Tensor& sample,
                                     const std::vector<at::Tensor>& args);

// What distinguishes the native network kinds inside NativeBackendOf (native_backend_of.h).
struct CnnConfig;
struct RnnConfig;
struct PairConfig;
struct EnsembleConfig;
const char* kind_name(const CnnConfig&);
const char* kind_name(const RnnConfig&);
const char* kind_name(const PairConfig&);
const char* kind_name(const EnsembleConfig&);
std::optional<int64_t> fixed_input_length(const CnnConfig& cfg);
std::optional<int64_t> fixed_input_length(const RnnConfig& cfg);
std::optional<int64_t> fixed_input_length(const PairConfig& cfg);
std::optional<int64_t> fixed_input_length(const EnsembleConfig& cfg);
bool skips_trailing_padding(const CnnConfig& cfg);
bool skips_trailing_padding(const RnnConfig& cfg);
bool skips_trailing_padding(const PairConfig& cfg);
bool skips_trailing_padding(const EnsembleConfig& cfg);

// Device and dtype of the first parameter (or buffer) of a module; CPU/float when it has none.
template <typename Params>
std::pair<at::Device, at::ScalarType> first_parameter_placement(const Params& params) {
  for (const auto& p : params) return {p.device(), p.scalar_type()};
  return {at::Device(at::kCPU), at::kFloat};
}

}  // namespace seqnn
