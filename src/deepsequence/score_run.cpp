#include "seqnn/deepsequence/score_run.h"

#include <torch/torch.h>

#include <cmath>
#include <memory>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/deepsequence/mutation_table.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/training/metrics.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/memory.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn::ds {
namespace {

constexpr int64_t kWarnedSkips = 5;

// The model (when given), the focus to place mutants on, and the independent-site model.
struct Scorers {
  Checkpoint ck;
  FocusInfo focus;
  std::unique_ptr<IndependentSiteModel> site;
};

Scorers load_scorers(const ScoreMutationsOptions& o) {
  Scorers s;
  if (!o.model.empty()) {
    s.ck = load_checkpoint(o.model);
    s.ck.model->to(torch::Device(o.device));
    s.focus = s.ck.focus;
  }
  if (o.alignment.empty()) return s;
  const Alignment aln = read_alignment(o.alignment);
  if (s.ck.model) {
    check_same_focus(s.ck.focus, aln);
  } else {
    s.focus = focus_of(aln, 0);
  }
  if (o.independent) {
    WeightsOptions wo;
    wo.device = o.device;
    if (s.ck.model) wo.theta = s.ck.model->config().theta;
    const at::Tensor codes = encode_codes(aln.sequences);
    s.site = std::make_unique<IndependentSiteModel>(codes, sequence_weights(codes, wo), o.pseudocount);
  }
  return s;
}

std::vector<Mutant> place_mutants(const MutationTable& table, const FocusInfo& focus) {
  std::vector<Mutant> mutants;
  for (const std::string& text : table.mutants) mutants.push_back(parse_mutant(text, focus));
  return mutants;
}

// The table rows [begin, end) a run writes and the ELBO batches it evaluates (empty: all). The
// ELBO pass runs over [wild type, placeable mutants...]; a shard takes a block of whole batches of
// it (util/shard.h) and the rows whose sequence is in the block; an unplaceable row goes with the
// next placeable one (the last shard takes trailing ones), so the shards' rows tile the table.
struct RowBlock {
  int64_t begin = 0, end = 0;
  std::vector<int64_t> batches;
};

RowBlock row_block(const std::vector<Mutant>& mutants, const ScoreMutationsOptions& o) {
  const int64_t rows = static_cast<int64_t>(mutants.size());
  if (!o.shard.sharded()) return {0, rows, {}};
  int64_t sequences = 1;
  for (const Mutant& m : mutants) sequences += m.ok();
  const auto [first, last] = checked_shard_range(sequences, o.shard, o.batch_size, o.mutations, "sequences (wild type and placeable mutants)");
  // Row i's sequence is 1 + the placeable rows before it (an unplaceable row: the next one's).
  auto first_row_at = [&](int64_t sequence_index) {
    int64_t sequence = 1, i = 0;
    for (; i < rows && sequence < sequence_index; ++i) sequence += mutants[static_cast<size_t>(i)].ok();
    return i;
  };
  RowBlock block;
  block.begin = first_row_at(first);
  block.end = last == sequences ? rows : first_row_at(last);
  if (first > 0) block.batches.push_back(0);  // the wild type's batch
  for (int64_t b = first / o.batch_size; b * o.batch_size < last; ++b) block.batches.push_back(b);
  return block;
}

// Reports the first few rows of the block that cannot be placed through o.warn.
int64_t warn_skipped(const MutationTable& table, const std::vector<Mutant>& mutants, const RowBlock& block,
                     const ScoreMutationsOptions& o) {
  int64_t skipped = 0;
  for (int64_t i = block.begin; i < block.end; ++i) {
    const Mutant& m = mutants[static_cast<size_t>(i)];
    if (!m.ok() && ++skipped <= kWarnedSkips && o.warn) {
      o.warn("skipping " + table.path + ":" + std::to_string(table.lines[static_cast<size_t>(i)]) + " " + m.text + ": " + m.problem);
    }
  }
  if (skipped > kWarnedSkips && o.warn) o.warn("... " + std::to_string(skipped) + " mutants skipped in all");
  return skipped;
}

template <typename T>
std::vector<T> rows_of(const std::vector<T>& all, const RowBlock& block) {
  return std::vector<T>(all.begin() + block.begin, all.begin() + block.end);
}

// ELBO(mutant) - ELBO(wild type) for every placeable mutant; NaN for the others.
std::vector<double> vae_scores(const Vae& model, const std::vector<Mutant>& mutants, const std::string& wild_type,
                               const std::vector<int64_t>& batches, const ScoreMutationsOptions& o, ScoreMutationsResult& r) {
  std::vector<std::string> seqs = {wild_type};  // wild type first
  for (const Mutant& m : mutants) {
    if (m.ok()) seqs.push_back(apply_mutant(m, wild_type));
  }
  ProgressBar bar("deepseq score", o.samples, "samples", o.progress);
  ElboOptions eo;
  eo.samples = o.samples;
  eo.batch_size = o.batch_size;
  eo.seed = o.seed;
  eo.batches = batches;
  eo.progress = [&](int64_t done, int64_t) { bar.update(done); };
  const at::Tensor elbo = mean_elbo(model, seqs, eo);
  bar.finish();
  r.elbo_seconds = bar.elapsed_seconds();
  const double* e = elbo.data_ptr<double>();
  for (size_t k = 0; k < seqs.size(); ++k) r.elbos += std::isfinite(e[k]) ? o.samples : 0;
  std::vector<double> out(mutants.size(), std::nan(""));
  for (size_t i = 0, k = 1; i < mutants.size(); ++i) {
    if (mutants[i].ok()) out[i] = e[k++] - e[0];
  }
  return out;
}

std::vector<double> site_scores(const IndependentSiteModel& site, const std::vector<Mutant>& mutants,
                                const std::string& wild_type) {
  std::vector<double> out(mutants.size(), std::nan(""));
  for (size_t i = 0; i < mutants.size(); ++i) {
    if (mutants[i].ok()) out[i] = site.score(mutants[i], wild_type);
  }
  return out;
}

}  // namespace

