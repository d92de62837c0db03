#pragma once
// Peptide-MHC measurements for the pan-allele model: a table with a peptide column, an allele
// column and a measurement column (the Kim 2014 BLIND file: sequence, mhc, meas = IC50 nM), the
// target y = 1 - log(IC50) / log(50000) clipped to [0, 1] (training/dataset.h, transform
// "ic50"), and each row's allele pseudo-sequence.
//
// Splits are made within each allele, as the per-allele benchmark makes them: the rows of one
// allele (in file order) are split by training's make_split with the same options, so fold k
// of the pan-allele model tests exactly the rows fold k of the allele's own model tests.
#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

#include "seqnn/mhc/alleles.h"
#include "seqnn/training/dataset.h"

namespace seqnn::mhc {

struct MhcTableOptions {
  std::string sequence_column = "sequence";
  std::string allele_column = "mhc";
  std::string target_column = "meas";
  std::string transform = "ic50";
  std::vector<std::pair<std::string, std::string>> filters;  // keep rows where column == value
};

struct MhcData {
  Dataset data;                      // sequence = id = peptide, one target (the measurement)
  std::vector<std::string> alleles;  // per row, as the table spells it
  std::vector<std::string> pseudo;   // per row, the allele's pseudo-sequence
};

// A row whose allele has no pseudo-sequence is an error "file:line: allele 'A' has no
// pseudo-sequence in PSEUDO_FILE".
MhcData load_mhc_table(const std::string& path, const MhcTableOptions& options, const PseudoSequences& pseudo);

// "column=value" -> (column, value); an error naming the text otherwise.
std::pair<std::string, std::string> parse_filter(const std::string& text);

// make_split(options) within each allele's rows (options.folds, fold, val_fraction, split_seed);
// with `test_allele` set, that allele's rows are the test set instead and the other rows are
// split into training and validation (options.val_fraction, within each allele).
Split split_by_allele(const MhcData& data, const SplitOptions& options, const std::string& test_allele = "");

// The pseudo-sequences of rows as a (N, 20, L) float one-hot batch.
at::Tensor encode_pseudo_sequences(const std::vector<std::string>& pseudo, const std::vector<int64_t>& rows);

}  // namespace seqnn::mhc
