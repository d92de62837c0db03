// seqnn plot-metrics: training curves from a metrics.csv (SVG with labels, or PNG).
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/training/metrics_log.h"
#include "seqnn/training/plot.h"

namespace seqnn::cli {
namespace {

struct PlotArgs {
  CommonOptions common;
  std::string metrics, out;
  std::string best_rule = "sum";
};

void run_plot(const PlotArgs& a) {
  apply_common_options(a.common);
  MetricsLog log = MetricsLog::read(a.metrics);
  const BestEpochRule rule = BestEpochRule::parse(a.best_rule);
  rule.require_column_in(log.columns());
  write_metrics_plot(log, a.out);
  const int64_t best = log.best_epoch(rule);
  std::fprintf(stderr, "seqnn plot-metrics: %zu rows, %zu metrics; best epoch by %s: %lld -> %s\n", log.rows().size(),
               log.columns().size(), rule.describe().c_str(), static_cast<long long>(best), a.out.c_str());
}

}  // namespace

void register_plot_metrics(CLI::App& app) {
  auto a = std::make_shared<PlotArgs>();
  auto* cmd = add_command(app, "plot-metrics", "draw training curves from metrics.csv (.svg or .png)");
  cmd->add_option("metrics", a->metrics, "metrics.csv written by a trainer (train, train-lm, rna train, deepseq train)")
      ->type_name("FILE")
      ->required();
  add_out_option(cmd, a->out, "output .svg or .png");
  cmd->add_option("--best-rule", a->best_rule, "rule for the best epoch reported (sum or a column)")->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_plot(*a); });
}

}  // namespace seqnn::cli
