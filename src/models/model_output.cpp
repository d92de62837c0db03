#include "seqnn/models/model_output.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"

namespace seqnn {

const at::Tensor& ModelOutput::tensor() const {
  if (tensors.size() != 1) throw Error("model output has " + std::to_string(tensors.size()) + " tensors, not one");
  return tensors[0];
}

const at::Tensor& ModelOutput::at(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return tensors[i];
  }
  throw Error("model output has no entry named '" + name + "'");
}

ModelOutput ModelOutput::single(at::Tensor t) {
  ModelOutput out;
  out.names = {"0"};
  out.tensors = {std::move(t)};
  return out;
}

ModelOutput ModelOutput::with(std::vector<at::Tensor> new_tensors) const {
  ModelOutput out;
  out.kind = kind;
  out.names = names;
  out.tensors = std::move(new_tensors);
  return out;
}

ModelOutput concat_outputs(const std::vector<ModelOutput>& parts) {
  if (parts.empty()) throw Error("concat_outputs: no parts");
  std::vector<at::Tensor> joined;
  for (size_t k = 0; k < parts[0].size(); ++k) {
    std::vector<at::Tensor> pieces;
    pieces.reserve(parts.size());
    for (const auto& p : parts) {
      if (p.names != parts[0].names) throw Error("concat_outputs: outputs of different structure");
      pieces.push_back(p.tensors[k]);
    }
    joined.push_back(torch::cat(pieces, 0));
  }
  return parts[0].with(std::move(joined));
}

}  // namespace seqnn
