#pragma once
// Scoring a mutation table, as `seqnn deepseq score` does it: read the mutants, place them on the
// focus sequence, score each as mean ELBO(mutant) - mean ELBO(wild type) under a trained VAE
// and/or with the independent-site model, write the scores CSV, and correlate with a measured
// column. Mutants that cannot be placed are kept in the output with the reason in `note`.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seqnn/deepsequence/mutations.h"
#include "seqnn/util/shard.h"

namespace seqnn::ds {

struct ScoreMutationsOptions {
  std::string model;      // model file from train_vae (model_best.pt, a checkpoint or a snapshot); empty: no VAE
  std::string alignment;  // checked against the model's focus; needed by independent
  std::string mutations;  // the mutation CSV (mutation_table.h)
  std::string out;        // output CSV: mutant[,deepseq][,independent],note
  std::string mutant_column = "mutant";
  std::string spearman_column;  // empty: no correlation
  bool independent = false;     // also score with the independent-site model
  double pseudocount = 1.0;     // independent-site pseudocount (effective sequences)
  int64_t samples = 2000;       // draws per ELBO
  int64_t batch_size = 2048;    // sequences per forward pass
  uint64_t seed = 0;
  std::string device = "cpu";
  bool progress = true;  // progress bar over the ELBO draws on stderr
  // A block of whole batches of the ELBO pass ([wild type, placeable mutants...] in batch_size
  // rows): the table rows whose sequences fall in it, scored exactly as the unsharded run
  // scores them (every shard also evaluates batch 0, which holds the wild type), plus
  // OUT.shard.json; `seqnn merge` joins the shards' CSVs into the unsharded one.
  ShardSpec shard;
  // One line per skipped mutant (the first five, then a count), e.g. to print on stderr.
  std::function<void(const std::string&)> warn;
};

// Spearman rho over the mutants where both the score and the measured value are finite.
struct Correlation {
  double rho = 0;
  int64_t n = 0;
};
Correlation spearman_of(const std::vector<double>& score, const std::vector<double>& measured);

struct ScoreMutationsResult {
  std::vector<Mutant> mutants;                  // in table order (a shard's rows only)
  int64_t first_row = 0, table_rows = 0;        // the first row's index in the table; the table's rows
  std::vector<double> deepseq, independent;     // per mutant, NaN where not scored; empty when not asked
  int64_t skipped = 0;
  int64_t elbos = 0;         // sequences x samples evaluated (a shard's batches and batch 0)
  double elbo_seconds = 0;
  Correlation rho_deepseq, rho_independent;  // when a spearman_column was given
};

// Throws seqnn::Error (naming the file) for unreadable input, a model whose focus differs from
// the alignment's, or options that ask for nothing (no model and no independent).
ScoreMutationsResult score_mutations(const ScoreMutationsOptions& options);

// The output CSV text of a result.
std::string mutation_scores_csv(const ScoreMutationsResult& result);

}  // namespace seqnn::ds
