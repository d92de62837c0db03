#pragma once
// Shared pieces of the `seqnn deepseq` subcommands (train, score, weights).
#include <CLI/CLI.hpp>

#include <string>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/checkpoint.h"

namespace seqnn::cli {

void register_deepseq_train(CLI::App& deepseq);
void register_deepseq_score(CLI::App& deepseq);
void register_deepseq_weights(CLI::App& deepseq);

// Keeps glibc from returning large blocks to the kernel: a training step allocates and frees
// several 40-80 MB tensors, and with the default mmap threshold each one is a fresh mapping
// whose page faults cost as much system time as the step's arithmetic (measured: 8.1 -> 3.5 s
// of system time for 12 BLAT updates). Called at the start of train and score.
void keep_freed_memory();

// The focus information a model file keeps about its alignment.
ds::FocusInfo focus_of(const ds::Alignment& aln, double neff);
// Throws when the alignment's focus sequence is not the model's.
void check_same_focus(const ds::FocusInfo& model, const ds::Alignment& aln);

}  // namespace seqnn::cli
