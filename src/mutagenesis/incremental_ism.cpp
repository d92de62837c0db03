#include "seqnn/mutagenesis/incremental_ism.h"

#include <torch/torch.h>

#include "mutagenesis/incremental_window.h"
#include "seqnn/util/error.h"

namespace seqnn {

using incremental::fit;
using incremental::contains;
using incremental::gather_windows;
using incremental::positions;
using State = IncrementalEngine::Change::State;

IncrementalEngine::IncrementalEngine(OpGraph graph) : graph_(std::move(graph)) {}

std::vector<at::Tensor> IncrementalEngine::set_reference(const at::Tensor& x, const std::vector<at::Tensor>& args) {
  values_ = run_op_graph(graph_, x, args);
  reference_cache_.clear();
  std::vector<at::Tensor> outputs;
  for (int id : graph_.outputs) outputs.push_back(values_[static_cast<size_t>(id)]);
  return outputs;
}

int64_t IncrementalEngine::reference_bytes() const {
  int64_t bytes = 0;
  for (const auto& v : values_) bytes += v.numel() * static_cast<int64_t>(v.element_size());
  return bytes;
}

std::vector<at::Tensor> IncrementalEngine::mutants(const std::vector<int64_t>& rows, const std::vector<int64_t>& positions,
                                                   const std::vector<int64_t>& channels) {
  if (values_.empty()) throw Error("incremental ISM: no reference pass");
  rows_ = torch::tensor(rows, torch::kLong).to(values_[0].device());
  std::vector<Change> changes(graph_.nodes.size());
  for (size_t id = 0; id < graph_.nodes.size(); ++id) {
    changes[id] = step(static_cast<int>(id), changes, positions, channels);
  }
  std::vector<at::Tensor> outputs;
  for (int id : graph_.outputs) outputs.push_back(whole(id, changes[static_cast<size_t>(id)]));
  return outputs;
}

IncrementalEngine::Change IncrementalEngine::step(int id, const std::vector<Change>& changes,
                                                  const std::vector<int64_t>& positions,
                                                  const std::vector<int64_t>& channels) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  Change c;
  if (node.kind == OpKind::kInput) {
    if (node.input_index != 0) return c;
    // The substituted column: one-hot `channel` at `position`, a window of width 1.
    const at::Tensor& x = values_[0];
    at::Tensor ch = torch::tensor(channels, torch::kLong).to(x.device());
    c.state = State::kWindow;
    c.value = torch::one_hot(ch, x.size(1)).to(x.scalar_type()).unsqueeze(2);
    c.start = positions;
    c.width = 1;
    return c;
  }
  bool any = false, any_whole = false;
  for (int i : node.inputs) {
    any = any || changes[static_cast<size_t>(i)].state != State::kNone;
    any_whole = any_whole || changes[static_cast<size_t>(i)].state == State::kWhole;
  }
  if (!any) return c;
  if (node.kind == OpKind::kPositionWise) return position_wise(id, changes);
  if (node.kind == OpKind::kRowWise) return row_wise(id, changes);
  const Change& in = changes[static_cast<size_t>(node.inputs[0])];
  if (any_whole || node.inputs.size() != 1) return row_wise(id, changes);
  switch (node.kind) {
    case OpKind::kConv:
      return node.stride == 1 && node.groups == 1 ? conv_delta(id, in) : recompute_window(id, in);
    case OpKind::kPool: return recompute_window(id, in);
    case OpKind::kCrop: return crop(id, in);
    case OpKind::kFlatten: return in;  // the window of its input, read in flattened order by users
    case OpKind::kLinear:
      if (graph_.nodes[static_cast<size_t>(node.inputs[0])].kind == OpKind::kFlatten) return linear_after_flatten(id, in);
      return row_wise(id, changes);
    case OpKind::kReduce: return reduce(id, in);
    default: return row_wise(id, changes);
  }
}

at::Tensor IncrementalEngine::reference_rows(int id) { return values_[static_cast<size_t>(id)].index_select(0, rows_); }

