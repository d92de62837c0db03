#include "mutagenesis/ism_edits.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"

namespace seqnn::ism_detail {

// Substitutions of sequence x (A, L) in [start, end): every channel except the reference base.
std::vector<Edit> substitutions(const at::Tensor& x, int64_t start, int64_t end) {
  const int64_t A = x.size(0), L = x.size(1);
  at::Tensor column_sum = x.to(torch::kFloat32).sum(0).contiguous();
  at::Tensor xf = x.to(torch::kFloat32).contiguous();
  const float* sums = column_sum.data_ptr<float>();
  const float* v = xf.data_ptr<float>();
  std::vector<Edit> edits;
  edits.reserve(static_cast<size_t>((end - start) * A));
  for (int64_t p = start; p < end; ++p) {
    for (int64_t a = 0; a < A; ++a) {
      const bool identity = v[a * L + p] == 1.0f && sums[p] == 1.0f;
      if (!identity) edits.push_back({p, a, (p - start) * A + a});
    }
  }
  return edits;
}

// Batch of n mutants of x (A, L) int8: rows [0, n) take edits[first + r]; rows [n, rows) repeat
// the last edit (padding keeps the batch shape, so MC dropout masks stay aligned row by row).
at::Tensor build_mutants(const at::Tensor& x, const std::vector<Edit>& edits, size_t first, int64_t n, int64_t rows) {
  const int64_t A = x.size(0), L = x.size(1);
  at::Tensor batch = x.unsqueeze(0).repeat({rows, 1, 1}).contiguous();
  int8_t* b = batch.data_ptr<int8_t>();
  for (int64_t r = 0; r < rows; ++r) {
    const Edit& e = edits[first + static_cast<size_t>(std::min(r, n - 1))];
    int8_t* row = b + r * A * L;
    for (int64_t c = 0; c < A; ++c) row[c * L + e.position] = c == e.channel;
  }
  return batch;
}

ModelOutput select_targets(const ModelOutput& out, const std::vector<int64_t>& targets) {
  if (targets.empty()) return out;
  at::Tensor index = torch::tensor(targets, torch::kLong);
  std::vector<at::Tensor> kept;
  for (size_t j = 0; j < out.size(); ++j) {
    const at::Tensor& t = out[j];
    if (t.dim() < 2) throw Error("--target needs outputs with a second dimension (output '" + out.names[j] + "')");
    for (int64_t c : targets) {
      if (c < 0 || c >= t.size(1)) {
        throw Error("target " + std::to_string(c) + " is out of range for output '" + out.names[j] + "' with " +
                    std::to_string(t.size(1)) + " columns");
      }
    }
    kept.push_back(t.index_select(1, index.to(t.device())));
  }
  return out.with(std::move(kept));
}

// Row i of every argument, repeated for `rows` mutants of sequence i.
std::vector<at::Tensor> args_for(const std::vector<at::Tensor>& args, int64_t i, int64_t rows) {
  std::vector<at::Tensor> out;
  for (const auto& a : args) {
    std::vector<int64_t> shape = a.sizes().vec();
    shape[0] = rows;
    out.push_back(a.narrow(0, i, 1).expand(shape).contiguous());
  }
  return out;
}

// Flat slot rows (i * Lw * A + slot) of edits [first, first + n) of sequence i.
at::Tensor slot_rows(const std::vector<Edit>& edits, size_t first, int64_t n, int64_t i, int64_t slots_per_sequence) {
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < n; ++r) rows.push_back(i * slots_per_sequence + edits[first + static_cast<size_t>(r)].slot);
  return torch::tensor(rows, torch::kLong);
}

