// seqnn mhc: the pan-allele peptide-MHC class I model (train, predict).
#include "cli/common_options.h"
#include "cli/mhc_commands.h"

namespace seqnn::cli {

void register_mhc(CLI::App& app) {
  auto* mhc = add_command(app, "mhc", "peptide-MHC class I binding: the pan-allele model (train, predict) (docs/mhc.md)");
  mhc->require_subcommand(1);
  register_mhc_train(*mhc);
  register_mhc_predict(*mhc);
}

}  // namespace seqnn::cli
