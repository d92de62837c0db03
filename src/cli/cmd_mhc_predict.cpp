// seqnn mhc predict: IC50 and percentile rank for every allele x peptide.
#include <cstdio>

#include "cli/common_options.h"
#include "cli/mhc_commands.h"
#include "seqnn/mhc/predict_run.h"

namespace seqnn::cli {
namespace {

struct MhcPredictArgs {
  CommonOptions common;
  mhc::MhcPredictOptions run;
};

void run_mhc_predict(MhcPredictArgs& a) {
  a.run.device = apply_common_options(a.common);
  a.run.progress = !a.common.quiet;
  const mhc::MhcPredictResult r = mhc::run_mhc_predict(a.run);
  std::fprintf(stderr, "seqnn mhc predict: %lld peptides x %lld alleles = %lld rows on %s (%lld allele(s) calibrated now) -> %s\n",
               static_cast<long long>(r.peptides), static_cast<long long>(r.alleles), static_cast<long long>(r.rows),
               a.run.device.c_str(), static_cast<long long>(r.calibrated_now), a.run.out.c_str());
}

}  // namespace

void register_mhc_predict(CLI::App& mhc) {
  auto a = std::make_shared<MhcPredictArgs>();
  mhc::MhcPredictOptions& run = a->run;
  auto* cmd = add_command(mhc, "predict", "predicted IC50 (nM) and percentile rank of every allele x peptide");
  add_model_option(cmd, run.model, "pan-allele model from `seqnn mhc train`");
  cmd->add_option("--alleles", run.alleles, "alleles, comma-separated (HLA-A*02:01, HLA-A02:01 or HLA-A0201)")
      ->delimiter(',')
      ->required();
  cmd->add_option("--peptides", run.peptides, "peptides, one per line (- = standard input)")->type_name("FILE")->required();
  cmd->add_option("--pseudo-sequences", run.pseudo_sequences,
                  "allele pseudo-sequences (NetMHCpan's MHC_pseudo.dat format) instead of the model's own")
      ->type_name("FILE");
  add_out_option(cmd, run.out, "output TSV: allele, peptide, ic50_nM, percentile_rank");
  add_batch_size_option(cmd, run.batch_size, "allele x peptide pairs per forward pass");
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_mhc_predict(*a); });
}

}  // namespace seqnn::cli
