#pragma once
// Sequences for a model, read in chunks from a FASTA file or from BED windows over a genome, so
// commands stream their input with bounded memory.
#include <memory>
#include <string>
#include <vector>

#include "seqnn/sequence/bed.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/sequence/row_labels.h"
#include "seqnn/util/shard.h"

namespace seqnn {

struct SequenceChunk {
  RowLabels labels;                    // identity columns per sequence
  std::vector<std::string> sequences;  // the sequences
  std::vector<std::string> where;      // "file:line (name)" per sequence, for error messages
  int64_t padded_bases = 0;            // bases filled with N because a window left its chromosome
  int64_t padded_windows = 0;
};

class SequenceSource {
 public:
  virtual ~SequenceSource() = default;
  // Fills up to max_items sequences; false when the input is exhausted (chunk left empty).
  virtual bool next(int64_t max_items, SequenceChunk& chunk) = 0;
  virtual int64_t total() const = 0;  // number of sequences (counted up front), or -1
};

// FASTA records as they are (labels: name).
std::unique_ptr<SequenceSource> fasta_source(const std::string& path);
// Fixed-length windows around BED intervals (labels: name, chrom, start, end, padded).
std::unique_ptr<SequenceSource> bed_source(const std::string& bed_path, const std::string& genome_path,
                                           int64_t length, WindowCentre centre = WindowCentre::kInterval);

// The records [begin, end) of `inner`, read past the first `begin` (a view: `inner` must outlive
// it); total() is end - begin. For sharded runs (util/shard.h).
std::unique_ptr<SequenceSource> record_range_source(SequenceSource& inner, int64_t begin, int64_t end);

// The records a (possibly) sharded run reads: its block of `input` in units of `align` records
// (util/shard.h), or all of `input` when it is not sharded. Errors name `input_name`.
class ShardedInput {
 public:
  ShardedInput(SequenceSource& input, const ShardSpec& shard, int64_t align, const std::string& input_name);
  SequenceSource& source() { return view_ ? *view_ : input_; }
  int64_t begin = 0, end = 0;  // the block

 private:
  SequenceSource& input_;
  std::unique_ptr<SequenceSource> view_;
};

}  // namespace seqnn
