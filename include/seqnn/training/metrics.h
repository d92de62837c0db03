#pragma once
// Evaluation metrics over (score, label[, mask]) vectors. Definitions follow scikit-learn / SciPy
// so numbers can be compared with published pipelines (checked against fixtures made with
// sklearn 1.2 in tests/fixtures/training/metrics_cases.json):
//   auroc     = sklearn.metrics.roc_auc_score (ties between a positive and a negative count 1/2)
//   auprc     = sklearn.metrics.average_precision_score (step-wise, no interpolation)
//   accuracy  = fraction with (score >= threshold) == (label >= 0.5)
//   pearson   = scipy.stats.pearsonr, spearman = scipy.stats.spearmanr (ties get average ranks)
//   mad       = mean |score - label|
// Binary labels are 0/1 (anything >= 0.5 counts as positive). A mask entry of 0 drops that
// element; other values keep it. Undefined results (one class only for auROC/auPRC, a constant
// vector for correlations, no elements at all) are NaN rather than an exception, so one
// degenerate head does not abort an epoch. Mismatched lengths throw seqnn::Error.
#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace seqnn {

double auroc(const std::vector<double>& score, const std::vector<double>& label);
double auprc(const std::vector<double>& score, const std::vector<double>& label);
double accuracy(const std::vector<double>& score, const std::vector<double>& label, double threshold = 0.5);
double pearson(const std::vector<double>& score, const std::vector<double>& label);
double spearman(const std::vector<double>& score, const std::vector<double>& label);
double mean_abs_diff(const std::vector<double>& score, const std::vector<double>& label);

double auroc(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask);
double auprc(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask);
double accuracy(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask,
                double threshold = 0.5);
double pearson(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask);
double spearman(const std::vector<double>& score, const std::vector<double>& label, const std::vector<double>& mask);
double mean_abs_diff(const std::vector<double>& score, const std::vector<double>& label,
                     const std::vector<double>& mask);

// Fraction of rows whose largest score is at the label's class. scores is row-major (N, C).
double multiclass_accuracy(const std::vector<double>& scores, int64_t classes, const std::vector<int64_t>& label);

// Ranks 1..n with ties averaged (as scipy.stats.rankdata(method="average")).
std::vector<double> average_ranks(const std::vector<double>& values);

// Keeps the elements whose mask is non-zero (all three must have the same length).
std::pair<std::vector<double>, std::vector<double>> apply_mask(const std::vector<double>& score,
                                                               const std::vector<double>& label,
                                                               const std::vector<double>& mask);

// Any tensor, flattened, as doubles (moved to CPU) - for calling the functions above on tensors.
std::vector<double> to_double_vector(const at::Tensor& t);

// The metrics a head reports: "binary" (auroc, auprc, accuracy), "regression" (pearson,
// spearman, mad). Multi-class heads report "accuracy" via multiclass_accuracy.
std::vector<std::pair<std::string, double>> binary_metrics(const std::vector<double>& score,
                                                           const std::vector<double>& label,
                                                           const std::vector<double>& mask = {});
std::vector<std::pair<std::string, double>> regression_metrics(const std::vector<double>& score,
                                                               const std::vector<double>& label,
                                                               const std::vector<double>& mask = {});

}  // namespace seqnn