Geometry check_inputs(const at::Tensor& X, const std::vector<at::Tensor>& args, const IsmOptions& opts) {
  if (X.dim() != 3) throw Error("ism: X must be (N, A, L), got " + c10::str(X.sizes()));
  Geometry g{X.size(0), X.size(1), X.size(2), opts.start, opts.end < 0 ? X.size(2) : opts.end, 0};
  const std::string window = "--start " + std::to_string(g.start) + " --end " + std::to_string(g.end);
  if (g.start < 0 || g.start >= g.end) throw Error(window + ": the mutated window is empty (--start must be below --end)");
  if (g.end > g.L) throw Error(window + ": the mutated window runs past the sequence length " + std::to_string(g.L));
  if (opts.predict.batch_size <= 0) throw Error("ism: batch size must be positive");
  for (size_t k = 0; k < args.size(); ++k) {
    if (args[k].dim() == 0 || args[k].size(0) != g.N) throw Error("ism: argument " + std::to_string(k + 1) + " is not aligned with X");
  }
  g.Lw = g.end - g.start;
  return g;
}

// (N * Lw * A, rest...) -> (N, Lw, A, rest...)
at::Tensor unflatten_slots(const at::Tensor& t, const Geometry& g) {
  std::vector<int64_t> shape = {g.N, g.Lw, g.A};
  for (int64_t d = 1; d < t.dim(); ++d) shape.push_back(t.size(d));
  return t.reshape(shape);
}

int64_t count_edits(const at::Tensor& X, const Geometry& g) {
  int64_t total = 0;
  for (int64_t i = 0; i < g.N; ++i) total += static_cast<int64_t>(substitutions(X[i], g.start, g.end).size());
  return total;
}

std::vector<at::Tensor> reference_slots(const ModelOutput& reference, const Geometry& g) {
  std::vector<at::Tensor> slots;
  for (const auto& r : reference.tensors) {
    std::vector<int64_t> rep(static_cast<size_t>(r.dim()) + 2, 1);
    rep[1] = g.Lw;
    rep[2] = g.A;
    std::vector<int64_t> shape = {g.N, 1, 1};
    for (int64_t d = 1; d < r.dim(); ++d) shape.push_back(r.size(d));
    slots.push_back(r.reshape(shape).repeat(rep).reshape({g.N * g.Lw * g.A, -1}).clone());
  }
  return slots;
}

std::vector<at::Tensor> shape_slots(const std::vector<at::Tensor>& slots, const ModelOutput& reference, const Geometry& g) {
  std::vector<at::Tensor> shaped;
  for (size_t j = 0; j < slots.size(); ++j) {
    std::vector<int64_t> shape = {g.N, g.Lw, g.A};
    for (int64_t d = 1; d < reference[j].dim(); ++d) shape.push_back(reference[j].size(d));
    shaped.push_back(slots[j].reshape(shape));
  }
  return shaped;
}

// Slots of sequence i that no edit fills (the reference base): flat rows i * Lw * A + slot.
std::vector<int64_t> identity_rows(const std::vector<Edit>& edits, int64_t i, const Geometry& g) {
  std::vector<bool> mutated(static_cast<size_t>(g.Lw * g.A), false);
  for (const auto& e : edits) mutated[static_cast<size_t>(e.slot)] = true;
  std::vector<int64_t> identity;
  for (int64_t s = 0; s < g.Lw * g.A; ++s) {
    if (!mutated[static_cast<size_t>(s)]) identity.push_back(i * g.Lw * g.A + s);
  }
  return identity;
}

// Identity slots: the reference against itself (difference exactly 0).
void add_identity_slots(std::vector<PairedMoments>& moments, int64_t k, const ModelOutput& ref,
                        const std::vector<int64_t>& identity) {
  if (identity.empty()) return;
  at::Tensor index = torch::tensor(identity, torch::kLong);
  for (size_t j = 0; j < ref.size(); ++j) {
    at::Tensor r0 = ref[j].narrow(0, 0, 1).to(torch::kCPU);
    std::vector<int64_t> shape = r0.sizes().vec();
    shape[0] = index.size(0);
    at::Tensor rep = r0.expand(shape);
    moments[j].add_rows(k, index, rep, rep);
  }
}

}  // namespace seqnn::ism_detail
