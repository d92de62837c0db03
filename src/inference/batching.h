#pragma once
// Helpers shared by predict and predict_cross (private to libseqnn).
#include <torch/torch.h>

#include "seqnn/models/model_output.h"

namespace seqnn {

// Casts a batch of X to the compute dtype (X may be int8 one-hot) and moves it to the device.
inline at::Tensor prepare_input(const at::Tensor& x, at::Device device, at::ScalarType dtype) {
  return x.to(device, dtype, /*non_blocking=*/false, /*copy=*/false);
}

// Extra arguments follow the compute dtype when they are floating point (so alpha/beta scale
// with the model), keep their dtype otherwise (indices, masks), and move to the device.
inline at::Tensor prepare_arg(const at::Tensor& a, at::Device device, at::ScalarType dtype) {
  return at::isFloatingType(a.scalar_type()) ? a.to(device, dtype) : a.to(device);
}

// Output buffers, allocated when the first batch shows their trailing shapes.
class OutputAssembler {
 public:
  // rows: the leading size of every assembled tensor.
  explicit OutputAssembler(int64_t rows) : rows_(rows) {}
  // Copies batch outputs (leading dim = n rows) into rows [offset, offset + n).
  void put(const ModelOutput& batch, int64_t offset, int64_t n);
  ModelOutput take() { return std::move(result_); }

 private:
  int64_t rows_;
  bool started_ = false;
  ModelOutput result_;
};

}  // namespace seqnn