Correlation spearman_of(const std::vector<double>& score, const std::vector<double>& measured) {
  std::vector<double> s, m;
  for (size_t i = 0; i < score.size() && i < measured.size(); ++i) {
    if (std::isfinite(score[i]) && std::isfinite(measured[i])) {
      s.push_back(score[i]);
      m.push_back(measured[i]);
    }
  }
  return Correlation{spearman(s, m), static_cast<int64_t>(s.size())};
}

ScoreMutationsResult score_mutations(const ScoreMutationsOptions& o) {
  keep_freed_memory();
  if (o.model.empty() && !o.independent) throw Error("give a model, the independent-site model or both");
  if (o.independent && o.alignment.empty()) throw Error("the independent-site model needs the alignment");
  Scorers s = load_scorers(o);
  const MutationTable table = read_mutation_table(o.mutations, o.mutant_column, o.spearman_column);
  check_writable(o.out);
  const std::vector<Mutant> mutants = place_mutants(table, s.focus);
  const RowBlock block = row_block(mutants, o);
  ScoreMutationsResult r;
  r.first_row = block.begin;
  r.table_rows = static_cast<int64_t>(mutants.size());
  r.skipped = warn_skipped(table, mutants, block, o);
  r.mutants = rows_of(mutants, block);
  if (s.ck.model) r.deepseq = rows_of(vae_scores(*s.ck.model, mutants, s.focus.sequence, block.batches, o, r), block);
  if (s.site) r.independent = site_scores(*s.site, r.mutants, s.focus.sequence);
  AtomicFile file(o.out);
  file.write(mutation_scores_csv(r));
  file.commit();
  if (!o.spearman_column.empty()) {
    const std::vector<double> measured = rows_of(table.measured, block);
    if (!r.deepseq.empty()) r.rho_deepseq = spearman_of(r.deepseq, measured);
    if (!r.independent.empty()) r.rho_independent = spearman_of(r.independent, measured);
  }
  if (o.shard.sharded()) write_shard_manifest("deepseq score", o.shard, block.begin, block.end, r.table_rows, o.out, {o.out});
  return r;
}

std::string mutation_scores_csv(const ScoreMutationsResult& r) {
  std::string text = "mutant";
  if (!r.deepseq.empty()) text += ",deepseq";
  if (!r.independent.empty()) text += ",independent";
  text += ",note\n";
  for (size_t i = 0; i < r.mutants.size(); ++i) {
    const Mutant& m = r.mutants[i];
    text += m.text;
    for (const std::vector<double>* col : {&r.deepseq, &r.independent}) {
      if (col->empty()) continue;
      text += ",";
      if (m.ok()) append_number(text, (*col)[i]);
    }
    text += "," + m.problem + "\n";
  }
  return text;
}

}  // namespace seqnn::ds
