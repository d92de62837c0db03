#pragma once
// `seqnn mhc predict`: binding predictions of a pan-allele model for every allele x peptide, as
// mhcflurry reports them: allele, peptide, ic50_nM (50000^(1 - y)), percentile_rank (calibration.h).
// Alleles may be spelled HLA-A*02:01, HLA-A02:01 or HLA-A0201; the model's own pseudo-sequences
// are used unless a table is given. An allele the model has no stored calibration for is
// calibrated at predict time on the same seeded random set, so its ranks equal those a
// calibration at training time would have stored.
// Peptides: one per line (blank lines and lines starting with '#' skipped), from a file or "-"
// (standard input); a letter that is not an amino acid or a length the model does not take is an
// error naming the file and line.
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn::mhc {

struct MhcPredictOptions {
  std::string model;
  std::vector<std::string> alleles;
  std::string peptides;          // file, or "-" for standard input
  std::string pseudo_sequences;  // optional: a table instead of the model's own
  std::string out;               // TSV
  int64_t batch_size = 1024;
  std::string device;            // "" = the model's
  bool progress = true;
};

struct MhcPredictResult {
  int64_t peptides = 0, alleles = 0, rows = 0;
  int64_t calibrated_now = 0;  // alleles calibrated at predict time
};

// The peptides of a file (or "-"), upper-cased; errors "file:line: ...".
std::vector<std::string> read_peptides(const std::string& path);

MhcPredictResult run_mhc_predict(const MhcPredictOptions& options);

}  // namespace seqnn::mhc
