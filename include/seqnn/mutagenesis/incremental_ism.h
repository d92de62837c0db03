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
#include <memory>
#include <mutex>
#include <vector>

#include "seqnn/models/op_graph.h"

namespace seqnn {

class IncrementalEngine {
 public:
  explicit IncrementalEngine(OpGraph graph);

  // The reference pass over x (R, A, L) and its extra arguments, already in the compute dtype
  // and on the device; every node's value is kept. Returns the model's outputs (R, ...).
  // With sample_dropout (Monte-Carlo), each dropout node draws its mask as the model's own
  // forward pass would (same ops, same order, so the same random numbers) and keeps it: every
  // mutant of reference row r then sees row r's masks, and differs from it only in its window.
  std::vector<at::Tensor> set_reference(const at::Tensor& x, const std::vector<at::Tensor>& args,
                                        bool sample_dropout = false);

  // The outputs (B, ...) of B substitutions: mutant b is reference row rows[b] with the base at
  // positions[b] replaced by one-hot channel channels[b]. On the CPU with several intra-op
  // threads, a large batch is split into one part per thread, each run with single-threaded
  // kernels (most of a batch's ops are too small for LibTorch to parallelise; docs/ism.md).
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
  std::vector<int> last_use_;       // per node, the last node that reads it
  std::map<int, at::Tensor> masks_; // Monte-Carlo: per dropout node, the mask scaled by 1 / (1 - p)
  // The reference row of each mutant in the part of a batch one thread works on.
  struct BatchRows {
    at::Tensor rows;          // (B) on the device
    std::vector<int64_t> host;
  };
  std::vector<BatchRows> batches_;  // per worker thread (at::get_thread_num())
  // Built on first use, per node: weight layouts, kept for every reference pass (rebuilding a
  // large linear layer's for each batch of variant pairs would cost more than the pass saves),
  // and argmaxes of the reference values, dropped by set_reference. Threads share them.
  std::map<int, at::Tensor> layouts_, reference_cache_;
  std::unique_ptr<std::mutex> cache_mutex_ = std::make_unique<std::mutex>();

  std::vector<at::Tensor> run_part(const std::vector<int64_t>& rows, const std::vector<int64_t>& positions,
                                   const std::vector<int64_t>& channels);
  int part_count(int64_t batch) const;
  BatchRows& batch();

  Change step(int id, const std::vector<Change>& changes, const std::vector<int64_t>& positions,
              const std::vector<int64_t>& channels);
  Change position_wise(int id, const std::vector<Change>& changes);
  Change dropout(int id, const Change& in);
  Change row_wise(int id, const std::vector<Change>& changes);
  Change conv(int id, const Change& in);
  Change conv_delta(int id, const Change& in, bool transposed);
  at::Tensor conv_taps(int id, const at::Tensor& delta, bool transposed);
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
