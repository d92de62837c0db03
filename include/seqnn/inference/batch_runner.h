#pragma once
// The one batch engine behind every batched forward pass (predict, predict_cross, MC dropout,
// variant pairs, ISM). A BatchRunner owns, for its lifetime:
//   * the model's placement: eval mode (or eval with dropout sampling for Monte-Carlo passes) on
//     the requested device and dtype, restored afterwards, also when an exception unwinds;
//   * inference mode (no autograd bookkeeping);
//   * the preparation of each batch: X cast to the compute dtype (it may be int8 one-hot) and
//     moved to the device; floating-point extra arguments follow the compute dtype, others
//     (indices, masks) keep theirs.
// run() is the standard loop: a batch maker builds the inputs of items [start, start + n), the
// runner prepares and runs them, a consumer takes the outputs. OutputAssembler gathers batch
// outputs into whole-input tensors on the CPU.
#include <ATen/core/Tensor.h>
#include <c10/core/InferenceMode.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/inference/predict.h"

namespace seqnn {

// The inputs of one forward pass.
struct ModelBatch {
  at::Tensor x;
  std::vector<at::Tensor> args;
};

enum class DropoutSampling { kOff, kOn };

using BatchMaker = std::function<ModelBatch(int64_t start, int64_t n)>;
using BatchConsumer = std::function<void(int64_t start, int64_t n, const ModelOutput& out)>;
using BatchStep = std::function<void(int64_t start, int64_t n)>;
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

class BatchRunner {
 public:
  // device "" keeps the model's device; dtype nullopt keeps its dtype. DropoutSampling::kOn
  // throws seqnn::Error when the model has no dropout layer.
  BatchRunner(Model& model, const std::string& device, std::optional<at::ScalarType> dtype,
              DropoutSampling dropout = DropoutSampling::kOff);
  BatchRunner(Model& model, const PredictOptions& opts, DropoutSampling dropout = DropoutSampling::kOff);
  ~BatchRunner();
  BatchRunner(const BatchRunner&) = delete;
  BatchRunner& operator=(const BatchRunner&) = delete;

  // The inputs as forward() passes them to the model (compute dtype, device).
  ModelBatch prepare(const at::Tensor& x, const std::vector<at::Tensor>& args = {}) const;
  // One forward pass of a prepared batch. Outputs stay where the model put them (the device).
  ModelOutput forward(const at::Tensor& x, const std::vector<at::Tensor>& args = {});
  ModelOutput forward(const ModelBatch& batch) { return forward(batch.x, batch.args); }

  // Items [0, total) in batches of batch_size: consume(start, n, forward(make(start, n))), then
  // progress(start + n, total).
  void run(int64_t total, int64_t batch_size, const BatchMaker& make, const BatchConsumer& consume,
           const ProgressFn& progress = nullptr);

  at::Device device() const;
  at::ScalarType dtype() const;

 private:
  Model& model_;
  // Declared before inference_: the model moves (new parameters) outside inference mode.
  std::unique_ptr<ModelStateGuard> state_;
  std::unique_ptr<McDropoutGuard> mc_;
  c10::InferenceMode inference_;
};

// The batches of `total` items in order: step(start, n) for each, with n = batch_size except
// for the last; progress(start + n, total) after each.
void for_each_batch(int64_t total, int64_t batch_size, const BatchStep& step, const ProgressFn& progress = nullptr);

// Output buffers on the CPU, allocated when the first batch shows their trailing shapes
// (half/bfloat16 outputs are kept as float32).
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
