#pragma once
// `seqnn deepseq weights` as a library call: the sequence weights of an alignment's kept records
// written as a TSV "name<TAB>weight", with Neff and the time of the computation.
#include <cstdint>
#include <string>

#include "seqnn/deepsequence/weights.h"

namespace seqnn::ds {

struct WeightsTableOptions {
  std::string alignment;  // a2m / a3m / aligned FASTA, focus sequence first
  std::string out;        // output TSV
  WeightsOptions weights;
  bool progress = true;  // a two-stage progress bar (read, weigh) on stderr
};

struct WeightsTableResult {
  int64_t records_read = 0, records_kept = 0, columns = 0;
  double neff = 0;
  double seconds = 0;  // the weights only
};

WeightsTableResult write_weights_table(const WeightsTableOptions& options);

}  // namespace seqnn::ds
