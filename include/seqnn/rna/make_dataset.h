#pragma once
// `seqnn rna make-dataset`: seed 004's training-data step inside seqnn. Segments of a genome
// (drawn at random, or the intervals of a BED file, read on their strand), T read as U, are folded
// with the engine's partition function (seqnn/rna/fold/fold.h); a segment is kept when its MFE
// structure has at least one pair and that structure's probability in the ensemble is at least
// the threshold (RNAfold -p's "frequency of mfe structure in ensemble"). The table is the one
// `rna train` reads: id sequence structure mfe mfe_frequency, id = chrom:start-end (1-based,
// inclusive, as ../shared/data/rna/chr20_len64_mfefreq0.1.tsv.gz). Segments with an N are skipped.
#include <cstdint>
#include <string>

namespace seqnn::rna {

struct MakeDatasetOptions {
  std::string genome;  // indexed FASTA (plain or bgzip)
  std::string bed;     // intervals to fold (strand in column 6); empty: `random` segments
  std::string out;     // .tsv or .tsv.gz
  int64_t random = 0;  // random segments to draw (without a BED file)
  int64_t length = 64;                 // random segments' length...
  int64_t len_min = 0, len_max = 0;    // ...or, when both are set, uniform in [len_min, len_max]
  double threshold = 0.1;              // minimum MFE frequency
  uint64_t seed = 0;                   // of the random segments
  bool progress = true;
};

struct MakeDatasetResult {
  int64_t segments = 0;  // folded
  int64_t with_n = 0;    // skipped: an N inside
  int64_t kept = 0;      // written
  double seconds = 0.0;
};

// Threads: LibTorch's intra-op count (--threads); results do not depend on it.
MakeDatasetResult make_rna_dataset(const MakeDatasetOptions& options);

}  // namespace seqnn::rna
