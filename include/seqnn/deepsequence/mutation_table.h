#pragma once
// The mutation CSV of `deepseq score`: a column of mutants ("A42G", "A42G:C55T") and, optionally,
// a column of measured effects to correlate the scores with. Read with the shared table reader
// (util/table.h: RFC 4180 quoting, gzip, file:line errors); always as CSV, whatever the name.
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn::ds {

struct MutationTable {
  std::string path;
  std::vector<std::string> mutants;
  std::vector<double> measured;  // NaN where absent or not a number (or no value column asked)
  std::vector<int64_t> lines;    // line of each record in the file
};

// value_column empty: no measured values. Throws seqnn::Error "file:line: problem" for a
// missing column, a record with the wrong number of fields, or a file without mutants.
MutationTable read_mutation_table(const std::string& path, const std::string& mutant_column,
                                  const std::string& value_column);

}  // namespace seqnn::ds
