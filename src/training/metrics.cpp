#include "seqnn/training/metrics.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_sizes(const std::vector<double>& a, const std::vector<double>& b, const char* what) {
  if (a.size() != b.size()) {
    throw Error(std::string(what) + ": " + std::to_string(a.size()) + " scores but " + std::to_string(b.size()) +
                " labels");
  }
}

bool positive(double label) { return label >= 0.5; }

// Indices sorted by descending score (stable, so equal scores keep input order).
std::vector<size_t> order_descending(const std::vector<double>& score) {
  std::vector<size_t> idx(score.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  return idx;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> idx(values.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && values[idx[j + 1]] == values[idx[i]]) ++j;
    const double r = 0.5 * static_cast<double>(i + j) + 1.0;  // mean of ranks i+1 .. j+1
    for (size_t k = i; k <= j; ++k) ranks[idx[k]] = r;
    i = j + 1;
  }
  return ranks;
}

double auroc(const std::vector<double>& score, const std::vector<double>& label) {
  check_sizes(score, label, "auroc");
  // Mann-Whitney U from average ranks: equal to the trapezoidal ROC area sklearn computes.
  const std::vector<double> ranks = average_ranks(score);
  double pos = 0, rank_sum = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    if (positive(label[i])) {
      pos += 1;
      rank_sum += ranks[i];
    }
  }
  const double neg = static_cast<double>(label.size()) - pos;
  if (pos == 0 || neg == 0) return kNaN;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

double auprc(const std::vector<double>& score, const std::vector<double>& label) {
  check_sizes(score, label, "auprc");
  double total_pos = 0;
  for (double l : label) total_pos += positive(l) ? 1 : 0;
  if (total_pos == 0) return kNaN;
  // sklearn: one point per distinct threshold; AP = sum (R_k - R_{k-1}) * P_k.
  const std::vector<size_t> idx = order_descending(score);
  double tp = 0, fp = 0, prev_recall = 0, ap = 0;
  for (size_t i = 0; i < idx.size(); ++i) {
    if (positive(label[idx[i]])) tp += 1; else fp += 1;
    const bool last_of_tie = i + 1 == idx.size() || score[idx[i + 1]] != score[idx[i]];
    if (!last_of_tie) continue;
    const double recall = tp / total_pos;
    ap += (recall - prev_recall) * (tp / (tp + fp));
    prev_recall = recall;
  }
  return ap;
}

double accuracy(const std::vector<double>& score, const std::vector<double>& label, double threshold) {
  check_sizes(score, label, "accuracy");
  if (score.empty()) return kNaN;
  double right = 0;
  for (size_t i = 0; i < score.size(); ++i) right += (score[i] >= threshold) == positive(label[i]) ? 1 : 0;
  return right / score.size();
}

double pearson(const std::vector<double>& score, const std::vector<double>& label) {
  check_sizes(score, label, "pearson");
  if (score.size() < 2) return kNaN;
  const double ms = mean(score), ml = mean(label);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < score.size(); ++i) {
    const double dx = score[i] - ms, dy = label[i] - ml;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) return kNaN;
  return std::max(-1.0, std::min(1.0, sxy / std::sqrt(sxx * syy)));
}

double spearman(const std::vector<double>& score, const std::vector<double>& label) {
  check_sizes(score, label, "spearman");
  return pearson(average_ranks(score), average_ranks(label));
}

double mean_abs_diff(const std::vector<double>& score, const std::vector<double>& label) {
  check_sizes(score, label, "mean_abs_diff");
  if (score.empty()) return kNaN;
  double s = 0;
  for (size_t i = 0; i < score.size(); ++i) s += std::fabs(score[i] - label[i]);
  return s / score.size();
}

std::pair<std::vector<double>, std::vector<double>> apply_mask(const std::vector<double>& score,
                                                               const std::vector<double>& label,
                                                               const std::vector<double>& mask) {
  check_sizes(score, label, "metric");
  if (mask.empty()) return {score, label};
  if (mask.size() != score.size()) {
    throw Error("metric: mask has " + std::to_string(mask.size()) + " entries for " + std::to_string(score.size()) +
                " scores");
  }
  std::pair<std::vector<double>, std::vector<double>> out;
  for (size_t i = 0; i < score.size(); ++i) {
    if (mask[i] == 0) continue;
    out.first.push_back(score[i]);
    out.second.push_back(label[i]);
  }
  return out;
}

#define SEQNN_MASKED(fn)                                                                                      \
  double fn(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask) { \
    auto kept = apply_mask(score, label, mask);                                                               \
    return fn(kept.first, kept.second);                                                                       \
  }
SEQNN_MASKED(auroc)
SEQNN_MASKED(auprc)
SEQNN_MASKED(pearson)
SEQNN_MASKED(spearman)
SEQNN_MASKED(mean_abs_diff)
#undef SEQNN_MASKED

double accuracy(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask,
                double threshold) {
  auto kept = apply_mask(score, label, mask);
  return accuracy(kept.first, kept.second, threshold);
}

double multiclass_accuracy(const std::vector<double>& scores, int64_t classes, const std::vector<int64_t>& label) {
  if (classes <= 0 || scores.size() != label.size() * static_cast<size_t>(classes)) {
    throw Error("multiclass_accuracy: " + std::to_string(scores.size()) + " scores do not form " +
                std::to_string(label.size()) + " rows of " + std::to_string(classes) + " classes");
  }
  if (label.empty()) return kNaN;
  double right = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    auto row = scores.begin() + static_cast<std::ptrdiff_t>(i * classes);
    const int64_t best = std::max_element(row, row + classes) - row;  // first maximum, like argmax
    right += best == label[i] ? 1 : 0;
  }
  return right / label.size();
}

std::vector<double> to_double_vector(const at::Tensor& t) {
  at::Tensor c = t.detach().to(at::kCPU, at::kDouble).contiguous().flatten();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

std::vector<std::pair<std::string, double>> binary_metrics(const std::vector<double>& score,
                                                           const std::vector<double>& label,
                                                           const std::vector<double>& mask) {
  auto kept = apply_mask(score, label, mask);
  return {{"auroc", auroc(kept.first, kept.second)},
          {"auprc", auprc(kept.first, kept.second)},
          {"accuracy", accuracy(kept.first, kept.second)}};
}

std::vector<std::pair<std::string, double>> regression_metrics(const std::vector<double>& score,
                                                               const std::vector<double>& label,
                                                               const std::vector<double>& mask) {
  auto kept = apply_mask(score, label, mask);
  return {{"pearson", pearson(kept.first, kept.second)},
          {"spearman", spearman(kept.first, kept.second)},
          {"mad", mean_abs_diff(kept.first, kept.second)}};
}

}  // namespace seqnn
