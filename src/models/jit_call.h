#pragma once
// One TorchScript graph node as a callable on tensors: its constant inputs bound, its tensor
// inputs taken from the call's arguments, run through the node's own registered operation (so a
// node computes exactly what the interpreter would). Private to libseqnn (models/).
#include <torch/script.h>

#include <memory>
#include <vector>

#include "seqnn/models/op_graph.h"

namespace seqnn {

// How one input of the node is filled at call time.
struct JitSlot {
  enum class Kind { kConstant, kTensor, kTensorList, kBatchSize, kShape };
  Kind kind = Kind::kConstant;
  c10::IValue constant;
  std::vector<size_t> tensors;     // kTensor (one) / kTensorList: indices into the call's tensors
  std::vector<int64_t> shape;      // kShape: an int list whose kBatchSize entries are filled in
  std::vector<size_t> batch_at;    // kShape: those entries
};

// `keep` holds what the node belongs to (the frozen module) for as long as the callable lives.
// In-place ops run on a copy of their first tensor, so a stored value is never overwritten.
OpApply jit_call(std::shared_ptr<const void> keep, const torch::jit::Node* node, std::vector<JitSlot> slots);

}  // namespace seqnn
