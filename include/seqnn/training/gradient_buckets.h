#pragma once
// Gradients summed over the ranks of a data-parallel run in buckets, each bucket all-reduced as
// soon as the backward pass has produced all of its gradients, so that communication overlaps
// the rest of the backward pass (the scheme of PyTorch DDP's Reducer, which the C++ frontend
// lacks). Parameters are bucketed in reverse order, the order their gradients appear; buckets are
// launched strictly in order, so every rank issues the same collectives in the same sequence
// whatever order its gradients arrive in (Gloo pairs collectives by their sequence).
//
// Each rank's gradients enter the sum with a weight, its share of the global batch: the sum is
// then the gradient of the mean loss over the global batch, as one process with that batch would
// compute it, even for a last batch that does not split evenly (or leaves a rank no rows).
#include <cstdint>
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>

#include "seqnn/training/process_group.h"

namespace seqnn {

class GradientBuckets {
 public:
  static constexpr int64_t kDefaultBucketBytes = 4 << 20;

  // Hooks every parameter that requires a gradient; all ranks must pass the same parameters in
  // the same order (the same model).
  GradientBuckets(std::vector<at::Tensor> parameters, std::shared_ptr<ProcessGroup> group,
                  int64_t bucket_bytes = kDefaultBucketBytes);
  ~GradientBuckets();
  GradientBuckets(const GradientBuckets&) = delete;
  GradientBuckets& operator=(const GradientBuckets&) = delete;

  // Before this rank's backward pass: its gradients count `weight` times in the sum.
  void begin(double weight);
  // After the backward pass, or in its place for a rank without rows: every parameter's .grad
  // holds the weighted sum over the ranks.
  void finish();

  int64_t buckets() const { return static_cast<int64_t>(buckets_.size()); }
  // Seconds spent in finish() (communication the backward pass did not hide), and steps.
  double exposed_seconds() const { return exposed_seconds_; }
  int64_t steps() const { return steps_; }

 private:
  struct Slot {
    at::Tensor parameter;
    int64_t bucket = 0, offset = 0, numel = 0;
    bool ready = false;
  };
  struct Bucket {
    at::Tensor flat;
    std::vector<int64_t> slots;
    int64_t ready = 0;
    bool launched = false;
    std::unique_ptr<PendingCollective> pending;
  };

  void on_gradient(int64_t slot, const at::Tensor& grad);
  void launch_ready_buckets();
  void launch(Bucket& bucket);

  std::shared_ptr<ProcessGroup> group_;
  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  std::vector<unsigned> hooks_;
  size_t next_launch_ = 0;
  double weight_ = 1;
  bool active_ = false;
  double exposed_seconds_ = 0;
  int64_t steps_ = 0;
};

}  // namespace seqnn
