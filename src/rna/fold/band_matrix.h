#pragma once
// Triangular / banded DP storage for 1-based positions 1..n: entries (i, j) with
// i <= j <= min(n, i + w) (w = n - 1 for the full triangle). RowBand keeps a row (fixed i)
// contiguous, ColBand a column (fixed j): the multiloop recursions walk one of each.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace seqnn::rna::fold::detail {

template <typename T>
class RowBand {
 public:
  void init(int n, int w, T fill) {
    n_ = n;
    w_ = w;
    base_.assign(static_cast<size_t>(n) + 2, 0);
    int64_t off = 0;
    for (int i = 1; i <= n; ++i) {
      base_[static_cast<size_t>(i)] = off - i;
      off += std::min(n, i + w) - i + 1;
    }
    data_.assign(static_cast<size_t>(off), fill);
  }
  T& at(int i, int j) { return data_[static_cast<size_t>(base_[static_cast<size_t>(i)] + j)]; }
  const T& at(int i, int j) const { return data_[static_cast<size_t>(base_[static_cast<size_t>(i)] + j)]; }
  // row(i)[j] for i <= j <= min(n, i + w)
  T* row(int i) { return data_.data() + base_[static_cast<size_t>(i)]; }
  const T* row(int i) const { return data_.data() + base_[static_cast<size_t>(i)]; }
  bool inside(int i, int j) const { return i >= 1 && j <= n_ && i <= j && j - i <= w_; }
  size_t size() const { return data_.size(); }

 private:
  int n_ = 0, w_ = 0;
  std::vector<int64_t> base_;
  std::vector<T> data_;
};

template <typename T>
class ColBand {
 public:
  void init(int n, int w, T fill) {
    n_ = n;
    w_ = w;
    base_.assign(static_cast<size_t>(n) + 2, 0);
    int64_t off = 0;
    for (int j = 1; j <= n; ++j) {
      const int lo = std::max(1, j - w);
      base_[static_cast<size_t>(j)] = off - lo;
      off += j - lo + 1;
    }
    data_.assign(static_cast<size_t>(off), fill);
  }
  T& at(int i, int j) { return data_[static_cast<size_t>(base_[static_cast<size_t>(j)] + i)]; }
  const T& at(int i, int j) const { return data_[static_cast<size_t>(base_[static_cast<size_t>(j)] + i)]; }
  // col(j)[i] for max(1, j - w) <= i <= j
  T* col(int j) { return data_.data() + base_[static_cast<size_t>(j)]; }
  const T* col(int j) const { return data_.data() + base_[static_cast<size_t>(j)]; }
  size_t size() const { return data_.size(); }

 private:
  int n_ = 0, w_ = 0;
  std::vector<int64_t> base_;
  std::vector<T> data_;
};

}  // namespace seqnn::rna::fold::detail
