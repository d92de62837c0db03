#include "seqnn/mutagenesis/variant_effect.h"

#include <torch/torch.h>

#include "mutagenesis/pairs_incremental.h"
#include "mutagenesis/strands.h"
#include "seqnn/inference/batch_runner.h"
#include "seqnn/util/error.h"

namespace seqnn {

namespace strands {

at::Tensor reverse_strand(const at::Tensor& x) { return x.flip({1, 2}); }

ModelOutput combine_strands(const ModelOutput& fwd, const ModelOutput& rev, StrandCombine rc) {
  std::vector<at::Tensor> out;
  for (size_t j = 0; j < fwd.size(); ++j) {
    out.push_back(rc == StrandCombine::kMean ? (fwd[j] + rev[j]) / 2 : torch::maximum(fwd[j], rev[j]));
  }
  return fwd.with(std::move(out));
}

}  // namespace strands

namespace {
using strands::combine_strands;
using strands::reverse_strand;

void check_pair_shapes(const at::Tensor& ref, const at::Tensor& alt) {
  if (ref.sizes() != alt.sizes()) {
    throw Error("reference and alternative inputs differ in shape: " + c10::str(ref.sizes()) + " vs " +
                c10::str(alt.sizes()));
  }
  if (ref.dim() == 0 || ref.size(0) == 0) throw Error("no sequence pairs to predict");
}

// Rows [start, start + n) of x, padded to `rows` rows by repeating the last one.
at::Tensor padded_rows(const at::Tensor& x, int64_t start, int64_t n, int64_t rows) {
  at::Tensor part = x.narrow(0, start, n);
  if (n == rows) return part;
  std::vector<int64_t> shape = part.sizes().vec();
  shape[0] = rows - n;
  return torch::cat({part, part.narrow(0, n - 1, 1).expand(shape)});
}

// One prediction of x, strand-combined when asked. Progress counts forward passes over rows.
ModelOutput predict_strands(Model& model, const at::Tensor& x, const PredictOptions& opts, StrandCombine rc) {
  ModelOutput fwd = predict(model, x, {}, opts);
  if (rc == StrandCombine::kNone) return fwd;
  return combine_strands(fwd, predict(model, reverse_strand(x), {}, opts), rc);
}

// One MC forward pass of a batch: seeded for (sample, stream), and for the reverse strand with
// stream + 2, so forward and reverse passes draw different masks.
ModelOutput mc_forward(BatchRunner& runner, const at::Tensor& batch, uint64_t seed, int64_t k, int64_t stream,
                       StrandCombine rc) {
  seed_dropout(seed, k, stream);
  ModelOutput fwd = runner.forward(batch);
  if (rc == StrandCombine::kNone) return fwd;
  seed_dropout(seed, k, stream + 2);
  ModelOutput rev = runner.forward(reverse_strand(batch));
  return combine_strands(fwd, rev, rc);
}

}  // namespace

StrandCombine parse_strand_combine(const std::string& name) {
  if (name == "none") return StrandCombine::kNone;
  if (name == "mean") return StrandCombine::kMean;
  if (name == "max") return StrandCombine::kMax;
  throw Error("--rc " + name + ": choose none, mean or max");
}

PairPredictor::PairPredictor(Model& model, PredictOptions opts, StrandCombine rc, IsmEngine engine)
    : model_(model), opts_(std::move(opts)), rc_(rc), engine_(engine), snvs_(std::make_unique<SnvPairEngine>()) {}

PairPredictor::~PairPredictor() = default;

PairedPrediction PairPredictor::operator()(const at::Tensor& ref, const at::Tensor& alt) {
  check_pair_shapes(ref, alt);
  if (engine_ != IsmEngine::kNaive) {
    if (auto out = snvs_->predict(model_, ref, alt, opts_, rc_)) return std::move(*out);
    if (engine_ == IsmEngine::kIncremental && !snvs_->why_not().empty()) {
      throw Error("the incremental engine cannot run: " + snvs_->why_not());
    }
  }
  PredictOptions quiet = opts_;
  quiet.progress = nullptr;
  PairedPrediction out;
  out.ref = predict_strands(model_, ref, quiet, rc_);
  if (opts_.progress) opts_.progress(ref.size(0), 2 * ref.size(0));
  out.alt = predict_strands(model_, alt, quiet, rc_);
  if (opts_.progress) opts_.progress(2 * ref.size(0), 2 * ref.size(0));
  if (engine_ == IsmEngine::kAuto) out.engine_note = snvs_->why_not();
  return out;
}

PairedPrediction predict_pairs(Model& model, const at::Tensor& ref, const at::Tensor& alt, const PredictOptions& opts,
                               StrandCombine rc, IsmEngine engine) {
  return PairPredictor(model, opts, rc, engine)(ref, alt);
}

std::vector<PairedMoments::Summary> predict_pairs_mc(Model& model, const at::Tensor& ref, const at::Tensor& alt,
                                                     const PredictOptions& opts, const McOptions& mc,
                                                     StrandCombine rc) {
  check_pair_shapes(ref, alt);
  if (!mc.enabled()) throw Error("predict_pairs_mc: --mc-samples must be positive");
  if (opts.batch_size <= 0) throw Error("batch size must be positive");
  const int64_t N = ref.size(0), B = opts.batch_size;
  // Streams: alternative 0 (reverse strand 2); reference the same when paired, else 1 (3).
  const int64_t ref_stream = mc.pairing == McPairing::kPaired ? 0 : 1;
  BatchRunner runner(model, opts, DropoutSampling::kOn);
  std::vector<PairedMoments> moments;
  for (int64_t k = 1; k <= mc.samples; ++k) {
    auto pair_step = [&](int64_t start, int64_t n) {
      // Full-size batches: the same seed and shape give the same masks row by row.
      ModelOutput r = mc_forward(runner, padded_rows(ref, start, n, B), mc.seed, k, ref_stream, rc);
      ModelOutput a = mc_forward(runner, padded_rows(alt, start, n, B), mc.seed, k, 0, rc);
      if (moments.empty()) {
        for (const auto& t : r.tensors) {
          std::vector<int64_t> shape = t.sizes().vec();
          shape[0] = N;
          moments.emplace_back(shape);
        }
      }
      for (size_t j = 0; j < r.size(); ++j) {
        moments[j].add(k, start, r[j].narrow(0, 0, n).to(torch::kCPU), a[j].narrow(0, 0, n).to(torch::kCPU));
      }
    };
    for_each_batch(N, B, pair_step, [&](int64_t done, int64_t) {
      if (opts.progress) opts.progress((k - 1) * N + done, mc.samples * N);
    });
  }
  std::vector<PairedMoments::Summary> out;
  for (const auto& m : moments) out.push_back(m.summary(mc.samples));
  return out;
}

const std::vector<std::string>& variant_score_names() {
  static const std::vector<std::string> names = {"ref", "alt", "diff", "abs_diff", "logit_diff", "log2fc"};
  return names;
}

bool is_variant_score(const std::string& name) {
  for (const auto& n : variant_score_names()) {
    if (n == name) return true;
  }
  return false;
}

at::Tensor variant_score(const std::string& name, const at::Tensor& ref, const at::Tensor& alt) {
  const double eps = 1e-6;
  if (name == "ref") return ref;
  if (name == "alt") return alt;
  if (name == "diff") return alt - ref;
  if (name == "abs_diff") return (alt - ref).abs();
  if (name == "logit_diff") {
    auto logit = [&](const at::Tensor& p) {
      at::Tensor q = p.clamp(eps, 1 - eps);
      return torch::log(q) - torch::log1p(-q);
    };
    return logit(alt) - logit(ref);
  }
  if (name == "log2fc") return torch::log2((alt + eps) / (ref + eps));
  throw Error("unknown score '" + name + "' (choose ref, alt, diff, abs_diff, logit_diff, log2fc)");
}

}  // namespace seqnn
