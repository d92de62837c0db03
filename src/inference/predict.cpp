#include "seqnn/inference/predict.h"

#include "seqnn/inference/batch_runner.h"
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
  BatchRunner runner(model, opts);
  OutputAssembler out(N);
  runner.run(
      N, opts.batch_size,
      [&](int64_t start, int64_t n) {
        ModelBatch batch{X.narrow(0, start, n), {}};
        for (const auto& a : args) batch.args.push_back(a.narrow(0, start, n));
        return batch;
      },
      [&](int64_t start, int64_t n, const ModelOutput& o) { out.put(o, start, n); }, opts.progress);
  return out.take();
}

}  // namespace seqnn
