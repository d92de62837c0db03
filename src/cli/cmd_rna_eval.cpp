// seqnn rna eval: base-pair precision / recall / F1 of predicted structures, and box sensitivity.
#include <cstdio>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/eval_run.h"

namespace seqnn::cli {
namespace {

struct RnaEvalArgs {
  CommonOptions common;
  rna::RnaEvalRunOptions run;
};

void run_rna_eval(RnaEvalArgs& a) {
  apply_common_options(a.common);
  a.run.progress = !a.common.quiet;
  const rna::StructureEvaluation e = rna::evaluate_structure_files(a.run);
  std::fprintf(stderr, "seqnn rna eval: %lld structures (%lld without a prediction skipped): mean precision %.4f, recall %.4f, F1 %.4f",
               static_cast<long long>(e.rows.size()), static_cast<long long>(e.missing), e.mean_precision, e.mean_recall,
               e.mean_f1);
  if (e.has_boxes) {
    const auto& s = e.boxes;
    std::fprintf(stderr, "; box sensitivity identical %.4f, overlapping %.4f (stem %.3f/%.3f, iloop %.3f/%.3f, hloop %.3f/%.3f)",
                 s.identical_rate(), s.overlapping_rate(), s.identical_rate(0), s.overlapping_rate(0), s.identical_rate(1),
                 s.overlapping_rate(1), s.identical_rate(2), s.overlapping_rate(2));
  }
  std::fprintf(stderr, "%s%s\n", a.run.out.empty() ? "" : " -> ", a.run.out.c_str());
}

}  // namespace

void register_rna_eval(CLI::App& rna) {
  auto a = std::make_shared<RnaEvalArgs>();
  rna::RnaEvalRunOptions& run = a->run;
  auto* cmd = add_command(rna, "eval", "base-pair precision/recall/F1 and box sensitivity against known structures");
  cmd->add_option("--truth", run.truth, "known structures: TSV/CSV with id, sequence, structure or base_pairs")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--pred,-p", run.pred, "predicted structures: `seqnn rna predict` TSV or dot-bracket FASTA (RNAfold output)")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--boxes", run.boxes, "box table from `seqnn rna predict` (<out>.boxes.tsv): box sensitivity")->type_name("FILE");
  add_out_option(cmd, run.out, "per-sequence scores (.tsv)")->required(false);
  cmd->add_option("--max-length", run.max_length, "score only structures up to this length (0 = all)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_rna_eval(*a); });
}

}  // namespace seqnn::cli
