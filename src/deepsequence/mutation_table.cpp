#include "seqnn/deepsequence/mutation_table.h"

#include <cmath>
#include <cstdlib>

#include "seqnn/util/error.h"
#include "seqnn/util/table.h"

namespace seqnn::ds {
namespace {

// A measured value, or NaN for an empty or non-numeric field (unmeasured mutants are common).
double number_or_nan(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return s.empty() || *end != '\0' ? std::nan("") : v;
}

}  // namespace

MutationTable read_mutation_table(const std::string& path, const std::string& mutant_column,
                                  const std::string& value_column) {
  TableReadOptions ro;
  ro.format = TableFormat::kCsv;
  TableReader reader(path, ro);
  const size_t mi = reader.column(mutant_column);
  const int64_t vi = value_column.empty() ? -1 : static_cast<int64_t>(reader.column(value_column));
  MutationTable t;
  t.path = path;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    t.mutants.push_back(fields[mi]);
    t.measured.push_back(vi < 0 ? std::nan("") : number_or_nan(fields[static_cast<size_t>(vi)]));
    t.lines.push_back(reader.line());
  }
  if (t.mutants.empty()) fail(path, "no mutants");
  return t;
}

}  // namespace seqnn::ds
