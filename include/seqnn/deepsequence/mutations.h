#pragma once
// Mutation effects: mutants like "A42G" or "A42G:C55T" (UniProt positions, wild-type residue
// first), placed on the focus sequence. A mutant whose wild-type residue does not match the focus
// sequence, whose position is not a focus column, or whose residues are not amino acids is not
// scored; its `problem` says why.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seqnn/deepsequence/checkpoint.h"

namespace seqnn::ds {

struct Mutant {
  std::string text;
  std::vector<std::pair<int64_t, char>> changes;  // (focus column, new residue)
  std::string problem;                            // empty when the mutant can be scored
  bool ok() const { return problem.empty(); }
};

Mutant parse_mutant(const std::string& text, const FocusInfo& focus);
std::string apply_mutant(const Mutant& m, const std::string& focus_sequence);

struct ElboOptions {
  int64_t samples = 2000;  // draws of (decoder weights, z) averaged per sequence
  int64_t batch_size = 2048;
  uint64_t seed = 0;
  std::function<void(int64_t done, int64_t total)> progress;  // in samples
  // When not empty: only these batches (row blocks [k*batch_size, (k+1)*batch_size)) are
  // evaluated, the other rows come back NaN. Every batch's noise is drawn all the same, so an
  // evaluated row equals the full run's value bit for bit (a `--shard` of deepseq score).
  std::vector<int64_t> batches;
};

// Mean ELBO (log p(x|z) - KL(q(z|x) || N(0, I))) of each sequence over `samples` draws. Every
// draw shares one sample of the decoder weights across all sequences (so differences between a
// mutant and the wild type are not swamped by weight noise), with a fresh z per sequence.
at::Tensor mean_elbo(const Vae& model, const std::vector<std::string>& sequences, const ElboOptions& options);

// Independent-site model: per-column amino-acid frequencies of the weighted sequences, with
// `pseudocount` (in effective sequences) spread evenly over the 20 amino acids. Gaps are ignored.
class IndependentSiteModel {
 public:
  IndependentSiteModel(const at::Tensor& codes, const at::Tensor& weights, double pseudocount = 1.0);
  // Sum over the changes of log f(new) - log f(wild type).
  double score(const Mutant& m, const std::string& focus_sequence) const;
  const at::Tensor& log_frequencies() const { return log_f_; }  // (L, 20)

 private:
  at::Tensor log_f_;
};

}  // namespace seqnn::ds
