#include "seqnn/mutagenesis/incremental_ism.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "mutagenesis/incremental_window.h"
#include "seqnn/util/error.h"
#include "seqnn/util/parallel.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn {

using incremental::fit;
using incremental::contains;
using incremental::each_row;
using incremental::gather_windows;
using State = IncrementalEngine::Change::State;

IncrementalEngine::IncrementalEngine(OpGraph graph) : graph_(std::move(graph)) {
  // The last node that reads each value; outputs are read at the end.
  last_use_.assign(graph_.nodes.size(), -1);
  for (size_t id = 0; id < graph_.nodes.size(); ++id) {
    for (int i : graph_.nodes[id].inputs) last_use_[static_cast<size_t>(i)] = static_cast<int>(id);
  }
  for (int o : graph_.outputs) last_use_[static_cast<size_t>(o)] = static_cast<int>(graph_.nodes.size());
}

std::vector<at::Tensor> IncrementalEngine::set_reference(const at::Tensor& x, const std::vector<at::Tensor>& args,
                                                         bool sample_dropout) {
  masks_.clear();
  DropoutSampler sample = nullptr;
  if (sample_dropout) {
    // at::dropout(input) multiplies input by bernoulli(1 - p) / (1 - p), drawn per element of its
    // shape: drawn on ones, that factor is the mask itself.
    sample = [this](int id, const OpNode& node, const at::Tensor& in) {
      at::Tensor mask = at::dropout(at::ones_like(in), node.dropout, /*train=*/true);
      masks_[id] = mask;
      return in * mask;
    };
  }
  values_ = run_op_graph(graph_, x, args, sample);
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

// Rows per part below which splitting a batch across threads costs more than it saves.
constexpr int64_t kMinPartRows = 8;

int IncrementalEngine::part_count(int64_t batch) const {
  if (!values_[0].device().is_cpu() || at::in_parallel_region()) return 1;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), batch / kMinPartRows)));
}

IncrementalEngine::BatchRows& IncrementalEngine::batch() { return batches_[static_cast<size_t>(at::get_thread_num())]; }

std::vector<at::Tensor> IncrementalEngine::mutants(const std::vector<int64_t>& rows, const std::vector<int64_t>& positions,
                                                   const std::vector<int64_t>& channels) {
  if (values_.empty()) throw Error("incremental ISM: no reference pass");
  const int64_t B = static_cast<int64_t>(rows.size());
  const int parts = part_count(B);
  batches_.resize(static_cast<size_t>(std::max(at::get_num_threads(), 1)));
  if (parts == 1) return run_part(rows, positions, channels);
  // Contiguous parts, one per thread; the split depends only on B and the thread count, so a run
  // is reproducible for a given --threads.
  std::vector<std::vector<at::Tensor>> outputs(static_cast<size_t>(parts));
  BlasThreadsGuard one_blas_thread(1);
  parallel_for_with_state(0, parts, 1, [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) {
      const int64_t lo = B * p / parts, hi = B * (p + 1) / parts;
      auto part = [&](const std::vector<int64_t>& v) { return std::vector<int64_t>(v.begin() + lo, v.begin() + hi); };
      outputs[static_cast<size_t>(p)] = run_part(part(rows), part(positions), part(channels));
    }
  });
  std::vector<at::Tensor> joined;
  for (size_t j = 0; j < outputs[0].size(); ++j) {
    std::vector<at::Tensor> pieces;
    for (const auto& o : outputs) pieces.push_back(o[j]);
    joined.push_back(torch::cat(pieces));
  }
  return joined;
}

std::vector<at::Tensor> IncrementalEngine::run_part(const std::vector<int64_t>& rows, const std::vector<int64_t>& positions,
                                                    const std::vector<int64_t>& channels) {
  BatchRows& current = batch();
  current.host = rows;
  current.rows = torch::tensor(rows, torch::kLong).to(values_[0].device());
  std::vector<Change> changes(graph_.nodes.size());
  for (size_t id = 0; id < graph_.nodes.size(); ++id) {
    changes[id] = step(static_cast<int>(id), changes, positions, channels);
    // A batch holds only the changes later nodes still read.
    for (int i : graph_.nodes[id].inputs) {
      if (last_use_[static_cast<size_t>(i)] == static_cast<int>(id)) changes[static_cast<size_t>(i)] = Change();
    }
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
  if (node.dropout > 0) return dropout(id, changes[static_cast<size_t>(node.inputs[0])]);
  if (node.kind == OpKind::kPositionWise) return position_wise(id, changes);
  if (node.kind == OpKind::kRowWise) return row_wise(id, changes);
  const Change& in = changes[static_cast<size_t>(node.inputs[0])];
  if (any_whole || node.inputs.size() != 1) return row_wise(id, changes);
  switch (node.kind) {
    case OpKind::kConv: return conv(id, in);
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

at::Tensor IncrementalEngine::reference_rows(int id) { return values_[static_cast<size_t>(id)].index_select(0, batch().rows); }

at::Tensor IncrementalEngine::window(int id, const Change& c, const std::vector<int64_t>& start, int64_t width,
                                     double pad) {
  if (c.state == State::kWindow && c.width == width && c.start == start) return c.value;
  if (c.state == State::kWhole) return gather_windows(c.value, each_row(c.value.size(0)), start, width, pad);
  // A flatten node's change is the window of its input.
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int source = node.kind == OpKind::kFlatten ? node.inputs[0] : id;
  at::Tensor base = gather_windows(values_[static_cast<size_t>(source)], batch().host, start, width, pad);
  if (c.state == State::kNone) return base;
  // Overlay the change where the window covers it: one copy per mutant of the overlapping columns.
  for (size_t b = 0; b < start.size(); ++b) {
    const int64_t lo = std::max(c.start[b], start[b]), hi = std::min(c.start[b] + c.width, start[b] + width);
    if (hi <= lo) continue;
    const int64_t row = static_cast<int64_t>(b);
    base[row].narrow(1, lo - start[b], hi - lo).copy_(c.value[row].narrow(1, lo - c.start[b], hi - lo));
  }
  return base;
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

// The identity, or under Monte-Carlo the reference row's mask over the change.
IncrementalEngine::Change IncrementalEngine::dropout(int id, const Change& in) {
  auto mask = masks_.find(id);
  if (mask == masks_.end()) return in;
  const int source = graph_.nodes[static_cast<size_t>(id)].inputs[0];
  Change c = in;
  if (in.state == State::kWindow && graph_.nodes[static_cast<size_t>(id)].has_length) {
    c.value = in.value * gather_windows(mask->second, batch().host, in.start, in.width);
    return c;
  }
  c.state = State::kWhole;  // e.g. a flattened window: the whole value
  c.value = whole(source, in) * mask->second.index_select(0, batch().rows);
  return c;
}

IncrementalEngine::Change IncrementalEngine::crop(int id, const Change& in) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int64_t L = node.crop_end - node.crop_start;
  Change c;
  c.state = State::kWindow;
  if (contains(std::vector<int64_t>(in.start.size(), node.crop_start), L, in.start, in.width)) {
    c = in;  // the change lies inside the kept part: the same values, renumbered
    for (int64_t& s : c.start) s -= node.crop_start;
    return c;
  }
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
