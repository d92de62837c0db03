#include "seqnn/training/evaluate_run.h"

#include <torch/torch.h>

#include <cstdio>

#include "seqnn/models/model.h"
#include "seqnn/models/native.h"
#include "seqnn/training/train_job.h"
#include "seqnn/training/trainer.h"
#include "seqnn/util/error.h"

namespace seqnn {

EvaluateResult run_evaluate(const EvaluateRequest& request) {
  Model model = Model::load(request.model);
  model.to(torch::Device(request.device));
  const std::string config = effective_train_config(request.data_settings_json, "evaluate settings");
  Dataset data = load_train_data(config);
  if (data.size() == 0) fail(data.source, "no labelled sequences to evaluate");
  const std::vector<HeadSpec> heads = heads_of_settings(data, config, "evaluate settings");
  const ModelInfo info = model.info();
  const int64_t outputs = static_cast<int64_t>(info.output_names.size());
  if (outputs > 0 && outputs != total_outputs(heads)) {
    fail(request.model, "the model has " + std::to_string(outputs) + " outputs, but " + data.source + " gives " +
                            std::to_string(total_outputs(heads)) + " (one per target column; classes for a class target)");
  }
  const int64_t pad_to = info.input_length.value_or(0);
  if (pad_to > 0 && data.max_length() > pad_to) {
    fail(data.source, "a sequence of " + std::to_string(data.max_length()) + " letters is longer than the model's input (" +
                          std::to_string(pad_to) + ")");
  }
  std::vector<int64_t> rows(static_cast<size_t>(data.size()));
  for (int64_t i = 0; i < data.size(); ++i) rows[static_cast<size_t>(i)] = i;
  Evaluation e = evaluate_model(model, data, rows, heads, request.batch_size, pad_to);
  if (!request.out.empty()) {
    write_predictions_table(request.out, data, rows, heads, e.output, native_output_activation_of(model));
  }
  EvaluateResult r;
  r.metrics = e.metrics;
  r.rows = data.size();
  r.source = data.source;
  return r;
}

std::string format_metrics(const std::vector<std::pair<std::string, double>>& metrics) {
  std::string s;
  for (const auto& [name, value] : metrics) {
    if (name == "loss" || (name.size() > 5 && name.compare(name.size() - 5, 5, ".loss") == 0)) continue;
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%s%s=%.4f", s.empty() ? "" : " ", name.c_str(), value);
    s += buf;
  }
  return s;
}

}  // namespace seqnn
