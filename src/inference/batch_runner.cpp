#include "seqnn/inference/batch_runner.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

at::Tensor prepare_input(const at::Tensor& x, at::Device device, at::ScalarType dtype) {
  return x.to(device, dtype, /*non_blocking=*/false, /*copy=*/false);
}

// Floating-point arguments scale with the model (alpha/beta in the compute dtype); indices and
// masks keep their dtype.
at::Tensor prepare_arg(const at::Tensor& a, at::Device device, at::ScalarType dtype) {
  return at::isFloatingType(a.scalar_type()) ? a.to(device, dtype) : a.to(device);
}

}  // namespace

BatchRunner::BatchRunner(Model& model, const std::string& device, std::optional<at::ScalarType> dtype,
                         DropoutSampling dropout)
    : model_(model),
      state_(dropout == DropoutSampling::kOff ? std::make_unique<ModelStateGuard>(model, device, dtype) : nullptr),
      mc_(dropout == DropoutSampling::kOn ? std::make_unique<McDropoutGuard>(model, device, dtype) : nullptr) {}

BatchRunner::BatchRunner(Model& model, const PredictOptions& opts, DropoutSampling dropout)
    : BatchRunner(model, opts.device, opts.dtype, dropout) {}

BatchRunner::~BatchRunner() = default;

at::Device BatchRunner::device() const { return state_ ? state_->device() : mc_->device(); }
at::ScalarType BatchRunner::dtype() const { return state_ ? state_->dtype() : mc_->dtype(); }

ModelBatch BatchRunner::prepare(const at::Tensor& x, const std::vector<at::Tensor>& args) const {
  const at::Device dev = device();
  const at::ScalarType type = dtype();
  ModelBatch batch{prepare_input(x, dev, type), {}};
  batch.args.reserve(args.size());
  for (const auto& a : args) batch.args.push_back(prepare_arg(a, dev, type));
  return batch;
}

ModelOutput BatchRunner::forward(const at::Tensor& x, const std::vector<at::Tensor>& args) {
  ModelBatch batch = prepare(x, args);
  return model_.forward(batch.x, batch.args);
}

void BatchRunner::run(int64_t total, int64_t batch_size, const BatchMaker& make, const BatchConsumer& consume,
                      const ProgressFn& progress) {
  for_each_batch(
      total, batch_size, [&](int64_t start, int64_t n) { consume(start, n, forward(make(start, n))); }, progress);
}

void for_each_batch(int64_t total, int64_t batch_size, const BatchStep& step, const ProgressFn& progress) {
  if (batch_size <= 0) throw Error("batch size must be positive");
  for (int64_t start = 0; start < total; start += batch_size) {
    const int64_t n = std::min(batch_size, total - start);
    step(start, n);
    if (progress) progress(start + n, total);
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

}  // namespace seqnn
