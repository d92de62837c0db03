#pragma once
// Labelled sequence data sets for training, the reproducible train/val/test split, and batches.
//
// Sources (every loader names the file and line in its errors):
//   * FASTA + TSV of labels: the TSV's first column is the record name, the others are targets;
//   * one FASTA per class: two files make a binary target (positives 1, negatives 0), more make
//     one multi-class target (class index = file order);
//   * BED + genome: windows of a fixed length around each interval, targets from columns 5...;
//   * a table with a sequence column (peptides, proteins), target columns, optional row filters
//     and an optional split column.
// Label files, tables and fold files are read by seqnn::TableReader (TSV, or CSV when the name
// ends in .csv; plain, gzip or bgzip; RFC 4180 quoting in CSV: seqnn/util/table.h).
// Missing target values ("", "NA", "nan", ".") get mask 0: they add nothing to losses or metrics.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/sequence/alphabet.h"

namespace seqnn {

struct Example {
  std::string id;
  std::string sequence;
  std::vector<float> target;  // one value per target column
  std::vector<float> mask;    // 1 = known, 0 = missing
  std::string split;          // from a split column ("train", "val"/"valid", "test"), else ""
  std::string where;          // "file:line" for messages
};

struct Dataset {
  std::vector<std::string> targets;  // target column names
  std::vector<Example> examples;
  std::string source;
  bool class_indices = false;  // the targets are class indices (one FASTA per class): categorical
  int64_t size() const { return static_cast<int64_t>(examples.size()); }
  Dataset subset(const std::vector<int64_t>& index) const;
  void append(const Dataset& other);  // targets must match
  int64_t max_length() const;
};

// Value transforms for table targets. "ic50": y = 1 - log(x) / log(50000), clipped to [0, 1] (the
// usual MHC affinity target); "log": natural log; "none".
double transform_target(double value, const std::string& transform, const std::string& where);

Dataset load_fasta_with_labels(const std::string& fasta, const std::string& labels_tsv,
                               const std::vector<std::string>& columns = {});
// paths[i] is class i. Two files: binary target named `target` (file 0 -> 0, file 1 -> 1).
Dataset load_class_fastas(const std::vector<std::string>& paths, const std::string& target = "label");
Dataset load_bed_with_labels(const std::string& bed, const std::string& genome, int64_t length,
                             const std::vector<std::string>& target_names = {});

struct TableOptions {
  std::string sequence_column = "sequence";
  std::string id_column;                 // empty: "<file>:<line>"
  std::vector<std::string> target_columns;
  std::string transform = "none";        // applied to every target column
  std::vector<std::pair<std::string, std::string>> filters;  // keep rows where column == value
  std::string split_column;              // optional
};
Dataset load_sequence_table(const std::string& path, const TableOptions& options);

// FASTA records only (no targets), e.g. for language models. Gap characters '-' and '.' are
// removed when strip_gaps is set; sequences are upper-cased.
Dataset load_fasta_sequences(const std::string& path, bool strip_gaps = false);

struct SplitOptions {
  double val_fraction = 0.1;
  double test_fraction = 0.0;
  uint64_t split_seed = 0;
  bool use_split_column = false;  // Example::split decides
  int64_t folds = 0;              // > 1: k-fold; `fold` is the test fold, val_fraction of the rest validates
  int64_t fold = 0;
  std::string fold_file;          // TSV "id<TAB>fold": rows of `fold` validate
};
struct Split {
  std::vector<int64_t> train, val, test;
};
// Same data and options give the same split on every platform (std::mt19937_64 shuffle).
Split make_split(const Dataset& data, const SplitOptions& options);

struct Batch {
  at::Tensor x;        // (N, A, L) float one-hot, zero padded at the end
  at::Tensor target;   // (N, T) float
  at::Tensor mask;     // (N, T) float
  at::Tensor lengths;  // (N,) int64
  std::vector<int64_t> index;  // rows of the data set
};
// pad_to > 0 pads every batch to that length (fixed-input models); longer sequences are an error.
Batch make_batch(const Dataset& data, const std::vector<int64_t>& index, const Alphabet& alphabet, int64_t pad_to);
// Splits rows into batches. shuffle: seeded permutation; bucket: rows of similar length share a
// batch (sorted within windows of 50 batches, batch order shuffled) to cut padding for RNNs.
std::vector<std::vector<int64_t>> make_batches(const Dataset& data, std::vector<int64_t> rows, int64_t batch_size,
                                               bool shuffle, uint64_t seed, bool bucket);

}  // namespace seqnn
