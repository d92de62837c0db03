#pragma once
// DeepSequence sequence weights: w_i = 1 / #{j : identity(i, j) > 1 - theta}, self included,
// identity(i, j) = (positions where i and j hold the same residue) / (non-gap positions of i).
// The identity is asymmetric (divided by i's residues) and the comparison strict. A record with
// no residues at all gets weight 0 (its identity is undefined; it carries no information).
// Neff = sum of the weights.
//
// Both fast methods are exact (integer match counts, then the same double comparison as the
// brute-force loop), and both use that the match count is symmetric, so only tiles on and above
// the diagonal are computed:
//   kMatmul  - one-hot tiles multiplied as float32 matrices (counts <= L are exact in float32);
//              runs on any device, the natural choice on a GPU;
//   kCompare - byte-wise comparison of residue codes in cache-sized tiles on CPU threads; the
//              one-hot product spends 20 multiply-adds per position where one byte compare does,
//              so this is ~10x faster on CPU;
//   kAuto    - kMatmul on CUDA, kCompare on CPU.
#include <ATen/core/Tensor.h>

#include <string>

namespace seqnn::ds {

enum class WeightsMethod { kAuto, kMatmul, kCompare };
WeightsMethod parse_weights_method(const std::string& name);  // "auto", "matmul", "compare"

struct WeightsOptions {
  double theta = 0.2;
  WeightsMethod method = WeightsMethod::kAuto;
  std::string device = "cpu";
  int64_t tile = 2048;  // rows per tile (matmul); memory is tile^2 floats
};

// codes: (N, L) uint8 from encode_codes. Returns (N) float64 weights on CPU.
at::Tensor sequence_weights(const at::Tensor& codes, const WeightsOptions& options = {});
// The definition as a plain double loop over all pairs (for tests; O(N^2 L)).
at::Tensor sequence_weights_brute_force(const at::Tensor& codes, double theta);

}  // namespace seqnn::ds
