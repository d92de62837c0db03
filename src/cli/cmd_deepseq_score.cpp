// seqnn deepseq score: mutation effects as ELBO(mutant) - ELBO(wild type), and/or the
// independent-site baseline (ds::score_mutations); Spearman rho against a column when asked.
#include <algorithm>
#include <cstdio>

#include "cli/common_options.h"
#include "cli/deepseq_common.h"
#include "seqnn/deepsequence/score_run.h"

namespace seqnn::cli {
namespace {

struct ScoreArgs {
  CommonOptions common;
  ds::ScoreMutationsOptions run;
  std::string shard;
};

// "; Spearman vs COL: deepseq R (n=N), independent R (n=N)" for the scores that were made.
std::string spearman_summary(const ds::ScoreMutationsOptions& o, const ds::ScoreMutationsResult& r) {
  if (o.spearman_column.empty()) return "";
  std::string text = "; Spearman vs " + o.spearman_column + ":";
  char buf[96];
  if (!r.deepseq.empty()) {
    std::snprintf(buf, sizeof buf, " deepseq %.4f (n=%lld)", r.rho_deepseq.rho, static_cast<long long>(r.rho_deepseq.n));
    text += buf;
  }
  if (!r.independent.empty()) {
    std::snprintf(buf, sizeof buf, "%s independent %.4f (n=%lld)", r.deepseq.empty() ? "" : ",", r.rho_independent.rho,
                  static_cast<long long>(r.rho_independent.n));
    text += buf;
  }
  return text;
}

void run_score(ScoreArgs& a) {
  ds::ScoreMutationsOptions& o = a.run;
  o.device = apply_common_options(a.common);
  o.seed = a.common.seed;
  o.shard = shard_from_flag(a.shard);
  o.progress = !a.common.quiet;
  o.warn = [](const std::string& line) { std::fprintf(stderr, "seqnn deepseq score: %s\n", line.c_str()); };
  const ds::ScoreMutationsResult r = ds::score_mutations(o);
  const size_t n = r.mutants.size();
  const std::string rows = o.shard.sharded() ? " (shard " + o.shard.to_string() + ": rows " + std::to_string(r.first_row) + "-" +
                                                   std::to_string(r.first_row + static_cast<int64_t>(n)) + " of " + std::to_string(r.table_rows) + ")"
                                             : "";
  std::fprintf(stderr, "seqnn deepseq score: %zu mutants%s, %lld scored, %lld skipped; %lld ELBOs in %.1f s (%.0f/s)%s -> %s\n",
               n, rows.c_str(), static_cast<long long>(n - r.skipped), static_cast<long long>(r.skipped),
               static_cast<long long>(r.elbos), r.elbo_seconds, r.elbos / std::max(r.elbo_seconds, 1e-9),
               spearman_summary(o, r).c_str(), o.out.c_str());
}

}  // namespace

void register_deepseq_score(CLI::App& deepseq) {
  auto a = std::make_shared<ScoreArgs>();
  ds::ScoreMutationsOptions& o = a->run;
  auto* cmd = add_command(deepseq, "score", "score mutants: ELBO(mutant) - ELBO(wild type), and/or the independent-site model");
  add_model_option(cmd, o.model, "model from `seqnn deepseq train` (OUT/model_best.pt, a checkpoint or a snapshot)")
      ->required(false);
  CLI::Option* alignment =
      add_alignment_option(cmd, o.alignment, "the training alignment (checked against the model; needed by --independent)");
  cmd->add_option("--mutations", o.mutations, "CSV with a mutant column (A42G or A42G:C55T, UniProt positions)")
      ->type_name("FILE")
      ->required();
  add_out_option(cmd, o.out, "output CSV: mutant, scores, note (why a mutant was skipped)");
  cmd->add_option("--samples", o.samples, "draws of (decoder weights, z) per ELBO")->check(kPositive)->capture_default_str();
  add_batch_size_option(cmd, o.batch_size, "sequences per forward pass");
  cmd->add_option("--mutant-column", o.mutant_column, "name of the mutant column")->capture_default_str();
  cmd->add_option("--spearman", o.spearman_column, "report Spearman rho against this column")->type_name("COLUMN");
  cmd->add_flag("--independent", o.independent, "also score with the independent-site model")->needs(alignment);
  cmd->add_option("--pseudocount", o.pseudocount, "independent-site pseudocount (effective sequences)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_shard_option(cmd, a->shard);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_score(*a); });
}

}  // namespace seqnn::cli
