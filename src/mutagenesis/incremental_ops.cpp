// The incremental engine's rules for convolution, pooling, linear-after-flatten and reductions.
#include <torch/torch.h>

#include <algorithm>
#include <map>

#include "mutagenesis/incremental_window.h"
#include "seqnn/mutagenesis/incremental_ism.h"

namespace seqnn {

using incremental::ceil_div;
using incremental::fit;
using incremental::floor_div;
using incremental::each_row;
using incremental::gather_windows;
using State = IncrementalEngine::Change::State;

namespace {
enum CacheSlot { kConvGemm = 0, kLinearByPosition = 1, kArgmax = 2, kConvTransposed = 3 };
}  // namespace

const at::Tensor& IncrementalEngine::cached(int id, int which) {
  // Parts of a batch on several threads share the caches; map references stay valid on insert.
  std::lock_guard<std::mutex> lock(*cache_mutex_);
  const int key = id * 4 + which;
  std::map<int, at::Tensor>& cache = which == kArgmax ? reference_cache_ : layouts_;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  at::Tensor t;
  if (which == kConvGemm) {
    // (Co, Ci, k) -> (Ci, k * Co): one GEMM gives every tap's contribution of every input column.
    t = node.weight.permute({1, 2, 0}).reshape({node.weight.size(1), -1}).contiguous();
  } else if (which == kLinearByPosition) {
    // (Fo, C * L) -> (L * C, Fo): the rows of positions [u, u + w) are one contiguous block.
    const at::Tensor& x = values_[static_cast<size_t>(graph_.nodes[static_cast<size_t>(node.inputs[0])].inputs[0])];
    t = node.weight.view({node.weight.size(0), x.size(1), x.size(2)}).permute({2, 1, 0}).contiguous();
    t = t.view({x.size(2) * x.size(1), node.weight.size(0)});
  } else if (which == kConvTransposed) {
    t = node.weight.transpose(0, 1).flip({2}).contiguous();  // (Ci, Co, k), taps reversed
  } else {
    t = values_[static_cast<size_t>(node.inputs[0])].argmax(2);
  }
  return cache.emplace(key, t).first->second;
}

// Stride-1 convolution: Δout = W ∗ Δin over the changed input columns, added to the stored
// output. Two exact ways to get W ∗ Δin as (B, Co, w + (k - 1) d), whose column m is output
// position start + pad_left - (k - 1) d + m:
//   * one GEMM of every changed column with every tap, then k shifted adds (best when the
//     change is narrow: the first layers);
//   * a transposed convolution of Δin (best for wide changes and few output channels).
at::Tensor IncrementalEngine::conv_taps(int id, const at::Tensor& delta, bool transposed) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int64_t B = delta.size(0), Ci = delta.size(1), w = delta.size(2);
  const int64_t k = node.kernel, d = node.dilation, Co = node.weight.size(0);
  if (transposed) {
    const std::vector<int64_t> one{1}, zero{0}, dilation{d};
    return at::conv_transpose1d(delta, cached(id, kConvTransposed), {}, one, zero, zero, 1, dilation);
  }
  at::Tensor taps = delta.permute({0, 2, 1}).reshape({B * w, Ci}).mm(cached(id, kConvGemm)).view({B, w, k, Co});
  at::Tensor placed = torch::zeros({B, w + (k - 1) * d, Co}, delta.options());
  for (int64_t t = 0; t < k; ++t) placed.narrow(1, (k - 1 - t) * d, w).add_(taps.select(2, t));
  return placed.permute({0, 2, 1}).contiguous();
}

