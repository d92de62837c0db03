#include "seqnn/inference/output_columns.h"

#include <algorithm>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

bool is_index(const std::string& s) {
  return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::vector<std::string> output_column_names(const ModelOutput& out, const std::vector<std::string>& model_names,
                                             const std::string& unnamed_prefix) {
  std::vector<std::string> names;
  for (size_t j = 0; j < out.size(); ++j) {
    const int64_t cols = out[j].numel() / std::max<int64_t>(out[j].size(0), 1);
    const bool named = out.size() == 1 && static_cast<int64_t>(model_names.size()) == cols;
    for (int64_t c = 0; c < cols; ++c) {
      if (named) names.push_back(model_names[static_cast<size_t>(c)]);
      else if (out.size() == 1) names.push_back(unnamed_prefix + std::to_string(c));
      else names.push_back(out.names[j] + "." + std::to_string(c));
    }
  }
  return names;
}

std::vector<int64_t> resolve_target_columns(const std::vector<std::string>& targets, const std::vector<std::string>& names,
                                            int64_t columns) {
  std::vector<int64_t> out;
  for (const auto& t : targets) {
    auto named = std::find(names.begin(), names.end(), t);
    int64_t found = named != names.end() ? static_cast<int64_t>(named - names.begin()) : -1;
    if (found < 0 && is_index(t) && (columns < 0 || std::stoll(t) < columns)) found = std::stoll(t);
    if (found < 0) {
      throw Error("--target: '" + t + "' is neither an output name nor an index" +
                  (columns >= 0 ? " below " + std::to_string(columns) : std::string()));
    }
    out.push_back(found);
  }
  return out;
}

}  // namespace seqnn
