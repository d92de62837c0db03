#include "seqnn/inference/mc_dropout.h"

#include <torch/torch.h>

#include <limits>

#include "seqnn/inference/batch_runner.h"
#include "seqnn/util/error.h"
#include "seqnn/util/seed_mix.h"

namespace seqnn {
namespace {

at::Tensor zeros64(const std::vector<int64_t>& shape) { return torch::zeros(shape, torch::kFloat64); }

}  // namespace

McPairing parse_mc_pairing(const std::string& name) {
  if (name == "paired") return McPairing::kPaired;
  if (name == "independent") return McPairing::kIndependent;
  throw Error("--mc-pairing " + name + ": choose paired or independent");
}

McDropoutGuard::McDropoutGuard(Model& model, const std::string& device, std::optional<at::ScalarType> dtype)
    : state_(model, device, dtype), layers_(model.enable_mc_dropout()) {}

McDropoutGuard::~McDropoutGuard() = default;  // ModelStateGuard restores the mode

void seed_dropout(uint64_t seed, int64_t sample, int64_t stream) {
  const uint64_t s = splitmix64(splitmix64(splitmix64(seed) ^ static_cast<uint64_t>(sample)) ^
                                static_cast<uint64_t>(stream));
  // Generators take 63-bit seeds reliably across LibTorch versions.
  torch::manual_seed(s >> 1);
}

RunningMoments::RunningMoments(std::vector<int64_t> shape) : mean_(zeros64(shape)), m2_(zeros64(shape)) {}

void RunningMoments::add(int64_t k, int64_t offset, const at::Tensor& x) {
  add_rows(k, torch::arange(offset, offset + x.size(0), torch::kLong), x);
}

// Welford: mean_k = mean_{k-1} + (x - mean_{k-1}) / k;  M2_k = M2_{k-1} + (x - mean_{k-1})(x - mean_k).
void RunningMoments::add_rows(int64_t k, const at::Tensor& rows, const at::Tensor& x) {
  at::Tensor v = x.to(torch::kFloat64);
  at::Tensor old_mean = mean_.index_select(0, rows);
  at::Tensor delta = v - old_mean;
  at::Tensor new_mean = old_mean + delta / static_cast<double>(k);
  mean_.index_copy_(0, rows, new_mean);
  m2_.index_add_(0, rows, delta * (v - new_mean));
}

at::Tensor RunningMoments::sd(int64_t samples) const {
  if (samples < 2) return torch::zeros_like(m2_);
  return (m2_ / static_cast<double>(samples - 1)).clamp_min(0).sqrt();
}

PairedMoments::PairedMoments(std::vector<int64_t> shape)
    : ref_(shape), alt_(shape), diff_(shape), comoment_(zeros64(shape)), positive_(zeros64(shape)) {}

void PairedMoments::add(int64_t k, int64_t offset, const at::Tensor& ref, const at::Tensor& alt) {
  add_rows(k, torch::arange(offset, offset + ref.size(0), torch::kLong), ref, alt);
}

// Co-moment update: C_k = C_{k-1} + (ref - mean_ref_{k-1})(alt - mean_alt_k).
void PairedMoments::add_rows(int64_t k, const at::Tensor& rows, const at::Tensor& ref, const at::Tensor& alt) {
  at::Tensor r = ref.to(torch::kFloat64), a = alt.to(torch::kFloat64);
  at::Tensor dr = r - ref_.mean().index_select(0, rows);
  ref_.add_rows(k, rows, r);
  alt_.add_rows(k, rows, a);
  diff_.add_rows(k, rows, a - r);
  comoment_.index_add_(0, rows, dr * (a - alt_.mean().index_select(0, rows)));
  positive_.index_add_(0, rows, (a > r).to(torch::kFloat64));
}

PairedMoments::Summary PairedMoments::summary(int64_t samples) const {
  Summary s;
  s.ref_mean = ref_.mean();
  s.alt_mean = alt_.mean();
  s.diff_mean = diff_.mean();
  s.ref_sd = ref_.sd(samples);
  s.alt_sd = alt_.sd(samples);
  s.diff_sd = diff_.sd(samples);
  s.cov = samples < 2 ? torch::zeros_like(comoment_) : comoment_ / static_cast<double>(samples - 1);
  at::Tensor denom = s.ref_sd * s.alt_sd;
  s.corr = torch::where(denom > 0, s.cov / denom, torch::full_like(denom, std::numeric_limits<double>::quiet_NaN()));
  s.p_diff_positive = positive_ / static_cast<double>(samples);
  return s;
}

std::vector<at::Tensor> PairedMoments::Summary::reported() const {
  return {ref_mean, ref_sd, alt_mean, alt_sd, diff_mean, diff_sd, corr, p_diff_positive};
}

const std::vector<std::string>& paired_statistic_names() {
  static const std::vector<std::string> names = {"ref_mean", "ref_sd",  "alt_mean", "alt_sd",
                                                 "diff_mean", "diff_sd", "corr",     "p_diff_gt0"};
  return names;
}

McPrediction predict_mc(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                        const PredictOptions& opts, const McOptions& mc) {
  if (!mc.enabled()) throw Error("predict_mc: --mc-samples must be positive");
  if (opts.batch_size <= 0) throw Error("predict: batch size must be positive");
  const int64_t N = X.size(0);
  if (N == 0) throw Error("predict: no sequences");
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].dim() == 0 || args[i].size(0) != N) {
      throw Error("predict: argument " + std::to_string(i + 1) + " is not aligned with X");
    }
  }
  BatchRunner runner(model, opts, DropoutSampling::kOn);
  ModelOutput structure;
  std::vector<RunningMoments> moments;
  for (int64_t k = 1; k <= mc.samples; ++k) {
    runner.run(
        N, opts.batch_size,
        [&](int64_t start, int64_t n) {
          ModelBatch batch{X.narrow(0, start, n), {}};
          for (const auto& a : args) batch.args.push_back(a.narrow(0, start, n));
          seed_dropout(mc.seed, k, 0);
          return batch;
        },
        [&](int64_t start, int64_t, const ModelOutput& out) {
          if (moments.empty()) {
            structure = out.with({});
            for (const auto& t : out.tensors) {
              auto shape = t.sizes().vec();
              shape[0] = N;
              moments.emplace_back(shape);
            }
          }
          for (size_t j = 0; j < out.size(); ++j) moments[j].add(k, start, out[j].to(torch::kCPU));
        },
        [&](int64_t done, int64_t) {
          if (opts.progress) opts.progress((k - 1) * N + done, mc.samples * N);
        });
  }
  McPrediction result{structure.with({}), structure.with({})};
  for (auto& m : moments) {
    result.mean.tensors.push_back(m.mean().to(torch::kFloat32));
    result.sd.tensors.push_back(m.sd(mc.samples).to(torch::kFloat32));
  }
  return result;
}

}  // namespace seqnn
