#pragma once
// Per-epoch metrics of a training run and the rule that picks the best epoch.
//
// metrics.csv has one row per (epoch, set): the metric columns in first-seen order (named
// "<head>.<metric>", e.g. "bind.auroc", plus "loss"), then "tv" ("train", "val" or "test") and
// "epoch". Missing values and NaN are written as "nan". The file is rewritten atomically after
// every epoch, so a killed run leaves the rows of its finished epochs.
//
// Best-epoch rule (BestEpochRule): by default the score of an epoch is the sum of all its
// validation metrics, with lower-is-better metrics (loss, mad, perplexity, ...) negated and NaN
// values skipped; the best epoch has the highest score, the earliest one on ties. A rule can
// instead name one column ("val" rows only), e.g. "bind.auroc" or "loss".
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace seqnn {

// True for columns where smaller is better: "loss", "*.loss", "*.mad", "*.diff", "*.perplexity", "*.mae",
// "*.mse", "*.rmse".
bool lower_is_better(const std::string& column);

struct MetricsRow {
  int64_t epoch = 0;
  std::string tv;  // "train", "val", "test"
  std::vector<std::pair<std::string, double>> values;
  double get(const std::string& column) const;  // NaN when absent
};

struct BestEpochRule {
  std::string column;  // empty = sum of all validation metrics (signed by lower_is_better)
  // "sum" or "" -> the default; anything else must be a column name.
  static BestEpochRule parse(const std::string& text);
  std::string describe() const;
  // Throws seqnn::Error (listing `columns`) when the rule names a column not among them.
  void require_column_in(const std::vector<std::string>& columns) const;
  // Score of one row (higher is better); NaN when the rule's column is missing or NaN.
  double score(const MetricsRow& row) const;
};

class MetricsLog {
 public:
  void add(MetricsRow row);
  void add(int64_t epoch, const std::string& tv, std::vector<std::pair<std::string, double>> values);
  const std::vector<MetricsRow>& rows() const { return rows_; }
  // Drops rows of epochs after `epoch` (used when resuming).
  void truncate_after(int64_t epoch);
  // Drops the rows of one set (e.g. a previous run's "test" row when resuming).
  void drop_set(const std::string& tv);
  std::vector<std::string> columns() const;  // metric columns in first-seen order
  std::string to_csv() const;
  void write(const std::string& path) const;  // atomic (temp file + rename)
  // Reads a metrics.csv written by write(); errors name the file and line.
  static MetricsLog read(const std::string& path);
  // Best epoch among the `tv` rows (default "val") by the rule; -1 when there is no row with a
  // finite score.
  int64_t best_epoch(const BestEpochRule& rule = {}, const std::string& tv = "val") const;

 private:
  std::vector<MetricsRow> rows_;
};

}  // namespace seqnn
