#pragma once
// What a model returns, flattened to a list of named tensors: one tensor, a tuple/list of tensors
// (names "0", "1", ...), or a dict of tensors (names = keys, in the model's order). Every
// tensor has the batch dimension first. Predictions keep the same structure.
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace seqnn {

struct ModelOutput {
  enum class Kind { kTensor, kTuple, kDict };
  Kind kind = Kind::kTensor;
  std::vector<std::string> names;
  std::vector<at::Tensor> tensors;

  size_t size() const { return tensors.size(); }
  const at::Tensor& operator[](size_t i) const { return tensors.at(i); }
  const at::Tensor& tensor() const;  // the only tensor (throws if several)
  const at::Tensor& at(const std::string& name) const;

  static ModelOutput single(at::Tensor t);
  // Same kind and names, new tensors.
  ModelOutput with(std::vector<at::Tensor> new_tensors) const;
};

// Concatenates per-batch outputs along dim 0 (all must share kind and names).
ModelOutput concat_outputs(const std::vector<ModelOutput>& parts);

}  // namespace seqnn
