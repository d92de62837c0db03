#pragma once
// Random inputs for trying models and benchmarking: sequences to a FASTA file, or fixed-length
// intervals of a genome to a BED file. Both are deterministic for a seed and stream to disk, so
// any number fits in memory.
#include <cstdint>
#include <string>

namespace seqnn {

struct SimulateOptions {
  int64_t n = 100;            // sequences or intervals
  int64_t length = 1000;      // bases each
  std::string alphabet = "dna";
  uint64_t seed = 0;
};

// `n` random sequences (uniform letters of the alphabet), named seq1..seqN, 60 letters a line.
// The output does not depend on how the work is chunked.
void simulate_fasta(const SimulateOptions& opts, const std::string& out_path);

// `n` random intervals of `length` bases on the indexed FASTA `genome`, uniform over all start
// positions (chromosomes weighted by the starts they offer), in the order drawn; named w1..wN.
void simulate_bed(const SimulateOptions& opts, const std::string& genome, const std::string& out_path);

}  // namespace seqnn
