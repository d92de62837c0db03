#pragma once
// Incremental forward passes for single-base substitutions (the idea of fastISM, Nair et al.,
// Bioinformatics 2022). A substitution at position p changes a layer's output only inside p's
// receptive field, so after one reference pass that keeps every node's value, a mutant is the
// reference plus what changes in a window per node:
//   * a convolution is linear: Δout = W ∗ Δin over the changed input columns only (one GEMM for
//     the whole batch of mutants), added to the stored reference output; strided or grouped
//     convolutions recompute their affected outputs instead;
//   * pooling and position-wise ops recompute their window from the reference plus the change;
//   * a linear layer after flatten uses only the changed columns, W·x_mut = W·x_ref + W[:, S]·Δ[S],
//     with mutants that share a window sharing one GEMM;
//   * mean / sum over length add the change; max compares against the stored maximum and
//     recomputes only the rows whose maximum sat inside the window.
// Results equal the full forward pass up to float rounding.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <vector>

#include "seqnn/models/op_graph.h"

namespace seqnn {

class IncrementalEngine {
 public:
  explicit IncrementalEngine(OpGraph graph);

  // The reference pass over x (R, A, L) and its extra arguments, already in the compute dtype
  // and on the device; every node's value is kept. Returns the model's outputs (R, ...).
  std::vector<at::Tensor> set_reference(const at::Tensor& x, const std::vector<at::Tensor>& args);

  // The outputs (B, ...) of B substitutions: mutant b is reference row rows[b] with the base at
  // positions[b] replaced by one-hot channel channels[b].
  std::vector<at::Tensor> mutants(const std::vector<int64_t>& rows, const std::vector<int64_t>& positions,
                                  const std::vector<int64_t>& channels);

  // Bytes held by the reference values.
  int64_t reference_bytes() const;
  const OpGraph& graph() const { return graph_; }

  // What changed in one node's value for the current batch of mutants.
  struct Change {
    enum class State { kNone, kWindow, kWhole };
    State state = State::kNone;
    at::Tensor value;            // kWindow: (B, C, width) at start[b] + [0, width); kWhole: (B, ...)
    std::vector<int64_t> start;  // kWindow
    int64_t width = 0;
  };

 private:
  OpGraph graph_;
  std::vector<at::Tensor> values_;  // the reference pass
  at::Tensor rows_;                 // (B) reference row of each mutant in the current batch
  // Built on first use, per node: weight layouts, kept for every reference pass (rebuilding a
  // large linear layer's for each batch of variant pairs would cost more than the pass saves),
  // and argmaxes of the reference values, dropped by set_reference.
  std::map<int, at::Tensor> layouts_, reference_cache_;

  Change step(int id, const std::vector<Change>& changes, const std::vector<int64_t>& positions,
              const std::vector<int64_t>& channels);
  Change position_wise(int id, const std::vector<Change>& changes);
  Change row_wise(int id, const std::vector<Change>& changes);
  Change conv_delta(int id, const Change& in);
  Change recompute_window(int id, const Change& in);
  Change crop(int id, const Change& in);
  Change linear_after_flatten(int id, const Change& in);
  Change reduce(int id, const Change& in);

  // Mutant values of node `id` at positions start[b] + [0, width) (outside the sequence: pad).
  at::Tensor window(int id, const Change& c, const std::vector<int64_t>& start, int64_t width, double pad = 0.0);
  // The whole mutant value of node `id` (B, ...).
  at::Tensor whole(int id, const Change& c);
  at::Tensor reference_rows(int id);
  const at::Tensor& cached(int id, int which);
};

}  // namespace seqnn
