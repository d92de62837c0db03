#include <torch/torch.h>

#include "inference/batching.h"
#include "seqnn/inference/predict.h"
#include "seqnn/util/error.h"

namespace seqnn {

ModelOutput predict_cross(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                          const PredictOptions& opts) {
  if (opts.batch_size <= 0) throw Error("predict_cross: batch size must be positive");
  if (args.empty()) throw Error("predict_cross: needs at least one argument to cross with X");
  const int64_t N = X.size(0), M = args[0].size(0);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].size(0) != M) {
      throw Error("predict_cross: argument " + std::to_string(i + 1) + " has " + std::to_string(args[i].size(0)) +
                  " elements, argument 1 has " + std::to_string(M));
    }
  }
  const int64_t total = N * M;
  if (total == 0) throw Error("predict_cross: nothing to predict");
  ModelStateGuard guard(model, opts.device, opts.dtype);
  c10::InferenceMode inference;
  OutputAssembler out(total);
  for (int64_t start = 0; start < total; start += opts.batch_size) {
    const int64_t n = std::min(opts.batch_size, total - start);
    // Pair p -> (p / M, p % M): gather only this batch's rows of X and of every argument.
    at::Tensor pairs = torch::arange(start, start + n, torch::kLong);
    at::Tensor xb = prepare_input(X.index_select(0, pairs.div(M, "floor")), guard.device(), guard.dtype());
    at::Tensor j = pairs.remainder(M);
    std::vector<at::Tensor> ab;
    for (const auto& a : args) ab.push_back(prepare_arg(a.index_select(0, j), guard.device(), guard.dtype()));
    out.put(model.forward(xb, ab), start, n);
    if (opts.progress) opts.progress(start + n, total);
  }
  ModelOutput flat = out.take();
  std::vector<at::Tensor> shaped;
  for (const auto& t : flat.tensors) {
    auto shape = t.sizes().vec();
    shape.erase(shape.begin());
    shape.insert(shape.begin(), {N, M});
    shaped.push_back(t.view(shape));
  }
  return flat.with(std::move(shaped));
}

}  // namespace seqnn
