#include "seqnn/training/heads.h"

#include <torch/torch.h>

#include <algorithm>

#include "seqnn/training/metrics.h"
#include "seqnn/util/error.h"

namespace seqnn {

const std::vector<EnumName<HeadKind>>& head_kind_names() {
  static const std::vector<EnumName<HeadKind>> names = {
      {HeadKind::kBinary, "binary"}, {HeadKind::kMulticlass, "multiclass"}, {HeadKind::kRegression, "regression"}};
  return names;
}

const std::vector<EnumName<HeadTask>>& head_task_names() {
  static const std::vector<EnumName<HeadTask>> names = {{HeadTask::kAuto, "auto"},
                                                        {HeadTask::kBinary, "binary"},
                                                        {HeadTask::kMulticlass, "multiclass"},
                                                        {HeadTask::kRegression, "regression"}};
  return names;
}

namespace {

constexpr double kHeadClampEps = 1e-7;

torch::Tensor masked_head_mean(const torch::Tensor& per_item, const torch::Tensor& mask) {
  return (per_item * mask).sum() / mask.sum().clamp_min(1.0);
}

void check_head_activation(const HeadSpec& h, Activation activation) {
  const bool ok = activation == Activation::kNone || h.kind == HeadKind::kRegression ||
                  (h.kind == HeadKind::kBinary && activation == Activation::kSigmoid) ||
                  (h.kind == HeadKind::kMulticlass && activation == Activation::kSoftmax);
  if (!ok) {
    throw Error("head '" + h.name + "' (" + name_of(h.kind) + ") cannot train on a model whose output activation is " +
                name_of(activation));
  }
}

// The kind task `task` gives a column (`binary`: its known values are all 0 or 1).
HeadKind kind_for_column(HeadTask task, bool binary) {
  switch (task) {
    case HeadTask::kAuto:
      return binary ? HeadKind::kBinary : HeadKind::kRegression;
    case HeadTask::kBinary:
      return HeadKind::kBinary;
    case HeadTask::kMulticlass:
      return HeadKind::kMulticlass;
    case HeadTask::kRegression:
      return HeadKind::kRegression;
  }
  throw Error("internal error: unhandled head task");
}

torch::Tensor head_loss(const HeadSpec& h, const torch::Tensor& output, int64_t offset, const torch::Tensor& y,
                        const torch::Tensor& m, Activation activation) {
  switch (h.kind) {
    case HeadKind::kBinary: {
      torch::Tensor out = output.select(1, offset);
      torch::Tensor l = activation == Activation::kSigmoid
                            ? torch::binary_cross_entropy(out.clamp(kHeadClampEps, 1 - kHeadClampEps), y, {}, at::Reduction::None)
                            : torch::binary_cross_entropy_with_logits(out, y, {}, {}, at::Reduction::None);
      return masked_head_mean(l, m);
    }
    case HeadKind::kMulticlass: {
      torch::Tensor out = output.narrow(1, offset, h.classes);
      torch::Tensor logp = activation == Activation::kSoftmax ? out.clamp(kHeadClampEps, 1 - kHeadClampEps).log()
                                                              : torch::log_softmax(out, 1);
      torch::Tensor cls = (y * m).to(torch::kLong);  // masked rows pick class 0, then count 0
      return masked_head_mean(-logp.gather(1, cls.unsqueeze(1)).squeeze(1), m);
    }
    case HeadKind::kRegression:
      return masked_head_mean((output.select(1, offset) - y).pow(2), m);
  }
  throw Error("internal error: unhandled head kind");
}

// Regression metrics, plus auROC/auPRC of label >= auc_threshold when the head sets one.
std::vector<std::pair<std::string, double>> regression_head_metrics(const HeadSpec& h, const std::vector<double>& s,
                                                                    const std::vector<double>& y,
                                                                    const std::vector<double>& m) {
  std::vector<std::pair<std::string, double>> values = regression_metrics(s, y, m);
  if (std::isnan(h.auc_threshold)) return values;
  // Targets are float32: compare with the threshold in float too, so a value exactly at the
  // threshold (e.g. IC50 = 500 nM) counts as positive however it was rounded.
  const double thr = static_cast<float>(h.auc_threshold);
  std::vector<double> cls(y.size());
  for (size_t i = 0; i < y.size(); ++i) cls[i] = y[i] >= thr ? 1.0 : 0.0;
  values.emplace_back("auroc", auroc(s, cls, m));
  values.emplace_back("auprc", auprc(s, cls, m));
  return values;
}

// Accuracy over the known rows of a (N, classes) score matrix, flattened row by row in `scores`.
std::vector<std::pair<std::string, double>> multiclass_head_metrics(const HeadSpec& h, const std::vector<double>& scores,
                                                                    const std::vector<double>& y,
                                                                    const std::vector<double>& m) {
  std::vector<double> kept_scores;
  std::vector<int64_t> labels;
  for (size_t i = 0; i < y.size(); ++i) {
    if (m[i] == 0) continue;
    labels.push_back(static_cast<int64_t>(y[i]));
    kept_scores.insert(kept_scores.end(), scores.begin() + static_cast<std::ptrdiff_t>(i * h.classes),
                       scores.begin() + static_cast<std::ptrdiff_t>((i + 1) * h.classes));
  }
  return {{"accuracy", multiclass_accuracy(kept_scores, h.classes, labels)}};
}

}  // namespace

std::vector<HeadSpec> default_heads(const Dataset& data, HeadTask task) {
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
    h.kind = kind_for_column(task, binary);
    // Class indices 0, 1, 2, ... are categories, not a quantity to regress on.
    if (task == HeadTask::kAuto && data.class_indices && !binary) h.kind = HeadKind::kMulticlass;
    if (h.kind == HeadKind::kMulticlass) {
      h.classes = static_cast<int64_t>(max_value) + 1;
      if (h.classes < 2) fail(data.source, "multiclass target '" + h.name + "' has fewer than two classes");
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

Activation output_activation_for(const std::vector<HeadSpec>& heads) {
  bool all_binary = true;
  for (const auto& h : heads) all_binary = all_binary && h.kind == HeadKind::kBinary;
  if (all_binary) return Activation::kSigmoid;
  if (heads.size() == 1 && heads[0].kind == HeadKind::kMulticlass) return Activation::kSoftmax;
  return Activation::kNone;
}

std::vector<at::Tensor> head_losses(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                    const at::Tensor& target, const at::Tensor& mask, Activation activation) {
  std::vector<at::Tensor> losses;
  int64_t offset = 0;
  for (const auto& h : heads) {
    check_head_activation(h, activation);
    losses.push_back(head_loss(h, output, offset, target.select(1, h.target), mask.select(1, h.target), activation));
    offset += h.outputs();
  }
  return losses;
}

at::Tensor head_predictions(const HeadSpec& h, int64_t offset, const at::Tensor& output, Activation activation) {
  if (h.kind == HeadKind::kMulticlass) {
    torch::Tensor out = output.narrow(1, offset, h.classes);
    return activation == Activation::kNone ? torch::softmax(out, 1) : out;
  }
  torch::Tensor out = output.select(1, offset);
  return h.kind == HeadKind::kBinary && activation == Activation::kNone ? torch::sigmoid(out) : out;
}

std::vector<std::pair<std::string, double>> head_metrics(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                                         const at::Tensor& target, const at::Tensor& mask,
                                                         Activation activation) {
  std::vector<std::pair<std::string, double>> out;
  int64_t offset = 0;
  for (const auto& h : heads) {
    const std::vector<double> pred = to_double_vector(head_predictions(h, offset, output, activation));
    const std::vector<double> y = to_double_vector(target.select(1, h.target));
    const std::vector<double> m = to_double_vector(mask.select(1, h.target));
    std::vector<std::pair<std::string, double>> values;
    switch (h.kind) {
      case HeadKind::kBinary:
        values = binary_metrics(pred, y, m);
        break;
      case HeadKind::kRegression:
        values = regression_head_metrics(h, pred, y, m);
        break;
      case HeadKind::kMulticlass:
        values = multiclass_head_metrics(h, pred, y, m);
        break;
    }
    for (auto& kv : values) out.emplace_back(h.name + "." + kv.first, kv.second);
    offset += h.outputs();
  }
  return out;
}

}  // namespace seqnn
