#pragma once
// The identity of each row a command reads (name, chrom, start, end, ...): input sources fill
// it, output writers print it beside the values.
#include <string>
#include <vector>

namespace seqnn {

struct RowLabels {
  std::vector<std::string> columns;            // header, e.g. {"name", "chrom", "start", "end"}
  std::vector<std::vector<std::string>> rows;  // one vector per row, same arity as columns
};

}  // namespace seqnn
