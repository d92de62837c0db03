#pragma once
// `seqnn rna <train|predict|eval>`: the subcommands of issue 6, one file each.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {

void register_rna_train(CLI::App& rna);
void register_rna_predict(CLI::App& rna);
void register_rna_eval(CLI::App& rna);

// "a,b,c" or "a b c" (several values) as integers, for --num-filters / --filter-width.
inline std::vector<int64_t> parse_int_list(const std::vector<std::string>& items, const std::string& option) {
  std::vector<int64_t> out;
  for (const auto& item : items) {
    for (const auto& f : split(item, ',')) {
      if (f.empty()) continue;
      try {
        size_t used = 0;
        out.push_back(std::stoll(f, &used));
        if (used != f.size()) throw std::invalid_argument(f);
      } catch (const std::exception&) {
        throw Error(option + ": '" + f + "' is not an integer");
      }
    }
  }
  return out;
}

}  // namespace seqnn::cli
