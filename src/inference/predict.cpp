#include "seqnn/inference/predict.h"

#include "inference/batching.h"
#include "seqnn/util/error.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn {

ModelStateGuard::ModelStateGuard(Model& model, const std::string& device, std::optional<at::ScalarType> dtype)
    : model_(model),
      was_training_(model.is_training()),
      old_device_(model.device()),
      old_dtype_(model.dtype()),
      device_(device.empty() ? old_device_ : at::Device(resolve_device_name(device))),
      dtype_(dtype.value_or(old_dtype_)) {
  model_.eval();
  if (device_ != old_device_) model_.to(device_);
  if (dtype_ != old_dtype_) model_.to(dtype_);
}

ModelStateGuard::~ModelStateGuard() {
  try {
    if (dtype_ != old_dtype_) model_.to(old_dtype_);
    if (device_ != old_device_) model_.to(old_device_);
    model_.train(was_training_);
  } catch (...) {
    // Destructors must not throw; the model stays usable in the new placement.
  }
}

void OutputAssembler::put(const ModelOutput& batch, int64_t offset, int64_t n) {
  if (!started_) {
    result_ = batch.with({});
    for (size_t k = 0; k < batch.size(); ++k) {
      auto shape = batch[k].sizes().vec();
      if (shape.empty() || shape[0] != n) {
        throw Error("model output '" + batch.names[k] + "' has shape " + c10::str(batch[k].sizes()) +
                    ", whose first dimension is not the batch size " + std::to_string(n));
      }
      shape[0] = rows_;
      at::ScalarType t = batch[k].scalar_type();
      if (t == at::kHalf || t == at::kBFloat16) t = at::kFloat;
      result_.tensors.push_back(torch::empty(shape, torch::TensorOptions().dtype(t)));
    }
    started_ = true;
  }
  if (batch.names != result_.names) throw Error("model output structure changed between batches");
  for (size_t k = 0; k < batch.size(); ++k) {
    if (batch[k].dim() == 0 || batch[k].size(0) != n ||
        batch[k].sizes().slice(1) != result_.tensors[k].sizes().slice(1)) {
      throw Error("model output '" + batch.names[k] + "' has shape " + c10::str(batch[k].sizes()) +
                  " in one batch and trailing shape " + c10::str(result_.tensors[k].sizes().slice(1)) + " in another");
    }
    result_.tensors[k].narrow(0, offset, n).copy_(batch[k]);
  }
}

namespace {

void check_args_aligned(const at::Tensor& X, const std::vector<at::Tensor>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].dim() == 0 || args[i].size(0) != X.size(0)) {
      throw Error("predict: argument " + std::to_string(i + 1) + " has shape " + c10::str(args[i].sizes()) +
                  "; its first dimension must equal the number of sequences (" + std::to_string(X.size(0)) + ")");
    }
  }
}

}  // namespace

ModelOutput predict(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                    const PredictOptions& opts) {
  if (opts.batch_size <= 0) throw Error("predict: batch size must be positive");
  if (X.dim() == 0) throw Error("predict: X must have a batch dimension");
  check_args_aligned(X, args);
  const int64_t N = X.size(0);
  if (N == 0) throw Error("predict: no sequences");
  ModelStateGuard guard(model, opts.device, opts.dtype);
  c10::InferenceMode inference;
  OutputAssembler out(N);
  for (int64_t start = 0; start < N; start += opts.batch_size) {
    const int64_t n = std::min(opts.batch_size, N - start);
    at::Tensor xb = prepare_input(X.narrow(0, start, n), guard.device(), guard.dtype());
    std::vector<at::Tensor> ab;
    ab.reserve(args.size());
    for (const auto& a : args) ab.push_back(prepare_arg(a.narrow(0, start, n), guard.device(), guard.dtype()));
    out.put(model.forward(xb, ab), start, n);
    if (opts.progress) opts.progress(start + n, N);
  }
  return out.take();
}

}  // namespace seqnn
