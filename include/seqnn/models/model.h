#pragma once
// seqnn::Model runs a sequence model, whichever way it was made:
//   * a TorchScript module saved in PyTorch with torch.jit.save (torch.jit.script or trace);
//   * a native seqnn architecture built from a JSON config (see models/cnn.h), saved by seqnn.
// Model::load tells them apart by content. A Model is a cheap handle: copies share the network.
//
// TorchScript modules may carry optional attributes that seqnn reads (docs/models.md):
//   seqnn_input_length: int, seqnn_alphabet: str, seqnn_output_names: List[str].
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seqnn/models/model_output.h"

namespace seqnn {

class ModelBackend;

struct ModelInfo {
  std::string kind;                     // "torchscript" or "native"
  std::string source;                   // file it was loaded from, if any
  std::optional<int64_t> input_length;  // fixed input length, when the model has one
  std::string alphabet = "dna";
  std::vector<std::string> output_names;  // names of output columns (may be empty)
  // True when trailing all-zero one-hot columns are padding the model skips (native recurrent
  // models pack their sequences), so sequences of different lengths can share a batch.
  bool skips_trailing_padding = false;
  int64_t parameters = 0;
};

class Model {
 public:
  Model() = default;
  explicit Model(std::shared_ptr<ModelBackend> backend);

  // Loads a native seqnn model file or a TorchScript file, or a shipped model by name
  // ("rbp/pum2": models/shipped_models.h) when no such file exists. Throws seqnn::Error naming
  // the file.
  static Model load(const std::string& path_or_name);

  // Runs the model on x (N, A, L) and extra arguments passed after it, in order. Integer inputs
  // (int8 one-hot) are cast to the model's dtype. Errors inside the model become seqnn::Error.
  ModelOutput forward(const at::Tensor& x, const std::vector<at::Tensor>& args = {});

  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const;
  void to(at::Device device);
  void to(at::ScalarType dtype);
  at::Device device() const;
  at::ScalarType dtype() const;

  ModelInfo info() const;
  // Monte-Carlo dropout: eval mode everywhere except the dropout layers, which sample masks.
  // Returns how many dropout layers were switched on; throws seqnn::Error when there are none.
  // Undo with eval() (or train()). See docs/mc_dropout.md for what counts as dropout.
  int64_t enable_mc_dropout();
  // Native models only: writes the config and the weights to one file.
  void save(const std::string& path) const;

  bool valid() const { return backend_ != nullptr; }
  ModelBackend& backend() const;

 private:
  std::shared_ptr<ModelBackend> backend_;
};

}  // namespace seqnn
