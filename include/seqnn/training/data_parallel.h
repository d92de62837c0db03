#pragma once
// One rank's side of data-parallel training, shared by every trainer. Each step takes one global
// batch — what one process with batch size B × WORLD_SIZE would take, from the same seeded
// shuffle — and gives this rank its contiguous block of it (B rows; the last, smaller batch is
// split as evenly as it goes). The gradients are summed over the ranks, each weighted by its share
// of the batch (gradient_buckets.h), so every rank takes the same optimiser step as the single
// process would, to float rounding. Evaluation sets are split in blocks the same way and the
// predictions gathered in order, so metrics are computed on all of them (auROC does not average).
// Only rank 0 writes files.
//
// A default-constructed DataParallel is one process: parts are whole, gathering returns its
// input, and nothing is communicated.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "seqnn/training/gradient_buckets.h"
#include "seqnn/training/process_group.h"

namespace seqnn {

class DataParallel {
 public:
  DataParallel() = default;
  explicit DataParallel(std::shared_ptr<ProcessGroup> group, int64_t bucket_bytes = GradientBuckets::kDefaultBucketBytes);

  int rank() const { return group_ ? group_->rank() : 0; }
  int size() const { return group_ ? group_->size() : 1; }
  bool distributed() const { return size() > 1; }
  bool writes_files() const { return rank() == 0; }
  const std::shared_ptr<ProcessGroup>& group() const { return group_; }

  // This rank's block of `rows`: [n·rank/size, n·(rank+1)/size).
  std::vector<int64_t> part(const std::vector<int64_t>& rows) const;

  // The model's trained parameters, hooked for summing (once, before training).
  void attach(std::vector<at::Tensor> parameters);
  // Around one step's backward pass: this rank holds `part_rows` of the batch's `batch_rows`.
  void begin_step(int64_t part_rows, int64_t batch_rows);
  void end_step();

  // Every rank takes rank 0's values (the model at the start, after --resume and at the end).
  void broadcast_from_first(std::vector<at::Tensor> tensors) const;
  // The ranks' rows (part() blocks of one set) back in one tensor, in rank order = set order.
  at::Tensor gather_rows(const at::Tensor& rows) const;
  double sum(double value) const;
  // Element-wise sums in place, for trainers whose gradients live in tensors made each step
  // (DeepSequence's sampled weights), which cannot be hooked once: after the backward pass,
  // every tensor × weight summed over the ranks (all launched, then awaited).
  void sum_in_place(const std::vector<at::Tensor>& tensors, double weight = 1.0) const;
  void barrier() const;

  // Communication the backward pass did not hide: seconds in all, and steps.
  double exposed_seconds() const { return buckets_ ? buckets_->exposed_seconds() : 0.0; }
  int64_t steps() const { return buckets_ ? buckets_->steps() : 0; }

 private:
  std::shared_ptr<ProcessGroup> group_;
  int64_t bucket_bytes_ = GradientBuckets::kDefaultBucketBytes;
  std::shared_ptr<GradientBuckets> buckets_;
};

// For run summaries: " across N ranks (all-reduce not hidden by the backward pass: X ms/step)",
// or "" for one process.
std::string describe_ranks(int ranks, double exposed_seconds, int64_t steps);

}  // namespace seqnn
