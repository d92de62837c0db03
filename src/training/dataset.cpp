#include "seqnn/training/dataset.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <random>

#include "seqnn/sequence/bed.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/table.h"

namespace seqnn {
namespace {

bool is_missing(const std::string& v) { return v.empty() || v == "NA" || v == "nan" || v == "NaN" || v == "."; }

// Parses one target value; missing values give mask 0.
// A data set whose every target value is missing would train on nothing and report NaN metrics.
void require_some_label(const Dataset& data, const std::string& file) {
  for (const Example& ex : data.examples) {
    for (float m : ex.mask) {
      if (m > 0) return;
    }
  }
  fail(file, "no labelled example: every target value is missing (NA)");
}

// The same file for two classes (e.g. --positives and --negatives) is a mistake, not a data set.
// A record without letters cannot be a training example: a model needs at least one position
// (a CNN's kernels fail on it deep inside LibTorch), so it is refused where it is read.
void require_letters(const FastaRecord& rec, const std::string& fasta) {
  if (rec.sequence.empty()) fail_at(fasta, rec.line, "record '" + rec.name + "' has an empty sequence");
}

void require_distinct_files(const std::vector<std::string>& paths) {
  std::map<std::string, size_t> seen;
  for (size_t k = 0; k < paths.size(); ++k) {
    char* real = ::realpath(paths[k].c_str(), nullptr);
    const std::string key = real ? real : paths[k];
    std::free(real);
    auto [it, fresh] = seen.emplace(key, k);
    if (!fresh) {
      fail(paths[k], "given for two classes (" + std::to_string(it->second) + " and " + std::to_string(k) +
                         "); each class needs its own FASTA");
    }
  }
}

void parse_target(const std::string& text, const std::string& transform, const std::string& file, int64_t line,
                  Example& ex) {
  if (is_missing(text)) {
    ex.target.push_back(0.f);
    ex.mask.push_back(0.f);
    return;
  }
  double v = 0;
  try {
    size_t used = 0;
    v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    fail_at(file, line, "target value '" + text + "' is not a number");
  }
  // inf (or a value past float's range) would make every loss and weight NaN, silently.
  const float value = static_cast<float>(transform_target(v, transform, file + ":" + std::to_string(line)));
  if (!std::isfinite(v) || !std::isfinite(value)) fail_at(file, line, "target value '" + text + "' is not a finite float");
  ex.target.push_back(value);
  ex.mask.push_back(1.f);
}


}  // namespace

Dataset Dataset::subset(const std::vector<int64_t>& index) const {
  Dataset out;
  out.targets = targets;
  out.source = source;
  out.class_indices = class_indices;
  for (int64_t i : index) out.examples.push_back(examples.at(static_cast<size_t>(i)));
  return out;
}

void Dataset::append(const Dataset& other) {
  if (!examples.empty() && other.targets != targets) {
    fail(other.source, "targets (" + join(other.targets, ',') + ") differ from " + source + " (" + join(targets, ',') + ")");
  }
  if (examples.empty()) {
    targets = other.targets;
    class_indices = other.class_indices;
  }
  examples.insert(examples.end(), other.examples.begin(), other.examples.end());
  source = source.empty() ? other.source : source + "," + other.source;
}

int64_t Dataset::max_length() const {
  int64_t m = 0;
  for (const auto& e : examples) m = std::max<int64_t>(m, static_cast<int64_t>(e.sequence.size()));
  return m;
}

double transform_target(double value, const std::string& transform, const std::string& where) {
  if (transform == "none") return value;
  if (transform == "log" || transform == "ic50") {
    if (!(value > 0)) fail(where, "value " + std::to_string(value) + " must be positive for the '" + transform + "' transform");
    if (transform == "log") return std::log(value);
    return std::min(1.0, std::max(0.0, 1.0 - std::log(value) / std::log(50000.0)));
  }
  fail(where, "unknown target transform '" + transform + "' (none, log, ic50)");
}

Dataset load_fasta_with_labels(const std::string& fasta, const std::string& labels_tsv,
                               const std::vector<std::string>& columns) {
  TableReader table(labels_tsv);
  const std::vector<std::string>& header = table.header();
  if (header.size() < 2) fail_at(labels_tsv, table.header_line(), "needs a name column and at least one target column");
  std::vector<size_t> cols;
  Dataset data;
  data.source = fasta;
  for (const auto& c : columns) cols.push_back(table.column(c));
  if (columns.empty()) {
    for (size_t i = 1; i < header.size(); ++i) cols.push_back(i);
  }
  for (size_t c : cols) data.targets.push_back(header[c]);
  std::map<std::string, Example> labels;
  std::vector<std::string> f;
  while (table.next(f)) {
    Example ex;
    for (size_t c : cols) parse_target(f[c], "none", labels_tsv, table.line(), ex);
    if (!labels.emplace(f[0], ex).second) table.fail_here("duplicate name '" + f[0] + "'");
  }
  FastaReader reader(fasta);
  FastaRecord rec;
  std::map<std::string, int64_t> record_line;  // labels are joined by name, so names must be unique
  while (reader.next(rec)) {
    require_letters(rec, fasta);
    auto [seen, fresh] = record_line.emplace(rec.name, rec.line);
    if (!fresh) {
      fail_at(fasta, rec.line, "duplicate record name '" + rec.name + "' (also line " + std::to_string(seen->second) +
                                   "): labels are joined by name");
    }
    auto it = labels.find(rec.name);
    if (it == labels.end()) fail_at(fasta, rec.line, "record '" + rec.name + "' has no row in " + labels_tsv);
    Example ex = it->second;
    ex.id = rec.name;
    ex.sequence = rec.sequence;
    ex.where = fasta + ":" + std::to_string(rec.line);
    data.examples.push_back(std::move(ex));
  }
  if (data.examples.empty()) fail(fasta, "no FASTA records");
  require_some_label(data, labels_tsv);
  return data;
}

Dataset load_class_fastas(const std::vector<std::string>& paths, const std::string& target) {
  if (paths.size() < 2) throw Error("one FASTA per class needs at least two files, got " + std::to_string(paths.size()));
  Dataset data;
  data.targets = {target};
  data.source = join(paths, ',');
  data.class_indices = true;
  require_distinct_files(paths);
  for (size_t k = 0; k < paths.size(); ++k) {
    FastaReader reader(paths[k]);
    FastaRecord rec;
    int64_t n = 0;
    while (reader.next(rec)) {
      require_letters(rec, paths[k]);
      Example ex;
      ex.id = rec.name;
      ex.sequence = rec.sequence;
      ex.target = {static_cast<float>(k)};
      ex.mask = {1.f};
      ex.where = paths[k] + ":" + std::to_string(rec.line);
      data.examples.push_back(std::move(ex));
      ++n;
    }
    if (n == 0) fail(paths[k], "no FASTA records");
  }
  return data;
}

Dataset load_bed_with_labels(const std::string& bed, const std::string& genome, int64_t length,
                             const std::vector<std::string>& target_names) {
  if (length <= 0) fail(bed, "BED data needs a positive window length (--max-length)");
  IndexedFasta fa(genome);
  // BedReader keeps only the standard columns, so the label columns are read from the lines.
  TextLineReader in(bed, "BED file");
  Dataset data;
  data.source = bed;
  std::string line;
  BedReader reader(bed);
  BedInterval iv;
  int64_t ncols = -1;
  while (reader.next(iv)) {
    while (in.line_number() < iv.line && in.next(line)) {
    }
    std::vector<std::string> f = split(line, '\t');
    if (f.size() < 5) fail_at(bed, iv.line, "needs label columns after the name (column 5 on)");
    if (ncols < 0) {
      ncols = static_cast<int64_t>(f.size()) - 4;
      for (int64_t i = 0; i < ncols; ++i) {
        data.targets.push_back(i < static_cast<int64_t>(target_names.size()) ? target_names[static_cast<size_t>(i)]
                                                                            : "label" + std::to_string(i + 1));
      }
    } else if (static_cast<int64_t>(f.size()) - 4 != ncols) {
      fail_at(bed, iv.line, std::to_string(f.size() - 4) + " label columns, the first record has " + std::to_string(ncols));
    }
    Example ex;
    for (size_t i = 4; i < f.size(); ++i) parse_target(f[i], "none", bed, iv.line, ex);
    Window w = make_window(fa, iv, length);
    ex.id = iv.name;
    ex.sequence = std::move(w.sequence);
    ex.where = bed + ":" + std::to_string(iv.line);
    data.examples.push_back(std::move(ex));
  }
  if (data.examples.empty()) fail(bed, "no intervals");
  return data;
}

Dataset load_sequence_table(const std::string& path, const TableOptions& opts) {
  TableReader table(path);
  const size_t seq_col = table.column(opts.sequence_column);
  const int64_t id_col = opts.id_column.empty() ? -1 : static_cast<int64_t>(table.column(opts.id_column));
  const int64_t split_col = opts.split_column.empty() ? -1 : static_cast<int64_t>(table.column(opts.split_column));
  if (opts.target_columns.empty()) fail(path, "no target columns given");
  std::vector<size_t> target_cols;
  for (const auto& c : opts.target_columns) target_cols.push_back(table.column(c));
  std::vector<std::pair<size_t, std::string>> filters;
  for (const auto& f : opts.filters) filters.emplace_back(table.column(f.first), f.second);
  Dataset data;
  data.source = path;
  data.targets = opts.target_columns;
  std::vector<std::string> f;
  while (table.next(f)) {
    bool keep = true;
    for (const auto& flt : filters) keep = keep && f[flt.first] == flt.second;
    if (!keep) continue;
    Example ex;
    ex.sequence = f[seq_col];
    if (ex.sequence.empty()) table.fail_here("empty sequence");
    ex.where = table.where();
    ex.id = id_col >= 0 ? f[static_cast<size_t>(id_col)] : ex.where;
    if (split_col >= 0) ex.split = f[static_cast<size_t>(split_col)];
    for (size_t c : target_cols) parse_target(f[c], opts.transform, path, table.line(), ex);
    data.examples.push_back(std::move(ex));
  }
  if (data.examples.empty()) fail(path, "no rows (after filters)");
  require_some_label(data, path);
  return data;
}

Dataset load_fasta_sequences(const std::string& path, bool strip_gaps) {
  Dataset data;
  data.source = path;
  FastaReader reader(path);
  FastaRecord rec;
  while (reader.next(rec)) {
    Example ex;
    ex.id = rec.name;
    ex.where = path + ":" + std::to_string(rec.line);
    for (char c : to_upper(rec.sequence)) {
      if (strip_gaps && (c == '-' || c == '.')) continue;
      ex.sequence += c;
    }
    if (!ex.sequence.empty()) data.examples.push_back(std::move(ex));
  }
  if (data.examples.empty()) fail(path, "no non-empty FASTA records");
  return data;
}

Split make_split(const Dataset& data, const SplitOptions& opts) {
  Split s;
  const int64_t n = data.size();
  if (opts.use_split_column) {
    for (int64_t i = 0; i < n; ++i) {
      const std::string& v = data.examples[static_cast<size_t>(i)].split;
      if (v == "train") s.train.push_back(i);
      else if (v == "val" || v == "valid" || v == "validation") s.val.push_back(i);
      else if (v == "test") s.test.push_back(i);
      else fail(data.examples[static_cast<size_t>(i)].where, "split value '" + v + "' is not train, val or test");
    }
    return s;
  }
  if (!opts.fold_file.empty()) {
    std::map<std::string, int64_t> fold_of;
    TableReadOptions no_header;
    no_header.header = false;
    TableReader folds(opts.fold_file, no_header);
    std::vector<std::string> f;
    while (folds.next(f)) {
      if (f.size() != 2) folds.fail_here("expected 'id<TAB>fold'");
      try {
        fold_of[f[0]] = std::stoll(f[1]);
      } catch (const std::exception&) {
        folds.fail_here("fold '" + f[1] + "' is not an integer");
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      const auto& ex = data.examples[static_cast<size_t>(i)];
      auto it = fold_of.find(ex.id);
      if (it == fold_of.end()) fail(opts.fold_file, "no fold for '" + ex.id + "' (" + ex.where + ")");
      (it->second == opts.fold ? s.val : s.train).push_back(i);
    }
    return s;
  }
  std::vector<int64_t> perm(static_cast<size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  std::mt19937_64 rng(opts.split_seed);
  // Fisher-Yates with our own index draws: std::shuffle's algorithm differs between libraries.
  for (int64_t i = n - 1; i > 0; --i) std::swap(perm[static_cast<size_t>(i)], perm[rng() % static_cast<uint64_t>(i + 1)]);
  if (opts.folds > 1) {
    // Fold `fold` is held out for testing; val_fraction of the other rows validate (best epoch,
    // early stopping), so the reported fold metrics never saw model selection.
    if (opts.fold < 0 || opts.fold >= opts.folds) throw Error("--fold must be in [0, " + std::to_string(opts.folds) + ")");
    std::vector<int64_t> rest;
    for (int64_t r = 0; r < n; ++r) ((r % opts.folds) == opts.fold ? s.test : rest).push_back(perm[static_cast<size_t>(r)]);
    const int64_t n_val = static_cast<int64_t>(std::llround(opts.val_fraction * static_cast<double>(rest.size())));
    for (size_t r = 0; r < rest.size(); ++r) (static_cast<int64_t>(r) < n_val ? s.val : s.train).push_back(rest[r]);
  } else {
    if (opts.val_fraction < 0 || opts.test_fraction < 0 || opts.val_fraction + opts.test_fraction >= 1) {
      throw Error("--val-fraction and --test-fraction must be >= 0 and sum to less than 1");
    }
    const int64_t n_val = static_cast<int64_t>(std::llround(opts.val_fraction * n));
    const int64_t n_test = static_cast<int64_t>(std::llround(opts.test_fraction * n));
    for (int64_t r = 0; r < n; ++r) {
      const int64_t i = perm[static_cast<size_t>(r)];
      (r < n_val ? s.val : r < n_val + n_test ? s.test : s.train).push_back(i);
    }
  }
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.val.begin(), s.val.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

Batch make_batch(const Dataset& data, const std::vector<int64_t>& index, const Alphabet& alphabet, int64_t pad_to) {
  std::vector<std::string> seqs;
  const int64_t T = static_cast<int64_t>(data.targets.size());
  Batch b;
  b.index = index;
  b.target = torch::zeros({static_cast<int64_t>(index.size()), T});
  b.mask = torch::zeros({static_cast<int64_t>(index.size()), T});
  auto tgt = b.target.accessor<float, 2>();
  auto msk = b.mask.accessor<float, 2>();
  for (size_t r = 0; r < index.size(); ++r) {
    const Example& ex = data.examples.at(static_cast<size_t>(index[r]));
    if (pad_to > 0 && static_cast<int64_t>(ex.sequence.size()) > pad_to) {
      fail(ex.where, "sequence '" + ex.id + "' has " + std::to_string(ex.sequence.size()) +
                         " letters, more than the model's input length " + std::to_string(pad_to));
    }
    seqs.push_back(ex.sequence);
    for (int64_t t = 0; t < T; ++t) {
      tgt[static_cast<int64_t>(r)][t] = ex.target[static_cast<size_t>(t)];
      msk[static_cast<int64_t>(r)][t] = ex.mask[static_cast<size_t>(t)];
    }
  }
  EncodeOptions eo;
  eo.dtype = at::kFloat;
  try {
    PaddedBatch p = pad_one_hot(seqs, alphabet, pad_to, eo);
    b.x = p.x;
    b.lengths = p.lengths;
  } catch (const Error& e) {
    // Find the record at fault so the message names its file and line.
    for (size_t r = 0; r < seqs.size(); ++r) {
      try {
        one_hot_encode(seqs[r], alphabet, eo);
      } catch (const Error& inner) {
        fail(data.examples.at(static_cast<size_t>(index[r])).where, inner.what());
      }
    }
    throw;
  }
  return b;
}

std::vector<std::vector<int64_t>> make_batches(const Dataset& data, std::vector<int64_t> rows, int64_t batch_size,
                                               bool shuffle, uint64_t seed, bool bucket) {
  if (batch_size <= 0) throw Error("batch size must be positive");
  std::mt19937_64 rng(seed);
  auto permute = [&rng](auto& v) {
    for (int64_t i = static_cast<int64_t>(v.size()) - 1; i > 0; --i) {
      std::swap(v[static_cast<size_t>(i)], v[rng() % static_cast<uint64_t>(i + 1)]);
    }
  };
  if (shuffle) permute(rows);
  if (bucket) {
    const size_t window = static_cast<size_t>(batch_size) * 50;
    auto len = [&](int64_t i) { return data.examples[static_cast<size_t>(i)].sequence.size(); };
    for (size_t a = 0; a < rows.size(); a += window) {
      auto end = rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), a + window));
      std::stable_sort(rows.begin() + static_cast<std::ptrdiff_t>(a), end,
                       [&](int64_t x, int64_t y) { return len(x) < len(y); });
    }
  }
  std::vector<std::vector<int64_t>> batches;
  for (size_t a = 0; a < rows.size(); a += static_cast<size_t>(batch_size)) {
    batches.emplace_back(rows.begin() + static_cast<std::ptrdiff_t>(a),
                         rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), a + batch_size)));
  }
  if (shuffle && bucket) permute(batches);
  return batches;
}

}  // namespace seqnn
