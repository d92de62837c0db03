// seqnn rna: RNA secondary structure as bounding boxes (S1 model, assembly, evaluation).
#include "cli/common_options.h"
#include "cli/rna_commands.h"

namespace seqnn::cli {

void register_rna(CLI::App& app) {
  auto* rna = add_command(app, "rna", "RNA secondary structure: S1 boxes (train, predict, eval) and nearest-neighbour folding (fold) (docs/rna.md)");
  rna->require_subcommand(1);
  register_rna_train(*rna);
  register_rna_predict(*rna);
  register_rna_eval(*rna);
  register_rna_fold(*rna);
  register_rna_make_dataset(*rna);
}

}  // namespace seqnn::cli
