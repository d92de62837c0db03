#include "seqnn/training/metrics_log.h"

#include <algorithm>

#include <cmath>
#include <fstream>
#include <limits>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/table.h"

namespace seqnn {
namespace {

constexpr double kMissingValue = std::numeric_limits<double>::quiet_NaN();  // "nan" or an empty cell

std::string format_value(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);  // enough digits to compare runs exactly in tests
  return buf;
}

double parse_value(const std::string& text, const std::string& path, int64_t line) {
  if (text == "nan" || text.empty()) return kMissingValue;
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  fail_at(path, line, "'" + text + "' is not a number");
}

}  // namespace

bool lower_is_better(const std::string& column) {
  if (column == "loss") return true;
  for (const char* suffix : {".loss", ".mad", ".diff", ".perplexity", ".mae", ".mse", ".rmse"}) {
    if (ends_with(column, suffix)) return true;
  }
  return false;
}

double MetricsRow::get(const std::string& column) const {
  for (const auto& kv : values) {
    if (kv.first == column) return kv.second;
  }
  return kMissingValue;
}

BestEpochRule BestEpochRule::parse(const std::string& text) {
  BestEpochRule rule;
  if (text != "sum") rule.column = text;
  return rule;
}

std::string BestEpochRule::describe() const {
  if (column.empty()) return "sum of validation metrics (lower-is-better negated)";
  return std::string(lower_is_better(column) ? "lowest" : "highest") + " validation " + column;
}

double BestEpochRule::score(const MetricsRow& row) const {
  if (!column.empty()) {
    const double v = row.get(column);
    return lower_is_better(column) ? -v : v;
  }
  double sum = 0;
  bool any = false;
  for (const auto& kv : row.values) {
    if (std::isnan(kv.second)) continue;
    sum += lower_is_better(kv.first) ? -kv.second : kv.second;
    any = true;
  }
  return any ? sum : kMissingValue;
}

void MetricsLog::add(MetricsRow row) { rows_.push_back(std::move(row)); }

void MetricsLog::add(int64_t epoch, const std::string& tv, std::vector<std::pair<std::string, double>> values) {
  MetricsRow row;
  row.epoch = epoch;
  row.tv = tv;
  row.values = std::move(values);
  add(std::move(row));
}

void MetricsLog::truncate_after(int64_t epoch) {
  std::vector<MetricsRow> kept;
  for (auto& r : rows_) {
    if (r.epoch <= epoch) kept.push_back(std::move(r));
  }
  rows_ = std::move(kept);
}

void MetricsLog::drop_set(const std::string& tv) {
  std::vector<MetricsRow> kept;
  for (auto& r : rows_) {
    if (r.tv != tv) kept.push_back(std::move(r));
  }
  rows_ = std::move(kept);
}

void BestEpochRule::require_column_in(const std::vector<std::string>& columns) const {
  if (column.empty() || std::find(columns.begin(), columns.end(), column) != columns.end()) return;
  std::string known;
  for (const auto& c : columns) known += (known.empty() ? "" : ", ") + c;
  throw Error("best rule '" + column + "': no such metrics column (the run reports: " + known + ")");
}

std::vector<std::string> MetricsLog::columns() const {
  std::vector<std::string> cols;
  for (const auto& r : rows_) {
    for (const auto& kv : r.values) {
      bool seen = false;
      for (const auto& c : cols) seen = seen || c == kv.first;
      if (!seen) cols.push_back(kv.first);
    }
  }
  return cols;
}

std::string MetricsLog::to_csv() const {
  std::vector<std::string> cols = columns();
  std::vector<std::string> header = cols;
  header.push_back("tv");
  header.push_back("epoch");
  std::string out = join(header, ',') + "\n";
  for (const auto& r : rows_) {
    std::vector<std::string> fields;
    for (const auto& c : cols) fields.push_back(format_value(r.get(c)));
    fields.push_back(r.tv);
    fields.push_back(std::to_string(r.epoch));
    out += join(fields, ',') + "\n";
  }
  return out;
}

void MetricsLog::write(const std::string& path) const {
  AtomicFile file(path);
  file.write(to_csv());
  file.commit();
}

MetricsLog MetricsLog::read(const std::string& path) {
  // metrics.csv is CSV whatever its file name says (it may be a copy named .txt).
  TableReadOptions opts;
  opts.format = TableFormat::kCsv;
  TableReader table(path, opts);
  const std::vector<std::string>& header = table.header();
  if (header.size() < 2 || header[header.size() - 2] != "tv" || header.back() != "epoch") {
    fail_at(path, table.header_line(), "header must end with the columns tv,epoch");
  }
  MetricsLog log;
  std::vector<std::string> f;
  while (table.next(f)) {
    const int64_t line_no = table.line();
    MetricsRow row;
    row.tv = f[f.size() - 2];
    const double epoch = parse_value(f.back(), path, line_no);
    if (std::isnan(epoch) || epoch != std::floor(epoch)) table.fail_here("epoch must be an integer");
    row.epoch = static_cast<int64_t>(epoch);
    for (size_t i = 0; i + 2 < header.size(); ++i) row.values.emplace_back(header[i], parse_value(f[i], path, line_no));
    log.add(std::move(row));
  }
  return log;
}

int64_t MetricsLog::best_epoch(const BestEpochRule& rule, const std::string& tv) const {
  int64_t best = -1;
  double best_score = -std::numeric_limits<double>::infinity();
  for (const auto& r : rows_) {
    if (r.tv != tv) continue;
    const double s = rule.score(r);
    if (std::isnan(s)) continue;
    if (best < 0 || s > best_score) {
      best = r.epoch;
      best_score = s;
    }
  }
  return best;
}

}  // namespace seqnn
