#include "seqnn/models/op_graph.h"

#include <torch/torch.h>

#include "models/model_backend.h"
#include "seqnn/util/error.h"

namespace seqnn {

OpGraphAnalysis analyse_op_graph(Model& model, const at::Tensor& sample, const std::vector<at::Tensor>& args) {
  return model.backend().op_graph(sample, args);
}

std::vector<at::Tensor> run_op_graph(const OpGraph& graph, const at::Tensor& x, const std::vector<at::Tensor>& args,
                                     const DropoutSampler& sample) {
  std::vector<at::Tensor> values;
  values.reserve(graph.nodes.size());
  for (const OpNode& node : graph.nodes) {
    if (node.kind == OpKind::kInput) {
      if (node.input_index > static_cast<int>(args.size())) {
        throw Error("the model takes " + std::to_string(node.input_index) + " extra input(s), " +
                    std::to_string(args.size()) + " given");
      }
      values.push_back(node.input_index == 0 ? x : args[static_cast<size_t>(node.input_index - 1)]);
      continue;
    }
    std::vector<at::Tensor> in;
    in.reserve(node.inputs.size());
    for (int i : node.inputs) in.push_back(values[static_cast<size_t>(i)]);
    const int id = static_cast<int>(values.size());
    values.push_back(node.dropout > 0 && sample ? sample(id, node, in[0]) : node.apply(in));
  }
  return values;
}

std::string op_graph_output_gap(const ModelOutput& model, const std::vector<at::Tensor>& graph) {
  if (model.size() != graph.size()) return "the graph has " + std::to_string(graph.size()) + " outputs, the model " + std::to_string(model.size());
  for (size_t j = 0; j < graph.size(); ++j) {
    if (model[j].sizes() != graph[j].sizes()) return "output " + model.names[j] + " has another shape";
    at::Tensor a = model[j].to(torch::kDouble), b = graph[j].to(torch::kDouble);
    const double scale = 1.0 + a.abs().max().item<double>();
    const double diff = (a - b).abs().max().item<double>();
    if (!(diff <= 1e-5 * scale)) return "output " + model.names[j] + " differs by " + std::to_string(diff);
  }
  return "";
}

}  // namespace seqnn
