#pragma once
// ISM on the incremental engine (private to libseqnn; callers use seqnn::ism).
#include <optional>
#include <string>

#include "mutagenesis/ism_edits.h"

namespace seqnn {

// The deterministic ISM result, or nullopt with `why_not` saying what kept the engine from the
// model (an unsupported op, or a graph that does not reproduce the model's forward pass).
std::optional<IsmResult> ism_incremental(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                                         const IsmOptions& opts, const ism_detail::Geometry& g, std::string& why_not);

}  // namespace seqnn
