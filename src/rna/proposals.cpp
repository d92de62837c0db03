#include "seqnn/rna/proposals.h"

#include <torch/torch.h>

#include <cmath>
#include <map>

namespace seqnn::rna {
namespace {

bool inside_sequence(const Box& b, int64_t L) {
  return b.size_x >= 1 && b.size_y >= 1 && b.i >= 0 && b.j < L && b.bottom() < L && b.left() >= 0;
}

// The boxes one pixel proposes (0, 1 or 2 distinct).
std::vector<Box> pixel_boxes(BoxType type, int64_t r, int64_t c, int64_t lx, int64_t ly, int64_t cx, int64_t cy,
                             double sx, double sy, int64_t L) {
  std::vector<Box> out;
  if (lx == kLocationClasses - 1 || ly == kLocationClasses - 1) return out;
  const bool square = type != BoxType::kIloop;
  const int64_t i = r - lx, j = c + ly;
  auto consider = [&](int64_t wx, int64_t wy) {
    Box b{type, i, j, wx, square ? wx : wy};
    if (!inside_sequence(b, L)) return;
    if (type == BoxType::kHloop && b.size_x != j - i + 1) return;  // on the diagonal only
    for (const Box& o : out) {
      if (o == b) return;
    }
    out.push_back(b);
  };
  if (cx != kSizeClasses - 1 && (square || cy != kSizeClasses - 1)) consider(cx + 1, cy + 1);
  consider(std::llround(sx), std::llround(sy));
  return out;
}

double box_prob(const float* p, int64_t L, const Box& b) {
  double sum = 0.0;
  int64_t n = 0;
  for (int64_t r = b.i; r <= b.bottom(); ++r) {
    for (int64_t c = std::max(b.left(), r + 1); c <= b.j; ++c) {
      sum += p[r * L + c];
      ++n;
    }
  }
  return n > 0 ? sum / static_cast<double>(n) : 0.0;
}

}  // namespace

PixelPredictions pixel_predictions(const S1Output& out, int64_t n, int64_t length) {
  using torch::indexing::Slice;
  auto crop = [&](const at::Tensor& t) {  // (N, [C,] P, P) -> item n, L x L
    at::Tensor x = t[n];
    return x.index({"...", Slice(0, length), Slice(0, length)});
  };
  std::vector<at::Tensor> on, lx, ly, sx, sy, ax, ay;
  for (int k = 0; k < kNumBoxTypes; ++k) {
    on.push_back(torch::sigmoid(crop(out.on[k])));
    lx.push_back(crop(out.loc_x[k]).argmax(0));
    ly.push_back(crop(out.loc_y[k]).argmax(0));
    sx.push_back(crop(out.size_x[k]).argmax(0));
    sy.push_back(crop(out.size_y[k]).argmax(0));
    ax.push_back(crop(out.scalar_x[k]));
    ay.push_back(crop(out.scalar_y[k]));
  }
  auto cpu = [](const std::vector<at::Tensor>& v, at::ScalarType dt) { return torch::stack(v).to(torch::kCPU, dt).contiguous(); };
  return {cpu(on, torch::kFloat), cpu(lx, torch::kLong), cpu(ly, torch::kLong), cpu(sx, torch::kLong),
          cpu(sy, torch::kLong), cpu(ax, torch::kFloat), cpu(ay, torch::kFloat)};
}

std::vector<Proposal> propose_boxes(const PixelPredictions& pred, const ProposalOptions& opts) {
  const int64_t L = pred.length();
  std::map<Box, int64_t> votes;
  for (int k = 0; k < kNumBoxTypes; ++k) {
    const int64_t off = k * L * L;
    const float* p = pred.p_on.data_ptr<float>() + off;
    const int64_t *lx = pred.loc_x.data_ptr<int64_t>() + off, *ly = pred.loc_y.data_ptr<int64_t>() + off;
    const int64_t *cx = pred.size_x.data_ptr<int64_t>() + off, *cy = pred.size_y.data_ptr<int64_t>() + off;
    const float *sx = pred.scalar_x.data_ptr<float>() + off, *sy = pred.scalar_y.data_ptr<float>() + off;
    for (int64_t r = 0; r < L; ++r) {
      for (int64_t c = r + 1; c < L; ++c) {
        const int64_t px = r * L + c;
        if (p[px] <= opts.min_pixel_prob) continue;
        for (const Box& b : pixel_boxes(static_cast<BoxType>(k), r, c, lx[px], ly[px], cx[px], cy[px], sx[px], sy[px], L)) {
          ++votes[b];
        }
      }
    }
  }
  std::vector<Proposal> out;
  for (const auto& [box, n] : votes) {
    const float* p = pred.p_on.data_ptr<float>() + static_cast<int64_t>(box.type) * L * L;
    out.push_back({box, n, static_cast<double>(n) / static_cast<double>(box.size_x * box.size_y), box_prob(p, L, box)});
  }
  return out;
}

std::string prune_reason(const Box& b, const std::string& seq, const ProposalOptions& opts) {
  switch (b.type) {
    case BoxType::kStem: {
      const int64_t inner = (b.j - b.size_x) - (b.i + b.size_x) + 1;
      if (inner < opts.min_hloop) return "encloses fewer than " + std::to_string(opts.min_hloop) + " bases";
      if (!opts.prune_noncanonical) return "";
      for (const auto& p : stem_pairs(b)) {
        if (!is_canonical_pair(seq[static_cast<size_t>(p.i)], seq[static_cast<size_t>(p.j)])) return "non-canonical pair";
      }
      return "";
    }
    case BoxType::kHloop:
      return b.size_x - 2 < opts.min_hloop ? "hairpin shorter than " + std::to_string(opts.min_hloop) : "";
    case BoxType::kIloop:
      if (b.size_x < 2 || b.size_y < 2 || (b.size_x == 2 && b.size_y == 2)) return "not an internal loop";
      if (b.bottom() >= b.left()) return "inner pair not in the upper triangle";
      return "";
  }
  return "";
}

std::vector<Proposal> filter_proposals(const std::vector<Proposal>& proposals, const std::string& sequence,
                                       const ProposalOptions& opts) {
  std::vector<Proposal> kept;
  for (const auto& p : proposals) {
    const double min_norm = p.box.type == BoxType::kHloop ? opts.min_norm / 2.0 : opts.min_norm;
    if (p.n_proposal_norm < min_norm || p.prob < opts.min_prob) continue;
    if (!prune_reason(p.box, sequence, opts).empty()) continue;
    kept.push_back(p);
  }
  return kept;
}

}  // namespace seqnn::rna
