#pragma once
// Output heads: which model output columns answer which target column, with what loss and what
// metrics. Several heads train one model: their masked losses are added (times their weight).
//   binary      one output, binary cross-entropy; metrics auroc, auprc, accuracy
//   multiclass  `classes` outputs, cross-entropy on the class index; metric accuracy
//   regression  one output, mean squared error; metrics pearson, spearman, mad (and auroc/auprc
//               of label >= auc_threshold when that is set, e.g. binders at 500 nM for MHC)
// Losses use the model's output activation: sigmoid/softmax outputs are clamped to [1e-7, 1-1e-7]
// before the log (as Keras does); "none" outputs are treated as logits (numerically stable form).
#include <ATen/core/Tensor.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/training/dataset.h"

namespace seqnn {

struct HeadSpec {
  std::string name;
  std::string kind = "binary";
  int64_t target = 0;   // target column of the data set
  int64_t classes = 0;  // multiclass only
  double weight = 1.0;
  double auc_threshold = std::numeric_limits<double>::quiet_NaN();
  int64_t outputs() const { return kind == "multiclass" ? classes : 1; }
};

// One head per target column: "binary" when every known value is 0 or 1, else "regression";
// kind "multiclass" makes class-index heads (classes = max index + 1). kind "auto" decides per column.
std::vector<HeadSpec> default_heads(const Dataset& data, const std::string& kind = "auto");
int64_t total_outputs(const std::vector<HeadSpec>& heads);
// sigmoid when every head is binary, softmax for a single multiclass head, else none.
std::string output_activation_for(const std::vector<HeadSpec>& heads);

// Per-head masked losses (each a mean over its known values) for a batch; output (N, outputs).
std::vector<at::Tensor> head_losses(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                    const at::Tensor& target, const at::Tensor& mask, const std::string& activation);
// Head predictions on the probability/value scale (sigmoid/softmax applied to logits).
at::Tensor head_predictions(const HeadSpec& head, int64_t offset, const at::Tensor& output, const std::string& activation);

// Metrics for all heads over collected outputs, targets and masks of one set: columns
// "<head>.<metric>" in head order.
std::vector<std::pair<std::string, double>> head_metrics(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                                         const at::Tensor& target, const at::Tensor& mask,
                                                         const std::string& activation);

}  // namespace seqnn
