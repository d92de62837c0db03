#include "seqnn/training/data_parallel.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "seqnn/util/error.h"

namespace seqnn {

DataParallel::DataParallel(std::shared_ptr<ProcessGroup> group, int64_t bucket_bytes)
    : group_(std::move(group)), bucket_bytes_(bucket_bytes) {}

std::vector<int64_t> DataParallel::part(const std::vector<int64_t>& rows) const {
  const int64_t n = static_cast<int64_t>(rows.size()), r = rank(), w = size();
  return std::vector<int64_t>(rows.begin() + n * r / w, rows.begin() + n * (r + 1) / w);
}

void DataParallel::attach(std::vector<at::Tensor> parameters) {
  if (!distributed()) return;
  buckets_ = std::make_shared<GradientBuckets>(std::move(parameters), group_, bucket_bytes_);
}

void DataParallel::begin_step(int64_t part_rows, int64_t batch_rows) {
  if (!buckets_) return;
  buckets_->begin(batch_rows > 0 ? static_cast<double>(part_rows) / static_cast<double>(batch_rows) : 0.0);
}

void DataParallel::end_step() {
  if (buckets_) buckets_->finish();
}

void DataParallel::broadcast_from_first(std::vector<at::Tensor> tensors) const {
  if (!distributed()) return;
  torch::NoGradGuard no_grad;
  // Collectives need dense contiguous tensors: broadcast a copy and write it back.
  for (auto& t : tensors) {
    std::vector<at::Tensor> one{t.detach().contiguous().clone()};
    group_->broadcast(one, 0);
    t.detach().copy_(one[0]);
  }
}

at::Tensor DataParallel::gather_rows(const at::Tensor& rows) const {
  if (!distributed()) return rows;
  return all_gather_rows(*group_, rows);
}

double DataParallel::sum(double value) const { return distributed() ? all_reduce_sum(*group_, value) : value; }

void DataParallel::sum_in_place(const std::vector<at::Tensor>& tensors, double weight) const {
  if (!distributed()) return;
  torch::NoGradGuard no_grad;
  std::vector<PendingCollective> pending;
  for (const auto& t : tensors) {
    if (!t.is_contiguous()) throw Error("internal error: a data-parallel sum needs contiguous tensors");
    if (weight != 1.0) t.mul_(weight);
    pending.push_back(group_->all_reduce_sum_async(t));
  }
  for (auto& p : pending) p.wait();
}

void DataParallel::barrier() const {
  if (distributed()) group_->barrier();
}

std::string describe_ranks(int ranks, double exposed_seconds, int64_t steps) {
  if (ranks <= 1) return "";
  char buf[160];
  std::snprintf(buf, sizeof buf, " across %d ranks (all-reduce not hidden by the backward pass: %.2f ms/step)", ranks,
                1000 * exposed_seconds / static_cast<double>(std::max<int64_t>(steps, 1)));
  return buf;
}

}  // namespace seqnn
