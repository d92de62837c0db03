#include "seqnn/deepsequence/weights.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/util/error.h"

namespace seqnn::ds {
namespace {

// The one comparison every method uses, so that they agree to the last bit.
inline bool is_neighbour(int64_t matches, int64_t residues, double threshold) {
  return residues > 0 && static_cast<double>(matches) / static_cast<double>(residues) > threshold;
}

at::Tensor residue_counts(const at::Tensor& codes) { return (codes != kGapCode).sum(1).to(torch::kLong); }

at::Tensor weights_from_counts(const at::Tensor& neighbours, const at::Tensor& residues) {
  at::Tensor n = neighbours.to(torch::kDouble);
  return torch::where(residues > 0, 1.0 / n.clamp_min(1.0), torch::zeros_like(n));
}

void check_codes(const at::Tensor& codes) {
  if (codes.dim() != 2 || codes.scalar_type() != torch::kUInt8) fail("sequence_weights", "codes must be an (N, L) uint8 tensor");
}

at::Tensor weights_matmul(const at::Tensor& codes, const WeightsOptions& o) {
  const int64_t n = codes.size(0);
  const double thr = 1.0 - o.theta;
  torch::Device dev(o.device);
  at::Tensor x = one_hot_codes(codes).reshape({n, -1}).to(dev);
  at::Tensor res = residue_counts(codes).to(dev).to(torch::kDouble);
  at::Tensor neighbours = torch::zeros({n}, torch::TensorOptions().dtype(torch::kLong).device(dev));
  const int64_t t = std::max<int64_t>(1, o.tile);
  for (int64_t a = 0; a < n; a += t) {
    const int64_t ae = std::min(n, a + t);
    for (int64_t b = a; b < n; b += t) {
      const int64_t be = std::min(n, b + t);
      at::Tensor m = torch::matmul(x.slice(0, a, ae), x.slice(0, b, be).t()).to(torch::kDouble);
      // Rows a..ae divide by their own residue counts; the mirrored block (rows b..be) by theirs.
      at::Tensor ri = res.slice(0, a, ae).unsqueeze(1);
      neighbours.slice(0, a, ae).add_(((m / ri > thr) & (ri > 0)).sum(1));
      if (b != a) {
        at::Tensor rj = res.slice(0, b, be).unsqueeze(0);
        neighbours.slice(0, b, be).add_(((m / rj > thr) & (rj > 0)).sum(0));
      }
    }
  }
  return weights_from_counts(neighbours.cpu(), residue_counts(codes));
}

// Codes padded to a multiple of 32 bytes; gaps (and padding) get different values in the two
// copies, so that a gap never matches anything.
std::vector<uint8_t> padded_codes(const at::Tensor& codes, int64_t stride, uint8_t gap) {
  const int64_t n = codes.size(0), len = codes.size(1);
  std::vector<uint8_t> out(static_cast<size_t>(n * stride), gap);
  const uint8_t* c = codes.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t l = 0; l < len; ++l) {
      const uint8_t v = c[i * len + l];
      out[static_cast<size_t>(i * stride + l)] = v == kGapCode ? gap : v;
    }
  }
  return out;
}

// Matches between two padded rows. Written so that GCC vectorises it (byte compares summed in
// 8-bit lanes, widened once per 32-byte block... the block count keeps lanes below 256).
inline int64_t count_matches(const uint8_t* __restrict a, const uint8_t* __restrict b, int64_t stride) {
  int64_t total = 0;
  for (int64_t base = 0; base < stride; base += 224) {
    const int64_t end = std::min(stride, base + 224);
    uint8_t lane[32] = {0};
    for (int64_t l = base; l < end; l += 32) {
      for (int k = 0; k < 32; ++k) lane[k] = static_cast<uint8_t>(lane[k] + (a[l + k] == b[l + k]));
    }
    for (int k = 0; k < 32; ++k) total += lane[k];
  }
  return total;
}

