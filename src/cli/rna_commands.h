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

// Trains S1 on the table `data` (validated on `val_data` when given, else a random split) and
// prints the summary; shared by `seqnn rna train` and `seqnn train --arch s1`. `init` (optional)
// is a model to fine-tune instead of a fresh one built from `config`.
struct S1Run {
  std::string data, val_data, init, device;
  int64_t max_records = 0;
};
}  // namespace seqnn::cli
namespace seqnn::rna {
struct S1Config;
struct S1TrainOptions;
}  // namespace seqnn::rna
namespace seqnn::cli {
void run_s1_training(const S1Run& run, const rna::S1Config& config, rna::S1TrainOptions options);

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
