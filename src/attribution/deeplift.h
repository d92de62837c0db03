#pragma once
// DeepLIFT on a model's op graph (private to libseqnn). The graph (models/op_graph.h) is run with
// autograd on the input rows and their reference rows together; each node gets a rule:
//   linear      conv, linear, crop, flatten, average pool, mean / sum, batch norm in eval, add,
//               channel slices and concatenation, reshapes, products with values that do not
//               depend on the sequence: the ordinary gradient (DeepLIFT's linear rule)
//   rescale     univariate non-linearities (relu, sigmoid, tanh, softplus, exp, elu, gelu, ...):
//               a custom autograd function whose backward multiplies by (f(x) - f(r)) / (x - r),
//               or by f'(x) where |x - r| is below rounding
//   max         max pools, max / amax over an axis: the rule of DeepSHAP's maxpool (shap's
//               deep_pytorch): each window's difference max(x) - max(r) goes to the position of
//               the larger of the two maxima, divided by that position's input difference
// Any other op on a value that depends on the sequence (softmax, products of two such values,
// layer norm, recurrent layers, attention, ...) is refused by name.
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

#include "seqnn/models/model.h"
#include "seqnn/models/op_graph.h"

namespace seqnn::deeplift {

// The scalar per row of an output: columns `targets` of dim 1 (all when empty), summed with every
// other non-batch dimension. A 1-d output (N) is its own scalar (no targets allowed).
at::Tensor scalar_of(const at::Tensor& output, const std::vector<int64_t>& targets);

class Engine {
 public:
  // The model as placed now (device, dtype, eval); x and args a prepared sample. Throws
  // seqnn::Error naming the op that has no rule, or saying why the graph cannot be read.
  Engine(Model& model, const at::Tensor& x, const std::vector<at::Tensor>& args);
  ~Engine();

  struct Pass {
    at::Tensor multipliers;  // (M, A, L): d_DeepLIFT scalar / d x
    at::Tensor fx, fr;       // (M) the scalar at the inputs and at the references
  };
  // x, r (M, A, L) and args (M, ...) prepared (dtype, device).
  Pass run(const at::Tensor& x, const at::Tensor& r, const std::vector<at::Tensor>& args, size_t output,
           const std::vector<int64_t>& targets);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seqnn::deeplift