at::Tensor weights_compare(const at::Tensor& codes_in, const WeightsOptions& o) {
  at::Tensor codes = codes_in.contiguous().cpu();
  const int64_t n = codes.size(0), len = codes.size(1);
  const int64_t stride = (len + 31) / 32 * 32;
  const std::vector<uint8_t> rows_a = padded_codes(codes, stride, 254), rows_b = padded_codes(codes, stride, 255);
  std::vector<int64_t> res(static_cast<size_t>(n), 0);
  const uint8_t* c = codes.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n * len; ++i) res[static_cast<size_t>(i / len)] += c[i] != kGapCode;
  const double thr = 1.0 - o.theta;
  constexpr int64_t kTile = 64;  // 64 rows x 64 rows of ~256 bytes stay in L1/L2
  const int64_t tiles = (n + kTile - 1) / kTile;
  const int threads = at::get_num_threads();
  std::vector<std::vector<int64_t>> partial(static_cast<size_t>(threads), std::vector<int64_t>(static_cast<size_t>(n), 0));
  // Tile rows are handed out one at a time (grain 1): the triangle makes early rows longer.
  at::parallel_for(0, tiles, 1, [&](int64_t t0, int64_t t1) {
    std::vector<int64_t>& cnt = partial[static_cast<size_t>(at::get_thread_num())];
    for (int64_t ti = t0; ti < t1; ++ti) {
      const int64_t a = ti * kTile, ae = std::min(n, a + kTile);
      for (int64_t b = a; b < n; b += kTile) {
        const int64_t be = std::min(n, b + kTile);
        for (int64_t i = a; i < ae; ++i) {
          for (int64_t j = std::max(b, i); j < be; ++j) {
            const int64_t m = count_matches(&rows_a[i * stride], &rows_b[j * stride], stride);
            if (is_neighbour(m, res[static_cast<size_t>(i)], thr)) ++cnt[static_cast<size_t>(i)];
            if (j != i && is_neighbour(m, res[static_cast<size_t>(j)], thr)) ++cnt[static_cast<size_t>(j)];
          }
        }
      }
    }
  });
  at::Tensor neighbours = torch::zeros({n}, torch::kLong);
  int64_t* out = neighbours.data_ptr<int64_t>();
  for (const auto& p : partial) {
    for (int64_t i = 0; i < n; ++i) out[i] += p[static_cast<size_t>(i)];
  }
  return weights_from_counts(neighbours, torch::from_blob(res.data(), {n}, torch::kLong).clone());
}

}  // namespace

WeightsMethod parse_weights_method(const std::string& name) {
  if (name == "auto") return WeightsMethod::kAuto;
  if (name == "matmul") return WeightsMethod::kMatmul;
  if (name == "compare") return WeightsMethod::kCompare;
  throw Error("weights method '" + name + "': expected auto, matmul or compare");
}

at::Tensor sequence_weights(const at::Tensor& codes, const WeightsOptions& options) {
  check_codes(codes);
  if (!(options.theta >= 0.0 && options.theta < 1.0)) fail("sequence_weights", "theta must be in [0, 1)");
  WeightsMethod m = options.method;
  if (m == WeightsMethod::kAuto) m = options.device.rfind("cuda", 0) == 0 ? WeightsMethod::kMatmul : WeightsMethod::kCompare;
  return m == WeightsMethod::kMatmul ? weights_matmul(codes, options) : weights_compare(codes, options);
}

at::Tensor sequence_weights_brute_force(const at::Tensor& codes_in, double theta) {
  check_codes(codes_in);
  at::Tensor codes = codes_in.contiguous().cpu();
  const int64_t n = codes.size(0), len = codes.size(1);
  const uint8_t* c = codes.data_ptr<uint8_t>();
  at::Tensor w = torch::zeros({n}, torch::kDouble);
  for (int64_t i = 0; i < n; ++i) {
    int64_t residues = 0;
    for (int64_t l = 0; l < len; ++l) residues += c[i * len + l] != kGapCode;
    int64_t neighbours = 0;
    for (int64_t j = 0; j < n; ++j) {
      int64_t matches = 0;
      for (int64_t l = 0; l < len; ++l) matches += c[i * len + l] != kGapCode && c[i * len + l] == c[j * len + l];
      neighbours += is_neighbour(matches, residues, 1.0 - theta);
    }
    w[i] = residues > 0 ? 1.0 / static_cast<double>(neighbours) : 0.0;
  }
  return w;
}

}  // namespace seqnn::ds
