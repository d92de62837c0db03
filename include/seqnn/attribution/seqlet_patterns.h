#pragma once
// Patterns: seqlets grouped by a shared k-mer, and one letter-probability matrix per group.
//
// Greedy seeding, as word-based motif finders do: every k-mer is scored by the number of
// seqlets that hold it or a k-mer within `mismatches` substitutions (on either strand with
// both_strands); the best-supported k-mer seeds a pattern, whose members are those seqlets,
// aligned on their closest occurrence (fewest mismatches, then the forward strand, then the
// leftmost). The members' letters, counted column by column in that alignment, give the
// pattern's matrix; it extends from the seed while at least min_coverage of the members reach
// a column (and, given attributions, is trimmed to the columns whose mean attribution is at
// least trim_fraction of the largest). Members are removed and the next seed is drawn, until fewer than min_seqlets
// seqlets support the best k-mer. Patterns are ranked by their number of seqlets.
//
// Plain C++ (no LibTorch).
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/attribution/meme.h"

namespace seqnn {

struct PatternOptions {
  int64_t k = 6;              // seed length (letters ** k <= 4 ** 10)
  int64_t mismatches = 1;     // substitutions allowed against the seed (0, 1 or 2)
  int64_t min_seqlets = 5;    // smallest pattern reported
  int64_t max_patterns = 20;
  bool both_strands = false;  // DNA: a seqlet may hold the seed on its reverse complement
  double min_coverage = 0.5;  // matrix columns reached by at least this fraction of the members
  double trim_fraction = 0.3; // with attributions: keep the columns from the first to the last
                              // whose mean attribution is >= this fraction of the largest
};

// One seqlet with its context: letters around it (e.g. a few positions each side from its
// sequence), their projected attributions (optional), and where the seqlet lies in them. Seeds
// are looked for in the core only; the matrix is counted over the aligned context and, with
// attributions, trimmed to the columns that matter (TF-MoDISco's trim_threshold rule).
struct PatternInput {
  std::string letters;
  std::vector<double> attribution;  // one per letter, or empty
  int64_t core_start = 0, core_end = 0;
};

struct SeqletPattern {
  std::string seed;
  std::vector<int64_t> members;      // indices into the seqlet list
  std::vector<int64_t> seed_start;   // where the seed lies in the member's letters (on the strand used)
  std::vector<bool> reverse;         // the member was read on its reverse complement
  int64_t first_column = 0;          // the matrix's first column, relative to the seed's start
  Motif matrix;                      // letter probabilities of the aligned members (nsites = members)
  std::string consensus;
};

std::vector<SeqletPattern> seqlet_patterns(const std::vector<PatternInput>& seqlets, const std::string& letters,
                                           const PatternOptions& options);
// sequences: each seqlet's letters (case-insensitive; letters outside `letters` never match).
// Throws seqnn::Error for more than 4 letters (a nucleotide alphabet is needed) or bad options.
std::vector<SeqletPattern> seqlet_patterns(const std::vector<std::string>& sequences, const std::string& letters,
                                           const PatternOptions& options);

}  // namespace seqnn
