#pragma once
// The columns of a model's output, named and chosen the same way by every command that writes
// them (predict's tables, ism --target, score-variants --target).
//
// Column names: each output flattened to (rows, columns) in order; a single output whose column
// count matches the model's output names takes those names, a single output without them is
// named "<unnamed_prefix><index>", several outputs are named "<output>.<index>".
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/model_output.h"

namespace seqnn {

std::vector<std::string> output_column_names(const ModelOutput& out, const std::vector<std::string>& model_names,
                                             const std::string& unnamed_prefix = "");

// --target values (names or 0-based indices) -> column indices, in the order given. A value equal
// to one of `names` is that column; otherwise a decimal index, which must be below `columns`
// when columns >= 0 (columns < 0: the caller checks the range, e.g. per output). Empty targets
// select nothing (callers treat that as "all").
std::vector<int64_t> resolve_target_columns(const std::vector<std::string>& targets, const std::vector<std::string>& names,
                                            int64_t columns = -1);

}  // namespace seqnn