IncrementalEngine::Change IncrementalEngine::conv_delta(int id, const Change& in, bool transposed) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int64_t B = in.value.size(0), w = in.width, k = node.kernel, d = node.dilation;
  const int64_t Lout = values_[static_cast<size_t>(id)].size(2);
  const int64_t span = w + (k - 1) * d;
  at::Tensor moved = conv_taps(id, in.value - gather_windows(values_[static_cast<size_t>(node.inputs[0])], batch().host, in.start, w),
                               transposed);
  Change c;
  c.state = State::kWindow;
  c.width = std::min(span, Lout);
  std::vector<int64_t> shift;
  for (int64_t s : in.start) {
    const int64_t first = s + node.pad_left - (k - 1) * d;
    c.start.push_back(fit(first, c.width, Lout));
    shift.push_back(c.start.back() - first);
  }
  // Away from the ends the window is the span itself; near them it is shifted and cut.
  if (c.width != span || std::any_of(shift.begin(), shift.end(), [](int64_t v) { return v != 0; })) {
    moved = gather_windows(moved, each_row(B), shift, c.width, 0.0);
  }
  c.value = gather_windows(values_[static_cast<size_t>(id)], batch().host, c.start, c.width).add_(moved);
  return c;
}

// Which exact way runs a stride-1 convolution fastest depends on its shapes (measured on this
// machine's OpenBLAS and oneDNN, docs/benchmarks.md): few output channels favour the transposed
// convolution; a change that is wide next to the kernel's reach favours recomputing the window
// (one dense conv); a narrow change favours the GEMM over its columns. The rule depends on shapes
// only, so a run is reproducible to the bit.
IncrementalEngine::Change IncrementalEngine::conv(int id, const Change& in) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  if (node.stride != 1 || node.groups != 1) return recompute_window(id, in);
  const int64_t reach = (node.kernel - 1) * node.dilation;
  if (node.weight.size(0) < 16) return conv_delta(id, in, /*transposed=*/true);
  if (reach <= in.width) return recompute_window(id, in);
  return conv_delta(id, in, /*transposed=*/false);
}

// Pooling and strided / grouped convolution: the outputs whose kernel reaches the change,
// recomputed from a window of the mutant input (padding as the op pads).
IncrementalEngine::Change IncrementalEngine::recompute_window(int id, const Change& in) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int64_t k = node.kernel, s = node.stride, d = node.dilation;
  const int64_t Lout = values_[static_cast<size_t>(id)].size(2);
  std::vector<int64_t> lo;
  int64_t width = 1;
  for (int64_t a : in.start) {
    const int64_t first = std::max<int64_t>(0, ceil_div(a + node.pad_left - (k - 1) * d, s));
    const int64_t last = std::min(Lout - 1, floor_div(a + in.width - 1 + node.pad_left, s));
    lo.push_back(first);
    width = std::max(width, last - first + 1);
  }
  width = std::min(width, Lout);
  Change c;
  c.state = State::kWindow;
  c.width = width;
  std::vector<int64_t> source;
  for (int64_t first : lo) {
    c.start.push_back(fit(first, width, Lout));
    source.push_back(c.start.back() * s - node.pad_left);
  }
  const int64_t span = (width - 1) * s + (k - 1) * d + 1;
  const bool is_max = node.kind == OpKind::kPool && node.max_pool;
  at::Tensor x = window(node.inputs[0], in, source, span, is_max ? -std::numeric_limits<double>::infinity() : 0.0);
  if (node.kind == OpKind::kConv) {
    const std::vector<int64_t> stride{s}, no_padding{0}, dilation{d};
    c.value = at::conv1d(x, node.weight, node.bias, stride, no_padding, dilation, node.groups);
  } else if (is_max) {
    c.value = at::max_pool1d(x, {k}, {s}, {0}, {d});
  } else {
    c.value = at::avg_pool1d(x, {k}, {s}, {0});
  }
  return c;
}

