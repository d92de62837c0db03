#pragma once
// `seqnn evaluate`: a trained model on labelled data it was not trained on, with the metrics the
// trainers report (binary: auroc, auprc, accuracy; regression: spearman, pearson, ...; multiclass:
// accuracy). The data are read with the training settings' own keys, so a test set is given the
// way a training set is (`--positives P --negatives N`, `--fasta F --labels L`, `--table T ...`).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace seqnn {

struct EvaluateRequest {
  std::string model;                  // a native model file (seqnn train's model_best.pt)
  std::string data_settings_json = "{}";  // training settings naming the data, e.g. {"positives": ...}
  int64_t batch_size = 256;
  std::string out;                    // optional predictions TSV (write_predictions_table's columns)
  std::string device = "cpu";
};

struct EvaluateResult {
  std::vector<std::pair<std::string, double>> metrics;  // "<head>.<metric>", plus "loss"
  int64_t rows = 0;
  std::string source;  // the data set's description
};

// Throws seqnn::Error naming the file when the data do not fit the model (alphabet letters,
// length beyond a fixed-input model, number of outputs vs targets).
EvaluateResult run_evaluate(const EvaluateRequest& request);

// "label.auroc=0.9426 label.auprc=0.9510 ..." (loss left out), for summary lines.
std::string format_metrics(const std::vector<std::pair<std::string, double>>& metrics);

}  // namespace seqnn
