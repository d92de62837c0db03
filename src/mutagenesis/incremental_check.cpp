#include "mutagenesis/incremental_check.h"

#include <torch/torch.h>

namespace seqnn::incremental {
namespace {

// How far the graph's outputs are from the model's ("" when they agree to float rounding).
std::string output_gap(const ModelOutput& model, const std::vector<at::Tensor>& graph) {
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

}  // namespace

std::optional<OpGraph> model_op_graph(Model& model, const ModelBatch& sample, std::string& why_not) {
  OpGraphAnalysis analysis = analyse_op_graph(model, sample.x, sample.args);
  if (!analysis.graph) why_not = "the model's " + analysis.blocked_by + " is not supported";
  return std::move(analysis.graph);
}

std::string graph_disagreement(const ModelOutput& model, const std::vector<at::Tensor>& graph) {
  const std::string gap = output_gap(model, graph);
  return gap.empty() ? gap : "the model's op graph does not reproduce its forward pass (" + gap + ")";
}

}  // namespace seqnn::incremental