// W·x_mut = W·x_ref + W[:, S]·Δ[S]: the columns of the changed window only. Reading the weight
// columns costs more than the arithmetic (DeepSEA's first dense layer: 39 MB per window), so a
// batch whose windows lie close together (consecutive positions, after the pools) takes one GEMM
// over the union of its windows; a scattered batch takes one GEMM per distinct window.
IncrementalEngine::Change IncrementalEngine::linear_after_flatten(int id, const Change& in) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const int source = graph_.nodes[static_cast<size_t>(node.inputs[0])].inputs[0];
  const int64_t B = in.value.size(0), C = in.value.size(1), w = in.width;
  at::Tensor delta = in.value - gather_windows(values_[static_cast<size_t>(source)], batch().host, in.start, w);
  const at::Tensor& by_position = cached(id, kLinearByPosition);
  Change c;
  c.state = State::kWhole;
  c.value = reference_rows(id);
  const int64_t lo = *std::min_element(in.start.begin(), in.start.end());
  const int64_t hi = *std::max_element(in.start.begin(), in.start.end()) + w;
  if (hi - lo <= 2 * w) {
    at::Tensor placed = torch::zeros({B, hi - lo, C}, delta.options());
    at::Tensor rows_by_position = delta.permute({0, 2, 1});
    for (int64_t b = 0; b < B; ++b) placed[b].narrow(0, in.start[static_cast<size_t>(b)] - lo, w).copy_(rows_by_position[b]);
    c.value.add_(placed.view({B, (hi - lo) * C}).mm(by_position.narrow(0, lo * C, (hi - lo) * C)));
    return c;
  }
  delta = delta.permute({0, 2, 1}).reshape({B, w * C});
  std::map<int64_t, std::vector<int64_t>> groups;
  for (int64_t b = 0; b < B; ++b) groups[in.start[static_cast<size_t>(b)]].push_back(b);
  for (const auto& [start, members] : groups) {
    at::Tensor index = torch::tensor(members, torch::kLong).to(delta.device());
    c.value.index_add_(0, index, delta.index_select(0, index).mm(by_position.narrow(0, start * C, w * C)));
  }
  return c;
}

// Mean and sum add the change; max takes the larger of the stored maximum and the window's, and
// recomputes the rows whose stored maximum lay inside the window.
IncrementalEngine::Change IncrementalEngine::reduce(int id, const Change& in) {
  const OpNode& node = graph_.nodes[static_cast<size_t>(id)];
  const at::Tensor& ref_in = values_[static_cast<size_t>(node.inputs[0])];
  const int64_t L = ref_in.size(2);
  Change c;
  c.state = State::kWhole;
  at::Tensor out = reference_rows(id);
  const auto shape = out.sizes().vec();
  out = out.reshape({out.size(0), out.size(1)});
  if (node.reduce != ReduceOp::kMax) {
    at::Tensor delta = (in.value - gather_windows(ref_in, batch().host, in.start, in.width)).sum(2);
    c.value = (node.reduce == ReduceOp::kMean ? out + delta / static_cast<double>(L) : out + delta).reshape(shape);
    return c;
  }
  out = torch::maximum(out, in.value.amax(2));
  at::Tensor argmax = cached(id, kArgmax).index_select(0, batch().rows);  // (B, C)
  at::Tensor start = torch::tensor(in.start, torch::kLong).to(ref_in.device()).unsqueeze(1);
  at::Tensor inside = ((argmax >= start) & (argmax < start + in.width)).any(1);
  at::Tensor redo = inside.nonzero().flatten();
  at::Tensor redo_host = redo.to(torch::kCPU);
  if (redo.numel() > 0) {
    BatchRows& rows = batch();
    const at::Tensor saved = rows.rows;
    const std::vector<int64_t> saved_host = rows.host;
    std::vector<int64_t> idx(redo_host.data_ptr<int64_t>(), redo_host.data_ptr<int64_t>() + redo_host.numel());
    Change sub = in;
    sub.value = in.value.index_select(0, redo);
    sub.start.clear();
    for (int64_t b : idx) sub.start.push_back(in.start[static_cast<size_t>(b)]);
    rows.rows = saved.index_select(0, redo);
    rows.host.clear();
    for (int64_t b : idx) rows.host.push_back(saved_host[static_cast<size_t>(b)]);
    at::Tensor full = window(node.inputs[0], sub, std::vector<int64_t>(idx.size(), 0), L);
    rows.rows = saved;
    rows.host = saved_host;
    out.index_copy_(0, redo, full.amax(2));
  }
  c.value = out.reshape(shape);
  return c;
}

}  // namespace seqnn
