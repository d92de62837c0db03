#pragma once
// The `seqnn deepseq` subcommands (train, score, weights), registered by cmd_deepseq.cpp.
#include <CLI/CLI.hpp>

namespace seqnn::cli {

void register_deepseq_train(CLI::App& deepseq);  // cmd_deepseq_train.cpp
void register_deepseq_score(CLI::App& deepseq);  // cmd_deepseq_score.cpp
void register_deepseq_weights(CLI::App& deepseq);

// -a/--alignment FILE.
CLI::Option* add_alignment_option(CLI::App* cmd, std::string& path, const std::string& help);

}  // namespace seqnn::cli
