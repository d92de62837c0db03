// seqnn evaluate: a trained model's metrics on labelled data (a held-out test set), read with the
// same data flags as `seqnn train`.
#include <cstdio>

#include "cli/setting_flags.h"
#include "seqnn/training/evaluate_run.h"

namespace seqnn::cli {
namespace {

// The training settings that name data and how its targets are read; nothing about the model.
bool is_data_setting(const std::string& name) {
  for (const char* k : {"fasta", "labels", "label_columns", "positives", "negatives", "class_fasta", "bed", "genome",
                        "table", "sequence_column", "id_column", "target_columns", "target_transform", "filter",
                        "task", "auc_threshold", "max_length"}) {
    if (name == k) return true;
  }
  return false;
}

struct EvaluateArgs {
  CommonOptions common;
  EvaluateRequest request;
  SettingFlags settings;
};

}  // namespace

void register_evaluate(CLI::App& app) {
  auto a = std::make_shared<EvaluateArgs>();
  auto* cmd = add_command(app, "evaluate", "metrics of a trained model on labelled data (data flags as in train)");
  add_model_option(cmd, a->request.model, "trained native model (seqnn train's model_best.pt)");
  for (const auto& s : train_settings()) {
    if (is_data_setting(s.name)) add_setting_flag(cmd, a->settings, s);
  }
  add_batch_size_option(cmd, a->request.batch_size, "items per forward pass");
  add_out_option(cmd, a->request.out, "optional TSV of predictions (id, <head>.target, <head>.prediction)")->required(false);
  add_common_options(cmd, a->common);
  cmd->callback([a] {
    a->request.device = apply_common_options(a->common);
    a->request.data_settings_json = given_settings_json(a->settings);
    const EvaluateResult r = run_evaluate(a->request);
    std::printf("%s\n", format_metrics(r.metrics).c_str());
    std::fprintf(stderr, "seqnn evaluate: %lld sequences of %s on %s\n", static_cast<long long>(r.rows), r.source.c_str(),
                 a->request.device.c_str());
  });
}

}  // namespace seqnn::cli
