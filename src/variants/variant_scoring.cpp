#include "seqnn/variants/variant_scoring.h"

#include <torch/torch.h>

#include <algorithm>

#include "seqnn/inference/output_columns.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/variants/variant_windows.h"

namespace seqnn {
namespace {

// All outputs flattened to (n, columns) and concatenated.
at::Tensor flatten_outputs(const ModelOutput& out) {
  std::vector<at::Tensor> parts;
  for (const auto& t : out.tensors) parts.push_back(t.reshape({t.size(0), -1}));
  return parts.size() == 1 ? parts[0] : torch::cat(parts, 1);
}

}  // namespace

const std::vector<std::string>& mc_statistic_names() { return paired_statistic_names(); }

VariantScorer::VariantScorer(Model& model, const IndexedFasta& genome, VariantScoringOptions opts)
    : model_(model), genome_(genome), opts_(std::move(opts)), pairs_(model_, opts_.predict, opts_.rc, opts_.engine) {
  if (opts_.length <= 0) throw Error("window length must be positive (give --length or use a model with a fixed input length)");
  if (opts_.scores.empty()) throw Error("no scores requested");
  for (const auto& s : opts_.scores) {
    if (!is_variant_score(s)) throw Error("unknown score '" + s + "' (choose ref, alt, diff, abs_diff, logit_diff, log2fc)");
  }
  const std::string alphabet = model_.info().alphabet;
  if (alphabet != "dna" && alphabet != "rna") throw Error("variant scoring needs a DNA or RNA model (this one reads " + alphabet + ")");
  if (opts_.mc.enabled()) {  // a model without dropout fails here, before any VCF record is read
    const bool was_training = model_.is_training();
    model_.enable_mc_dropout();
    model_.train(was_training);
  }
  // One forward pass on an all-N window names the output columns (and checks the length) before
  // any output is written.
  PredictOptions quiet = opts_.predict;
  quiet.progress = nullptr;
  const int64_t A = Alphabet::from_name(alphabet).size();
  resolve_tasks(predict(model_, torch::zeros({1, A, opts_.length}, torch::kInt8), {}, quiet));
}

void VariantScorer::resolve_tasks(const ModelOutput& out) {
  all_names_ = output_column_names(out, model_.info().output_names);
  const int64_t columns = static_cast<int64_t>(all_names_.size());
  task_index_ = resolve_target_columns(opts_.targets, all_names_, columns);
  if (opts_.targets.empty()) {
    for (int64_t c = 0; c < columns; ++c) task_index_.push_back(c);
  }
  for (int64_t c : task_index_) task_names_.push_back(all_names_[static_cast<size_t>(c)]);
}

at::Tensor VariantScorer::select_tasks(const ModelOutput& out) {
  return flatten_outputs(out).index_select(1, torch::tensor(task_index_, torch::kInt64));
}

ScoredChunk VariantScorer::score(const std::vector<Variant>& variants) {
  ScoredChunk chunk;
  std::vector<std::string> refs, alts;
  for (const auto& v : variants) {
    if (!v.problem.empty()) {
      chunk.skipped.push_back({v, v.problem});
      continue;
    }
    if (genome_.resolve(v.chrom).empty()) {
      chunk.skipped.push_back({v, "chromosome '" + v.chrom + "' is not in the genome " + genome_.path()});
      continue;
    }
    const int64_t chrom_length = genome_.length(genome_.resolve(v.chrom));
    if (v.pos < 1 || v.pos + static_cast<int64_t>(v.ref.size()) - 1 > chrom_length) {
      chunk.skipped.push_back({v, "POS " + std::to_string(v.pos) + " (REF " + v.ref + ") is outside chromosome " + v.chrom +
                                      " (length " + std::to_string(chrom_length) + " in " + genome_.path() + ")"});
      continue;
    }
    // An allele longer than the window cannot be seen whole by the model: the score would compare
    // two windows that each hold only a piece of it.
    const int64_t longest = static_cast<int64_t>(std::max(v.ref.size(), v.alt.size()));
    if (opts_.length > 0 && longest > opts_.length) {
      chunk.skipped.push_back({v, "an allele of " + std::to_string(longest) + " bases is longer than the window (" +
                                      std::to_string(opts_.length) + ")"});
      continue;
    }
    VariantWindows w = make_variant_windows(genome_, v, opts_.length);
    if (!w.ref_matches) {
      chunk.skipped.push_back({v, "REF " + v.ref + " does not match the genome (" + w.genome_ref + ")"});
      continue;
    }
    chunk.variants.push_back(v);
    chunk.padded.push_back(w.padded);
    refs.push_back(std::move(w.ref_seq));
    alts.push_back(std::move(w.alt_seq));
  }
  if (chunk.variants.empty()) return chunk;

  // Genome windows are DNA: an RNA model reads them as the + strand's transcript (T as U, the
  // same one-hot column), so both kinds encode with the DNA alphabet.
  const Alphabet& alphabet = Alphabet::dna();
  ChunkEncodeOptions lengths;
  lengths.length = opts_.length;
  at::Tensor ref = one_hot_encode_chunk(refs, alphabet, lengths), alt = one_hot_encode_chunk(alts, alphabet, lengths);
  PairedPrediction p = pairs_(ref, alt);
  chunk.incremental = p.incremental;
  chunk.engine_note = p.engine_note;
  at::Tensor r = select_tasks(p.ref).to(torch::kFloat), a = select_tasks(p.alt).to(torch::kFloat);
  for (const auto& s : opts_.scores) chunk.scores.push_back(variant_score(s, r, a));

  if (opts_.mc.enabled()) {
    auto summaries = predict_pairs_mc(model_, ref, alt, opts_.predict, opts_.mc, opts_.rc);
    const size_t statistics = paired_statistic_names().size();
    for (size_t s = 0; s < statistics; ++s) {
      std::vector<at::Tensor> per_output;
      for (const auto& summary : summaries) per_output.push_back(summary.reported()[s]);
      chunk.mc.push_back(select_tasks(p.ref.with(per_output)));
    }
  }
  return chunk;
}

}  // namespace seqnn
