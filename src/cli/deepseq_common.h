#pragma once
// The `seqnn deepseq` subcommands (train, score, weights), registered by cmd_deepseq.cpp.
#include <CLI/CLI.hpp>

namespace seqnn::cli {

void register_deepseq_train(CLI::App& deepseq);  // cmd_deepseq_train.cpp
void register_deepseq_score(CLI::App& deepseq);  // cmd_deepseq_score.cpp
void register_deepseq_weights(CLI::App& deepseq);

// -a/--alignment FILE.
CLI::Option* add_alignment_option(CLI::App* cmd, std::string& path, const std::string& help);
// --weights-method auto|compare|matmul (weights and train compute sequence weights alike).
CLI::Option* add_weights_method_option(CLI::App* cmd, std::string& method);

}  // namespace seqnn::cli
