#include <torch/torch.h>

#include "seqnn/inference/batch_runner.h"
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
  BatchRunner runner(model, opts);
  OutputAssembler out(total);
  runner.run(
      total, opts.batch_size,
      [&](int64_t start, int64_t n) {
        // Pair p -> (p / M, p % M): gather only this batch's rows of X and of every argument.
        at::Tensor pairs = torch::arange(start, start + n, torch::kLong);
        ModelBatch batch{X.index_select(0, pairs.div(M, "floor")), {}};
        at::Tensor j = pairs.remainder(M);
        for (const auto& a : args) batch.args.push_back(a.index_select(0, j));
        return batch;
      },
      [&](int64_t start, int64_t n, const ModelOutput& o) { out.put(o, start, n); }, opts.progress);
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
