#pragma once
// Monte-Carlo dropout: K stochastic forward passes with dropout sampling and everything else
// (batch norm) in eval mode; per-item mean and standard deviation, and for paired passes
// (reference vs alternative) the covariance, correlation and P(alt - ref > 0).
//
// Masks are reproducible: each pass seeds the generator from (seed, sample, stream). Two passes
// with the same seed triple and the same batch shape draw the same masks row by row. Paired
// scoring runs ref and alt through the model with the same triple (so Var(alt - ref) keeps its
// covariance term); independent scoring gives ref its own stream.
#include <ATen/core/Tensor.h>

#include <optional>
#include <string>
#include <vector>

#include "seqnn/inference/predict.h"

namespace seqnn {

enum class McPairing { kPaired, kIndependent };

struct McOptions {
  int64_t samples = 0;  // K; 0 = deterministic (no MC dropout)
  uint64_t seed = 0;
  McPairing pairing = McPairing::kPaired;
  bool enabled() const { return samples > 0; }
};

McPairing parse_mc_pairing(const std::string& name);  // "paired" or "independent"

// Eval mode with dropout sampling (and the given device/dtype) for the guard's lifetime; the
// previous mode, device and dtype come back afterwards. Throws when the model has no dropout.
class McDropoutGuard {
 public:
  McDropoutGuard(Model& model, const std::string& device, std::optional<at::ScalarType> dtype);
  ~McDropoutGuard();
  at::Device device() const { return state_.device(); }
  at::ScalarType dtype() const { return state_.dtype(); }
  int64_t dropout_layers() const { return layers_; }

 private:
  ModelStateGuard state_;
  int64_t layers_;
};

// Seeds the CPU (and CUDA) generators for one MC forward pass.
void seed_dropout(uint64_t seed, int64_t sample, int64_t stream);

// Running mean and variance (Welford, float64) of samples of a fixed-shape tensor. Rows can be
// updated in slices: add(k, offset, x) adds sample number k (1-based) for rows [offset, offset+n).
class RunningMoments {
 public:
  explicit RunningMoments(std::vector<int64_t> shape);
  void add(int64_t k, int64_t offset, const at::Tensor& x);
  // Same for the rows listed in `rows` (int64, distinct): x[j] is sample k of row rows[j].
  void add_rows(int64_t k, const at::Tensor& rows, const at::Tensor& x);
  at::Tensor mean() const { return mean_; }
  at::Tensor m2() const { return m2_; }
  at::Tensor sd(int64_t samples) const;  // sample standard deviation (K - 1 denominator)

 private:
  at::Tensor mean_, m2_;
};

// Moments of paired samples (ref, alt): both means and variances, diff = alt - ref, their
// co-moment and the count of diff > 0.
class PairedMoments {
 public:
  explicit PairedMoments(std::vector<int64_t> shape);
  void add(int64_t k, int64_t offset, const at::Tensor& ref, const at::Tensor& alt);
  void add_rows(int64_t k, const at::Tensor& rows, const at::Tensor& ref, const at::Tensor& alt);

  struct Summary {
    at::Tensor ref_mean, ref_sd, alt_mean, alt_sd, diff_mean, diff_sd, cov, corr, p_diff_positive;
    // The reported statistics, in the order of paired_statistic_names() (cov is not reported).
    std::vector<at::Tensor> reported() const;
  };
  Summary summary(int64_t samples) const;
  const RunningMoments& diff() const { return diff_; }

 private:
  RunningMoments ref_, alt_, diff_;
  at::Tensor comoment_;   // sum (ref - mean_ref)(alt - mean_alt)
  at::Tensor positive_;   // count of diff > 0
};

// Names of the reported paired statistics, as output files and columns name them:
// ref_mean ref_sd alt_mean alt_sd diff_mean diff_sd corr p_diff_gt0.
const std::vector<std::string>& paired_statistic_names();

struct McPrediction {
  ModelOutput mean;
  ModelOutput sd;
};

// K MC-dropout passes of predict(); per-item mean and standard deviation of every output.
McPrediction predict_mc(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                        const PredictOptions& opts, const McOptions& mc);

}  // namespace seqnn
