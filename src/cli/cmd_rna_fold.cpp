// seqnn rna fold: nearest-neighbour folding (Turner 2004, RNAfold's defaults): MFE structures,
// with --partition the ensemble and pair probabilities, --sample K stochastic structures,
// --eval the energies of given structures.
#include <cstdio>
#include <cstring>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/fold_run.h"

namespace seqnn::cli {
namespace {

struct RnaFoldArgs {
  CommonOptions common;
  rna::RnaFoldRunOptions run;
};

void run_rna_fold(RnaFoldArgs& a) {
  apply_common_options(a.common);  // the engine is CPU only; --device is accepted and ignored
  a.run.threads = a.common.threads;
  a.run.seed = a.common.seed;
  a.run.progress = !a.common.quiet;
  const rna::RnaFoldRunResult r = rna::fold_fasta_file(a.run);
  char compared[128] = "";
  if (a.run.compare) {
    std::snprintf(compared, sizeof(compared), "; mean base-pair F1 %.4f vs the known structures", r.mean_f1);
    if (a.run.mea_gamma > 0) std::snprintf(compared + std::strlen(compared), sizeof(compared) - std::strlen(compared), " (MEA %.4f)", r.mean_mea_f1);
  }
  const double rate = r.seconds > 0 ? static_cast<double>(r.nucleotides) / r.seconds : 0.0;
  std::fprintf(stderr, "seqnn rna fold: %lld sequences (%lld nt) %s in %.3f s (%.0f nt/s); mean %s %.2f kcal/mol%s -> %s%s%s%s%s\n",
               static_cast<long long>(r.sequences), static_cast<long long>(r.nucleotides),
               a.run.evaluate ? "evaluated" : (a.run.partition ? "folded with the partition function" : "folded"), r.seconds, rate,
               a.run.evaluate ? "energy" : "MFE", r.mean_mfe, compared, a.run.out.c_str(), r.pairs_path.empty() ? "" : ", ", r.pairs_path.c_str(),
               r.samples_path.empty() ? "" : ", ", r.samples_path.c_str());
}

}  // namespace

void register_rna_fold(CLI::App& rna) {
  auto a = std::make_shared<RnaFoldArgs>();
  rna::RnaFoldRunOptions& run = a->run;
  auto* cmd = add_command(rna, "fold", "fold RNA with the Turner 2004 nearest-neighbour model (RNAfold's defaults): MFE, ensemble, samples");
  add_fasta_option(cmd, run.fasta, "RNA sequences (FASTA); with --eval, structures (dot-bracket FASTA or a table)")->required();
  add_out_option(cmd, run.out, "RNAfold text output, or .tsv (id sequence structure mfe ...)");
  cmd->add_flag("--partition", run.partition,
                "also the partition function: ensemble energy, MFE probability, centroid, pair probabilities (<out>.pairs.tsv)");
  cmd->add_option("--span", run.fold.max_span, "longest base pair, j - i + 1 <= L (as RNAplfold -L; 0 = no limit)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--sample", run.samples, "draw K structures per sequence from the Boltzmann ensemble (<out>.samples.tsv; --seed)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--mea", run.mea_gamma,
                  "also the maximum expected accuracy structure with this gamma (as RNAfold --MEA 1; implies --partition; 0 = off)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_flag("--eval", run.evaluate, "evaluate the given structures' free energies instead of folding");
  cmd->add_flag("--compare", run.compare,
                "the input holds known structures (as for --eval): score each MFE structure against its known one (precision, recall, F1)");
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_rna_fold(*a); });
}

}  // namespace seqnn::cli
