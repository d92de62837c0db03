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

#include "seqnn/models/layer_config.h"
#include "seqnn/training/dataset.h"
#include "seqnn/util/enum_names.h"

namespace seqnn {

enum class HeadKind { kBinary, kMulticlass, kRegression };
// The "task" setting: one kind for every head, or kAuto (decided per target column).
enum class HeadTask { kAuto, kBinary, kMulticlass, kRegression };
const std::vector<EnumName<HeadKind>>& head_kind_names();  // "binary", "multiclass", "regression"
const std::vector<EnumName<HeadTask>>& head_task_names();  // "auto", "binary", "multiclass", "regression"
inline const char* name_of(HeadKind k) { return enum_name(k, head_kind_names()); }

struct HeadSpec {
  std::string name;
  HeadKind kind = HeadKind::kBinary;
  int64_t target = 0;   // target column of the data set
  int64_t classes = 0;  // multiclass only
  double weight = 1.0;
  double auc_threshold = std::numeric_limits<double>::quiet_NaN();
  int64_t outputs() const { return kind == HeadKind::kMulticlass ? classes : 1; }
};

// One head per target column: binary when every known value is 0 or 1, else regression; task
// multiclass makes class-index heads (classes = max index + 1). kAuto decides per column.
std::vector<HeadSpec> default_heads(const Dataset& data, HeadTask task = HeadTask::kAuto);
int64_t total_outputs(const std::vector<HeadSpec>& heads);
// sigmoid when every head is binary, softmax for a single multiclass head, else none.
Activation output_activation_for(const std::vector<HeadSpec>& heads);

// Per-head masked losses (each a mean over its known values) for a batch; output (N, outputs).
// Throws seqnn::Error when a head cannot train on `activation` (e.g. a binary head on softmax).
std::vector<at::Tensor> head_losses(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                    const at::Tensor& target, const at::Tensor& mask, Activation activation);
// Head predictions on the probability/value scale (sigmoid/softmax applied to logits).
at::Tensor head_predictions(const HeadSpec& head, int64_t offset, const at::Tensor& output, Activation activation);

// Metrics for all heads over collected outputs, targets and masks of one set: columns
// "<head>.<metric>" in head order.
std::vector<std::pair<std::string, double>> head_metrics(const std::vector<HeadSpec>& heads, const at::Tensor& output,
                                                         const at::Tensor& target, const at::Tensor& mask,
                                                         Activation activation);

}  // namespace seqnn
