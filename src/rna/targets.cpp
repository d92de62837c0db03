#include "seqnn/rna/targets.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"

namespace seqnn::rna {
namespace {

namespace F = torch::nn::functional;
using torch::indexing::Slice;

// x (..., L, L) zero-padded at the end of both axes to (..., P, P); works for every dtype.
at::Tensor pad_square(const at::Tensor& x, int64_t P) {
  const int64_t L = x.size(-1);
  if (L == P) return x;
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
  shape[shape.size() - 1] = shape[shape.size() - 2] = P;
  at::Tensor out = torch::zeros(shape, x.options());
  out.index({"...", Slice(0, L), Slice(0, L)}).copy_(x);
  return out;
}

// Which box of `boxes` of one type each upper-triangle pixel belongs to (-1: none), by the
// nearest-corner rule of the header.
std::vector<int64_t> owner_map(int64_t L, const std::vector<Box>& boxes, BoxType type) {
  std::vector<int64_t> owner(static_cast<size_t>(L * L), -1);
  std::vector<int64_t> best(static_cast<size_t>(L * L), std::numeric_limits<int64_t>::max());
  for (size_t b = 0; b < boxes.size(); ++b) {
    const Box& box = boxes[b];
    if (box.type != type) continue;
    for (int64_t r = std::max<int64_t>(box.i, 0); r <= std::min(box.bottom(), L - 1); ++r) {
      for (int64_t c = std::max(box.left(), r + 1); c <= std::min(box.j, L - 1); ++c) {
        const size_t px = static_cast<size_t>(r * L + c);
        const int64_t dist = (r - box.i) + (box.j - c);
        const bool better = dist < best[px] || (dist == best[px] && box.i < boxes[static_cast<size_t>(owner[px])].i);
        if (better) {
          best[px] = dist;
          owner[px] = static_cast<int64_t>(b);
        }
      }
    }
  }
  return owner;
}

void fill_type(int64_t L, const std::vector<Box>& boxes, BoxType type, S1Targets& t) {
  const int64_t k = static_cast<int64_t>(type);
  auto on = t.on.accessor<float, 3>();
  auto inside = t.inside.accessor<bool, 3>();
  auto lx = t.loc_x.accessor<int64_t, 3>(), ly = t.loc_y.accessor<int64_t, 3>();
  auto cx = t.size_x_cls.accessor<int64_t, 3>(), cy = t.size_y_cls.accessor<int64_t, 3>();
  auto sx = t.size_x.accessor<float, 3>(), sy = t.size_y.accessor<float, 3>();
  const auto owner = owner_map(L, boxes, type);
  for (int64_t r = 0; r < L; ++r) {
    for (int64_t c = r + 1; c < L; ++c) {
      const int64_t b = owner[static_cast<size_t>(r * L + c)];
      if (b < 0) continue;
      const Box& box = boxes[static_cast<size_t>(b)];
      on[k][r][c] = 1.0f;
      inside[k][r][c] = true;
      lx[k][r][c] = location_class(r - box.i);
      ly[k][r][c] = location_class(box.j - c);
      cx[k][r][c] = size_class(box.size_x);
      cy[k][r][c] = size_class(box.size_y);
      sx[k][r][c] = static_cast<float>(box.size_x);
      sy[k][r][c] = static_cast<float>(box.size_y);
    }
  }
}

// Pixels within kOnMaskMargin rows and columns of any box, upper triangle only.
at::Tensor on_mask(int64_t L, const std::vector<Box>& boxes) {
  at::Tensor cover = torch::zeros({1, 1, L, L}, torch::kFloat);
  for (const Box& box : boxes) {
    const int64_t r0 = std::max<int64_t>(box.i, 0), r1 = std::min(box.bottom(), L - 1);
    const int64_t c0 = std::max<int64_t>(box.left(), 0), c1 = std::min(box.j, L - 1);
    if (r0 <= r1 && c0 <= c1) cover.index_put_({0, 0, Slice(r0, r1 + 1), Slice(c0, c1 + 1)}, 1.0f);
  }
  const int64_t w = 2 * kOnMaskMargin + 1;
  at::Tensor near = F::max_pool2d(cover, F::MaxPool2dFuncOptions(w).stride(1).padding(kOnMaskMargin))[0][0] > 0.5;
  return near.logical_and(torch::ones({L, L}, torch::kBool).triu(1));
}

}  // namespace

int64_t location_class(int64_t offset) { return std::min<int64_t>(offset, kLocationClasses - 1); }
int64_t size_class(int64_t size) { return std::min<int64_t>(size, kSizeClasses) - 1; }

S1Targets make_targets(int64_t L, const std::vector<Box>& boxes) {
  S1Targets t;
  t.on = torch::zeros({kNumBoxTypes, L, L}, torch::kFloat);
  t.inside = torch::zeros({kNumBoxTypes, L, L}, torch::kBool);
  t.loc_x = torch::zeros({kNumBoxTypes, L, L}, torch::kLong);
  t.loc_y = torch::zeros_like(t.loc_x);
  t.size_x_cls = torch::zeros_like(t.loc_x);
  t.size_y_cls = torch::zeros_like(t.loc_x);
  t.size_x = torch::zeros_like(t.on);
  t.size_y = torch::zeros_like(t.on);
  for (BoxType type : {BoxType::kStem, BoxType::kIloop, BoxType::kHloop}) fill_type(L, boxes, type, t);
  t.on_mask = on_mask(L, boxes).unsqueeze(0).expand({kNumBoxTypes, L, L}).contiguous();
  return t;
}

S1Targets S1Targets::stack(const std::vector<S1Targets>& items, int64_t pad_to) {
  int64_t P = pad_to;
  for (const auto& it : items) P = std::max(P, it.on.size(-1));
  auto cat = [&](auto member) {
    std::vector<at::Tensor> parts;
    for (const auto& it : items) {
      parts.push_back(pad_square(it.*member, P));
    }
    return torch::stack(parts);
  };
  S1Targets out;
  out.on = cat(&S1Targets::on);
  out.on_mask = cat(&S1Targets::on_mask);
  out.inside = cat(&S1Targets::inside);
  out.loc_x = cat(&S1Targets::loc_x);
  out.loc_y = cat(&S1Targets::loc_y);
  out.size_x_cls = cat(&S1Targets::size_x_cls);
  out.size_y_cls = cat(&S1Targets::size_y_cls);
  out.size_x = cat(&S1Targets::size_x);
  out.size_y = cat(&S1Targets::size_y);
  return out;
}

S1Targets S1Targets::to(const at::Device& device) const {
  return {on.to(device), on_mask.to(device), inside.to(device), loc_x.to(device), loc_y.to(device),
          size_x_cls.to(device), size_y_cls.to(device), size_x.to(device), size_y.to(device)};
}

at::Tensor pair_input(const std::string& sequence, const std::string& where) {
  std::string seq = sequence;
  for (char& c : seq) {
    if (c == 'T') c = 'U';
    if (c == 't') c = 'u';
  }
  const at::Tensor x = one_hot_encode(seq, Alphabet::rna(), EncodeOptions{at::kFloat, UnknownRule::kZero, where});  // (4, L)
  const int64_t L = x.size(1);
  return torch::cat({x.unsqueeze(2).expand({4, L, L}), x.unsqueeze(1).expand({4, L, L})}, 0);
}

at::Tensor pair_input_batch(const std::vector<std::string>& sequences, int64_t pad_to) {
  int64_t P = pad_to;
  for (const auto& s : sequences) P = std::max<int64_t>(P, static_cast<int64_t>(s.size()));
  std::vector<at::Tensor> parts;
  for (const auto& s : sequences) {
    parts.push_back(pad_square(pair_input(s), P));
  }
  return torch::stack(parts);
}

}  // namespace seqnn::rna
