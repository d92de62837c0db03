#pragma once
// What must hold before the incremental engine stands in for a model, shared by ISM and variant
// scoring (private to libseqnn): the model reads as an op graph, and the graph reproduces the
// model's own forward pass (a graph read op by op could still miss what an op does).
#include <ATen/core/Tensor.h>

#include <optional>
#include <string>
#include <vector>

#include "seqnn/inference/batch_runner.h"
#include "seqnn/models/op_graph.h"

namespace seqnn::incremental {

// The model's graph, analysed on a prepared sample; nullopt with `why_not` naming the op that
// blocked it.
std::optional<OpGraph> model_op_graph(Model& model, const ModelBatch& sample, std::string& why_not);

// "" when the graph's outputs equal the model's on the same inputs to float rounding (1e-5 of the
// output's scale); otherwise the reason, worded for the engine note.
std::string graph_disagreement(const ModelOutput& model, const std::vector<at::Tensor>& graph);

}  // namespace seqnn::incremental
