#pragma once
// `seqnn mhc <train|predict>`: one file each, registered by cmd_mhc.cpp.
#include <CLI/CLI.hpp>

namespace seqnn::cli {

void register_mhc_train(CLI::App& mhc);
void register_mhc_predict(CLI::App& mhc);

}  // namespace seqnn::cli
