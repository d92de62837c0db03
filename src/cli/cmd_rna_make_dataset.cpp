// seqnn rna make-dataset: genome segments folded with the engine, kept by MFE frequency, written
// as the table `rna train` reads (seed 004's data step; docs/rna.md).
#include <cstdio>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/make_dataset.h"

namespace seqnn::cli {
namespace {

struct MakeDatasetArgs {
  CommonOptions common;
  rna::MakeDatasetOptions run;
};

void run_make_dataset(MakeDatasetArgs& a) {
  apply_common_options(a.common);  // folding runs on the CPU; --device is accepted and ignored
  a.run.seed = a.common.seed;
  a.run.progress = !a.common.quiet;
  const rna::MakeDatasetResult r = rna::make_rna_dataset(a.run);
  std::fprintf(stderr, "seqnn rna make-dataset: %lld segments folded (%lld with N skipped), %lld kept (MFE frequency >= %g) in %.1f s -> %s\n",
               static_cast<long long>(r.segments), static_cast<long long>(r.with_n), static_cast<long long>(r.kept),
               a.run.threshold, r.seconds, a.run.out.c_str());
}

}  // namespace

void register_rna_make_dataset(CLI::App& rna) {
  auto a = std::make_shared<MakeDatasetArgs>();
  rna::MakeDatasetOptions& run = a->run;
  auto* cmd = add_command(rna, "make-dataset", "S1 training data: genome segments folded, kept by MFE frequency (rna train's table)");
  add_genome_option(cmd, run.genome)->required();
  add_bed_option(cmd, run.bed, "intervals to fold, on their strand (column 6); or --random");
  cmd->add_option("--random", run.random, "draw N random segments instead of --bed (--seed)")->check(kNonNegative);
  cmd->add_option("--length,-l", run.length, "random segments' length")->check(kPositive)->capture_default_str();
  cmd->add_option("--len-min", run.len_min, "random lengths uniform in [--len-min, --len-max] (both set)")->check(kPositive);
  cmd->add_option("--len-max", run.len_max, "see --len-min")->check(kPositive);
  cmd->add_option("--threshold-mfe-freq", run.threshold, "keep segments whose MFE structure has this probability or more")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  add_out_option(cmd, run.out, "table (.tsv or .tsv.gz): id sequence structure mfe mfe_frequency");
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_make_dataset(*a); });
}

}  // namespace seqnn::cli
