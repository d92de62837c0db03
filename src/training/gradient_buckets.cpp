#include "seqnn/training/gradient_buckets.h"

#include <torch/torch.h>

#include <chrono>

#include "seqnn/util/error.h"

namespace seqnn {

GradientBuckets::GradientBuckets(std::vector<at::Tensor> parameters, std::shared_ptr<ProcessGroup> group,
                                 int64_t bucket_bytes)
    : group_(std::move(group)) {
  std::vector<at::Tensor> trained;
  for (auto& p : parameters) {
    if (p.requires_grad()) trained.push_back(p);
  }
  // Reverse order: the last layers' gradients are computed first.
  std::vector<int64_t> bucket_numel;
  int64_t bytes = 0;
  for (auto it = trained.rbegin(); it != trained.rend(); ++it) {
    const int64_t numel = it->numel(), size = numel * static_cast<int64_t>(it->element_size());
    const bool same_kind = !buckets_.empty() && slots_[buckets_.back().slots.front()].parameter.options().type_equal(it->options());
    if (!same_kind || bytes + size > bucket_bytes) {
      buckets_.emplace_back();
      bucket_numel.push_back(0);
      bytes = 0;
    }
    Slot s;
    s.parameter = *it;
    s.bucket = static_cast<int64_t>(buckets_.size()) - 1;
    s.offset = bucket_numel.back();
    s.numel = numel;
    buckets_.back().slots.push_back(static_cast<int64_t>(slots_.size()));
    slots_.push_back(s);
    bucket_numel.back() += numel;
    bytes += size;
  }
  for (size_t b = 0; b < buckets_.size(); ++b) {
    const at::Tensor& first = slots_[buckets_[b].slots.front()].parameter;
    buckets_[b].flat = torch::zeros({bucket_numel[b]}, first.options().requires_grad(false));
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    const int64_t slot = static_cast<int64_t>(i);
    hooks_.push_back(slots_[i].parameter.register_hook([this, slot](const at::Tensor& grad) { on_gradient(slot, grad); }));
  }
}

GradientBuckets::~GradientBuckets() {
  for (size_t i = 0; i < hooks_.size(); ++i) slots_[i].parameter.remove_hook(hooks_[i]);
}

void GradientBuckets::begin(double weight) {
  weight_ = weight;
  active_ = true;
  next_launch_ = 0;
  for (auto& s : slots_) s.ready = false;
  for (auto& b : buckets_) {
    b.ready = 0;
    b.launched = false;
    b.pending.reset();
  }
}

void GradientBuckets::on_gradient(int64_t slot, const at::Tensor& grad) {
  if (!active_) return;  // a backward pass outside a training step
  Slot& s = slots_[static_cast<size_t>(slot)];
  Bucket& b = buckets_[static_cast<size_t>(s.bucket)];
  if (b.launched) throw Error("internal error: a gradient arrived after its bucket was all-reduced");
  at::Tensor view = b.flat.narrow(0, s.offset, s.numel);
  torch::NoGradGuard no_grad;
  if (s.ready) {
    view.add_(grad.reshape({-1}), weight_);  // a second gradient for the same parameter
    return;
  }
  view.copy_(grad.reshape({-1}));
  view.mul_(weight_);
  s.ready = true;
  if (++b.ready == static_cast<int64_t>(b.slots.size())) launch_ready_buckets();
}

void GradientBuckets::launch_ready_buckets() {
  while (next_launch_ < buckets_.size() &&
         buckets_[next_launch_].ready == static_cast<int64_t>(buckets_[next_launch_].slots.size())) {
    launch(buckets_[next_launch_++]);
  }
}

void GradientBuckets::launch(Bucket& b) {
  b.pending = std::make_unique<PendingCollective>(group_->all_reduce_sum_async(b.flat));
  b.launched = true;
}

void GradientBuckets::finish() {
  const auto t0 = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;
  // Parameters without a gradient this step (no rows on this rank, or unused) contribute zeros.
  for (; next_launch_ < buckets_.size(); ++next_launch_) {
    Bucket& b = buckets_[next_launch_];
    for (int64_t i : b.slots) {
      Slot& s = slots_[static_cast<size_t>(i)];
      if (!s.ready) b.flat.narrow(0, s.offset, s.numel).zero_();
    }
    launch(b);
  }
  for (auto& b : buckets_) b.pending->wait();
  for (auto& s : slots_) {
    at::Tensor sum = buckets_[static_cast<size_t>(s.bucket)].flat.narrow(0, s.offset, s.numel).view(s.parameter.sizes());
    at::Tensor& grad = s.parameter.mutable_grad();
    if (grad.defined()) {
      grad.copy_(sum);
    } else {
      grad = sum.clone();
    }
  }
  active_ = false;
  exposed_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  steps_ += 1;
}

}  // namespace seqnn
