#pragma once
// `seqnn rna <train|predict|eval|fold|make-dataset>`: one file each, registered by cmd_rna.cpp.
#include <CLI/CLI.hpp>

namespace seqnn::cli {

void register_rna_train(CLI::App& rna);
void register_rna_predict(CLI::App& rna);
void register_rna_eval(CLI::App& rna);
void register_rna_fold(CLI::App& rna);
void register_rna_make_dataset(CLI::App& rna);

}  // namespace seqnn::cli
