#include "seqnn/training/heads.h"

#include <torch/torch.h>

#include <algorithm>

#include "seqnn/training/metrics.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

constexpr double kEps = 1e-7;

torch::Tensor masked_mean(const torch::Tensor& per_item, const torch::Tensor& mask) {
  return (per_item * mask).sum() / mask.sum().clamp_min(1.0);
}

void check_activation(const HeadSpec& h, const std::string& activation) {
  const bool ok = activation == "none" || (h.kind == "binary" && activation == "sigmoid") ||
                  (h.kind == "multiclass" && activation == "softmax") || h.kind == "regression";
  if (!ok) throw Error("head '" + h.name + "' (" + h.kind + ") cannot train on a model whose output activation is " + activation);
}

}  // namespace

std::vector<HeadSpec> default_heads(const Dataset& data, const std::string& kind) {
  std::vector<HeadSpec> heads;
  for (size_t t = 0; t < data.targets.size(); ++t) {
    HeadSpec h;
    h.name = data.targets[t];
    h.target = static_cast<int64_t>(t);
    bool binary = true;
    double max_value = 0;
    for (const auto& ex : data.examples) {
      if (ex.mask[t] == 0) continue;
      const float v = ex.target[t];
      binary = binary && (v == 0.f || v == 1.f);
      max_value = std::max<double>(max_value, v);
    }
    h.kind = kind == "auto" ? (binary ? "binary" : "regression") : kind;
    if (h.kind == "multiclass") {
      h.classes = static_cast<int64_t>(max_value) + 1;
      if (h.classes < 2) fail(data.source, "multiclass target '" + h.name + "' has fewer than two classes");
    } else if (h.kind != "binary" && h.kind != "regression") {
      throw Error("unknown task '" + kind + "' (auto, binary, multiclass, regression)");
    }
    heads.push_back(h);
  }
  if (heads.empty()) fail(data.source, "no target columns to train on");
  return heads;
}

int64_t total_outputs(const std::vector<HeadSpec>& heads) {
  int64_t n = 0;
  for (const auto& h : heads) n += h.outputs();
  return n;
}

std::string output_activation_for(const std::vector<HeadSpec>& heads) {
  bool all_binary = true;
  for (const auto& h : heads) all_binary = all_binary && h.kind == "binary";
  if (all_binary) return "sigmoid";
  if (heads.size() == 1 && heads[0].kind == "multiclass") return "softmax";
  return "none";
}

std::vector<at::Tensor> head_losses(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                    const at::Tensor& target, const at::Tensor& mask, const std::string& activation) {
  std::vector<at::Tensor> losses;
  int64_t offset = 0;
  for (const auto& h : heads) {
    check_activation(h, activation);
    torch::Tensor y = target.select(1, h.target);
    torch::Tensor m = mask.select(1, h.target);
    if (h.kind == "binary") {
      torch::Tensor out = output.select(1, offset);
      torch::Tensor l = activation == "sigmoid"
                            ? torch::binary_cross_entropy(out.clamp(kEps, 1 - kEps), y, {}, at::Reduction::None)
                            : torch::binary_cross_entropy_with_logits(out, y, {}, {}, at::Reduction::None);
      losses.push_back(masked_mean(l, m));
    } else if (h.kind == "multiclass") {
      torch::Tensor out = output.narrow(1, offset, h.classes);
      torch::Tensor logp = activation == "softmax" ? out.clamp(kEps, 1 - kEps).log() : torch::log_softmax(out, 1);
      torch::Tensor cls = (y * m).to(torch::kLong);  // masked rows pick class 0, then count 0
      torch::Tensor l = -logp.gather(1, cls.unsqueeze(1)).squeeze(1);
      losses.push_back(masked_mean(l, m));
    } else {
      torch::Tensor out = output.select(1, offset);
      losses.push_back(masked_mean((out - y).pow(2), m));
    }
    offset += h.outputs();
  }
  return losses;
}

at::Tensor head_predictions(const HeadSpec& h, int64_t offset, const at::Tensor& output, const std::string& activation) {
  if (h.kind == "multiclass") {
    torch::Tensor out = output.narrow(1, offset, h.classes);
    return activation == "none" ? torch::softmax(out, 1) : out;
  }
  torch::Tensor out = output.select(1, offset);
  return h.kind == "binary" && activation == "none" ? torch::sigmoid(out) : out;
}

std::vector<std::pair<std::string, double>> head_metrics(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                                         const at::Tensor& target, const at::Tensor& mask,
                                                         const std::string& activation) {
  std::vector<std::pair<std::string, double>> out;
  int64_t offset = 0;
  for (const auto& h : heads) {
    torch::Tensor pred = head_predictions(h, offset, output, activation);
    const std::vector<double> y = to_double_vector(target.select(1, h.target));
    const std::vector<double> m = to_double_vector(mask.select(1, h.target));
    std::vector<std::pair<std::string, double>> values;
    if (h.kind == "binary") {
      values = binary_metrics(to_double_vector(pred), y, m);
    } else if (h.kind == "regression") {
      const std::vector<double> s = to_double_vector(pred);
      values = regression_metrics(s, y, m);
      if (!std::isnan(h.auc_threshold)) {
        // Targets are float32: compare with the threshold in float too, so a value exactly at
        // the threshold (e.g. IC50 = 500 nM) counts as positive however it was rounded.
        const double thr = static_cast<float>(h.auc_threshold);
        std::vector<double> cls(y.size());
        for (size_t i = 0; i < y.size(); ++i) cls[i] = y[i] >= thr ? 1.0 : 0.0;
        values.emplace_back("auroc", auroc(s, cls, m));
        values.emplace_back("auprc", auprc(s, cls, m));
      }
    } else {
      std::vector<double> scores, kept_scores;
      std::vector<int64_t> labels;
      scores = to_double_vector(pred);
      for (size_t i = 0; i < y.size(); ++i) {
        if (m[i] == 0) continue;
        labels.push_back(static_cast<int64_t>(y[i]));
        kept_scores.insert(kept_scores.end(), scores.begin() + static_cast<std::ptrdiff_t>(i * h.classes),
                           scores.begin() + static_cast<std::ptrdiff_t>((i + 1) * h.classes));
      }
      values = {{"accuracy", multiclass_accuracy(kept_scores, h.classes, labels)}};
    }
    for (auto& kv : values) out.emplace_back(h.name + "." + kv.first, kv.second);
    offset += h.outputs();
  }
  return out;
}

}  // namespace seqnn
