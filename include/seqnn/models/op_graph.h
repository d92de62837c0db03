#pragma once
// A model as a graph of length-wise operations, for engines that recompute only part of a
// forward pass (incremental ISM). Each node says how its output along the sequence axis depends
// on its inputs, so an engine can tell which output positions a change of the input touches:
//   position-wise   output at position l depends only on the inputs at l (activations, batch norm
//                   in eval, residual add/mul, channel slices, channel concatenation, ...)
//   conv / pool     a window of kernel positions (stride, dilation, padding)
//   crop            x[..., start:end] along length
//   flatten         (N, C, L) -> (N, C*L); a linear layer after it needs only the changed columns
//   reduce          mean / sum / max over length
//   row-wise        anything on tensors without a length axis, row i from row i of the inputs
// Every node carries `apply`, the operation itself on whole tensors, which is what the model
// runs; the length-wise kinds add the geometry an engine needs to run it on slices.
//
// Tensors with a length axis are (N, C, L); every node value has the batch first.
#include <ATen/core/Tensor.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "seqnn/models/model_output.h"

namespace seqnn {

class Model;

enum class OpKind { kInput, kPositionWise, kConv, kPool, kCrop, kFlatten, kLinear, kReduce, kRowWise };
enum class ReduceOp { kMean, kSum, kMax };

using OpApply = std::function<at::Tensor(const std::vector<at::Tensor>&)>;

struct OpNode {
  OpKind kind = OpKind::kRowWise;
  std::string op;           // the op's name in messages ("aten::conv1d", "conv0", ...)
  std::vector<int> inputs;  // node ids of the tensor inputs, in the order `apply` takes them
  OpApply apply;            // the operation on whole tensors (kInput: unused)
  bool has_length = false;  // the value is (N, C, L) with L the sequence axis

  int input_index = 0;  // kInput: 0 = the sequence, k = extra argument k

  // kConv: weight (Co, Ci/groups, k), bias (Co) or undefined. kLinear: weight (Fo, Fi), bias.
  at::Tensor weight, bias;
  // kConv and kPool geometry along length.
  int64_t kernel = 1, stride = 1, dilation = 1, pad_left = 0, pad_right = 0, groups = 1;
  bool max_pool = true;  // kPool: max (else average, padding counted as zeros)

  int64_t crop_start = 0, crop_end = 0;  // kCrop: [start, end) of the input's length

  ReduceOp reduce = ReduceOp::kMean;  // kReduce
  bool keepdim = false;

  // A dropout layer (position-wise or row-wise): the identity in eval mode; a Monte-Carlo pass
  // multiplies by a mask it samples (seqnn::IncrementalEngine keeps the masks per sample).
  double dropout = 0.0;
};

struct OpGraph {
  std::vector<OpNode> nodes;  // in execution order (inputs before their users)
  std::vector<int> outputs;   // the model's outputs, in ModelOutput order
  int add(OpNode node) {
    nodes.push_back(std::move(node));
    return static_cast<int>(nodes.size()) - 1;
  }
};

// A graph, or the reason the model cannot be expressed as one (the op that blocked it).
struct OpGraphAnalysis {
  std::optional<OpGraph> graph;
  std::string blocked_by;
};

// Analyses the model as it is placed now (device, dtype, eval mode). TorchScript models are
// frozen and their forward graph read op by op; `sample` (N, A, L) and its extra arguments are
// run once to learn shapes. Native CNNs are described from their config.
OpGraphAnalysis analyse_op_graph(Model& model, const at::Tensor& sample, const std::vector<at::Tensor>& args);

// Runs the graph on whole tensors: every node's value, in node order. Dropout nodes are the
// identity, or, given `sample`, what it returns for (node id, node, input).
using DropoutSampler = std::function<at::Tensor(int, const OpNode&, const at::Tensor&)>;
std::vector<at::Tensor> run_op_graph(const OpGraph& graph, const at::Tensor& x, const std::vector<at::Tensor>& args,
                                     const DropoutSampler& sample = nullptr);

// How far a graph's outputs are from the model's own on the same inputs: "" when they agree to
// float rounding (1e-5 of each output's scale), else what differs. Engines built on the graph
// (incremental ISM, DeepLIFT) check this before they stand in for the model.
std::string op_graph_output_gap(const ModelOutput& model, const std::vector<at::Tensor>& graph);

}  // namespace seqnn