at::Tensor IncrementalEngine::window(int id, const Change& c, const std::vector<int64_t>& start, int64_t width,
                                     double pad) {
  if (c.state == State::kWindow && c.width == width && c.start == start) return c.value;
  if (c.state == State::kWhole) return gather_windows(c.value, torch::arange(c.value.size(0), rows_.options()), start, width, pad);
  // A flatten node's change is the window of its input.
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int source = node.kind == OpKind::kFlatten ? node.inputs[0] : id;
  at::Tensor base = gather_windows(values_[static_cast<size_t>(source)], rows_, start, width, pad);
  if (c.state == State::kNone) return base;
  // Overlay the change: written into place when the window holds it whole, else where covered.
  std::vector<int64_t> offset;
  for (size_t b = 0; b < start.size(); ++b) offset.push_back(c.start[b] - start[b]);
  if (contains(start, width, c.start, c.width)) {
    at::Tensor index = positions(offset, c.width, base.device()).unsqueeze(1).expand_as(c.value);
    return base.scatter_(2, index, c.value);
  }
  std::vector<int64_t> back;
  for (int64_t o : offset) back.push_back(-o);
  at::Tensor rel = positions(back, width, base.device());  // window column m, as a column of the change
  at::Tensor covered = (rel >= 0) & (rel < c.width);
  at::Tensor index = rel.clamp(0, c.width - 1).unsqueeze(1).expand({rel.size(0), c.value.size(1), width});
  return torch::where(covered.unsqueeze(1), c.value.gather(2, index), base);
}

at::Tensor IncrementalEngine::whole(int id, const Change& c) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  if (c.state == State::kNone) return reference_rows(id);
  if (c.state == State::kWhole) return c.value;
  const int source = node.kind == OpKind::kFlatten ? node.inputs[0] : id;
  const int64_t L = values_[static_cast<size_t>(source)].size(2);
  at::Tensor full = window(id, c, std::vector<int64_t>(c.start.size(), 0), L);
  return node.kind == OpKind::kFlatten ? full.flatten(1) : full;
}

IncrementalEngine::Change IncrementalEngine::row_wise(int id, const std::vector<Change>& changes) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  std::vector<at::Tensor> in;
  for (int i : node.inputs) in.push_back(whole(i, changes[static_cast<size_t>(i)]));
  Change c;
  c.state = State::kWhole;
  c.value = node.apply(in);
  return c;
}

IncrementalEngine::Change IncrementalEngine::position_wise(int id, const std::vector<Change>& changes) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int64_t L = values_[static_cast<size_t>(id)].size(2);
  // The union of the inputs' windows; an input changed everywhere changes the output everywhere.
  std::vector<int64_t> lo, hi;
  for (int i : node.inputs) {
    const Change& ci = changes[static_cast<size_t>(i)];
    if (ci.state == State::kWhole) return row_wise(id, changes);
    if (ci.state != State::kWindow) continue;
    if (lo.empty()) {
      lo = ci.start;
      for (int64_t s : ci.start) hi.push_back(s + ci.width);
      continue;
    }
    for (size_t b = 0; b < lo.size(); ++b) {
      lo[b] = std::min(lo[b], ci.start[b]);
      hi[b] = std::max(hi[b], ci.start[b] + ci.width);
    }
  }
  int64_t width = 1;
  for (size_t b = 0; b < lo.size(); ++b) width = std::max(width, hi[b] - lo[b]);
  width = std::min(width, L);
  Change c;
  c.state = State::kWindow;
  c.width = width;
  for (int64_t s : lo) c.start.push_back(fit(s, width, L));
  std::vector<at::Tensor> in;
  for (int i : node.inputs) {
    const at::Tensor& ref = values_[static_cast<size_t>(i)];
    const bool along_length = ref.dim() == 3 && ref.size(2) == L;
    in.push_back(along_length ? window(i, changes[static_cast<size_t>(i)], c.start, width) : reference_rows(i));
  }
  c.value = node.apply(in);
  return c;
}

IncrementalEngine::Change IncrementalEngine::crop(int id, const Change& in) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int64_t L = node.crop_end - node.crop_start;
  Change c;
  c.state = State::kWindow;
  c.width = std::min(in.width, L);
  std::vector<int64_t> source;
  for (int64_t s : in.start) {
    c.start.push_back(fit(s - node.crop_start, c.width, L));
    source.push_back(c.start.back() + node.crop_start);
  }
  c.value = window(node.inputs[0], in, source, c.width);
  return c;
}

}  // namespace seqnn
