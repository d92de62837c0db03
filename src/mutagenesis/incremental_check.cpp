#include "mutagenesis/incremental_check.h"

#include <torch/torch.h>

namespace seqnn::incremental {

std::optional<OpGraph> model_op_graph(Model& model, const ModelBatch& sample, std::string& why_not) {
  OpGraphAnalysis analysis = analyse_op_graph(model, sample.x, sample.args);
  if (!analysis.graph) why_not = "the model's " + analysis.blocked_by + " is not supported";
  return std::move(analysis.graph);
}

std::string graph_disagreement(const ModelOutput& model, const std::vector<at::Tensor>& graph) {
  const std::string gap = op_graph_output_gap(model, graph);
  return gap.empty() ? gap : "the model's op graph does not reproduce its forward pass (" + gap + ")";
}

}  // namespace seqnn::incremental
