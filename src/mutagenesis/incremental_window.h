#pragma once
// Window arithmetic shared by the incremental engine's files (private to libseqnn).
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "seqnn/util/parallel.h"

namespace seqnn::incremental {

inline int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
inline int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

// A window of `width` positions moved to lie inside [0, length) (width <= length).
inline int64_t fit(int64_t start, int64_t width, int64_t length) { return std::clamp<int64_t>(start, 0, length - width); }

// (B, width) positions start[b] + m, as int64 on `device`.
inline at::Tensor positions(const std::vector<int64_t>& start, int64_t width, const at::Device& device) {
  at::Tensor s = torch::tensor(start, torch::kLong).to(device).unsqueeze(1);
  return s + torch::arange(width, torch::TensorOptions().dtype(torch::kLong).device(device)).unsqueeze(0);
}

// Whether some window start[b] + [0, width) reaches outside [0, length).
inline bool leaves(const std::vector<int64_t>& start, int64_t width, int64_t length) {
  for (int64_t s : start) {
    if (s < 0 || s + width > length) return true;
  }
  return false;
}

// ref (R, C, L) at rows (B): the windows start[b] + [0, width) as one contiguous (B, C, width)
// tensor; positions outside [0, L) give pad. One copy per row: each window is a strided block of
// its row, which copies far faster than an element-wise index kernel.
inline at::Tensor gather_windows(const at::Tensor& ref, const std::vector<int64_t>& rows, const std::vector<int64_t>& start,
                                 int64_t width, double pad = 0.0) {
  const int64_t L = ref.size(2), B = static_cast<int64_t>(rows.size());
  const bool padded = leaves(start, width, L);
  at::Tensor out = padded ? at::full({B, ref.size(1), width}, pad, ref.options()) : at::empty({B, ref.size(1), width}, ref.options());
  // One parallel region for all rows (the copies inside run serially), not one per copy.
  seqnn::parallel_for_with_state(0, B, 1, [&](int64_t first, int64_t last) {
    for (int64_t b = first; b < last; ++b) {
      const int64_t s = start[static_cast<size_t>(b)];
      const int64_t lo = std::max<int64_t>(s, 0), hi = std::min(s + width, L);
      if (hi > lo) out[b].narrow(1, lo - s, hi - lo).copy_(ref[rows[static_cast<size_t>(b)]].narrow(1, lo, hi - lo));
    }
  });
  return out;
}

// 0, 1, ..., n - 1: the rows of a tensor that holds one row per mutant.
inline std::vector<int64_t> each_row(int64_t n) {
  std::vector<int64_t> rows(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
  return rows;
}

// Whether every window inner[b] + [0, inner_width) lies inside outer[b] + [0, outer_width).
inline bool contains(const std::vector<int64_t>& outer, int64_t outer_width, const std::vector<int64_t>& inner,
                     int64_t inner_width) {
  for (size_t b = 0; b < outer.size(); ++b) {
    if (inner[b] < outer[b] || inner[b] + inner_width > outer[b] + outer_width) return false;
  }
  return true;
}

}  // namespace seqnn::incremental
