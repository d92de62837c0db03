#include "models/jit_call.h"

#include <string>

namespace seqnn {

OpApply jit_call(std::shared_ptr<const void> keep, const torch::jit::Node* node, std::vector<JitSlot> slots) {
  const std::string name = node->kind().toUnqualString();
  const bool in_place = !name.empty() && name.back() == '_';
  torch::jit::Operation op = node->getOperation();
  return [keep = std::move(keep), op = std::move(op), slots = std::move(slots), in_place](const std::vector<at::Tensor>& in) mutable {
    const int64_t rows = in.empty() ? 0 : in[0].size(0);
    torch::jit::Stack stack;
    stack.reserve(slots.size());
    bool first_tensor = true;
    for (const JitSlot& s : slots) {
      switch (s.kind) {
        case JitSlot::Kind::kConstant: stack.push_back(s.constant); break;
        case JitSlot::Kind::kTensor: {
          const at::Tensor& t = in[s.tensors[0]];
          stack.emplace_back(in_place && first_tensor ? t.clone() : t);
          first_tensor = false;
          break;
        }
        case JitSlot::Kind::kTensorList: {
          c10::List<at::Tensor> list;
          for (size_t i : s.tensors) list.push_back(in[i]);
          stack.emplace_back(std::move(list));
          break;
        }
        case JitSlot::Kind::kBatchSize: stack.emplace_back(rows); break;
        case JitSlot::Kind::kShape: {
          std::vector<int64_t> shape = s.shape;
          for (size_t i : s.batch_at) shape[i] = rows;
          stack.emplace_back(std::move(shape));
          break;
        }
      }
    }
    op(stack);
    return stack.front().toTensor();
  };
}

}  // namespace seqnn
