#pragma once
// Batched, memory-bounded prediction (the semantics of tangermeme.predict):
//   * X stays where it is (CPU, int8 allowed); each batch is cast to the compute dtype, moved to
//     the device, run under inference mode and moved back to the CPU;
//   * extra arguments are sliced batch by batch along dim 0, aligned with X;
//   * the result has the structure of the model's output (tensor / tuple / dict), concatenated
//     over batches, equal to one forward pass over all of X;
//   * the model's train/eval mode, device and dtype are restored afterwards.
#include <ATen/core/Tensor.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "seqnn/models/model.h"

namespace seqnn {

struct PredictOptions {
  int64_t batch_size = 64;
  std::string device;                   // "", "cpu", "cuda", "cuda:N" or "auto"; "" = model's device
  std::optional<at::ScalarType> dtype;  // compute dtype; default = the model's (float32 usually)
  // Called after each batch with (items done, items total).
  std::function<void(int64_t, int64_t)> progress;
};

// Outputs come back on the CPU; half/bfloat16 outputs are returned as float32.
ModelOutput predict(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args = {},
                    const PredictOptions& opts = {});

// Cross-product prediction: entry (i, j) is the model on X[i] with the j-th element of every
// arg. Output tensors have shape (len(X), len(args[0]), ...). Batches are built from (i, j)
// pairs on the fly; the full cross of inputs is never materialised.
ModelOutput predict_cross(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                          const PredictOptions& opts = {});

// Puts a model in eval mode on a device/dtype for the lifetime of the guard and restores its
// previous mode, device and dtype afterwards (also when an exception unwinds).
class ModelStateGuard {
 public:
  ModelStateGuard(Model& model, const std::string& device, std::optional<at::ScalarType> dtype);
  ~ModelStateGuard();
  ModelStateGuard(const ModelStateGuard&) = delete;
  ModelStateGuard& operator=(const ModelStateGuard&) = delete;
  at::Device device() const { return device_; }
  at::ScalarType dtype() const { return dtype_; }

 private:
  Model& model_;
  bool was_training_;
  at::Device old_device_;
  at::ScalarType old_dtype_;
  at::Device device_;
  at::ScalarType dtype_;
};

}  // namespace seqnn
