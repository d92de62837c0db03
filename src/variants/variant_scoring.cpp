#include "seqnn/variants/variant_scoring.h"

#include <torch/torch.h>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/variants/variant_windows.h"

namespace seqnn {
namespace {

// Names of the flattened output columns: the model's output names for a single output that has
// them, the column index for a single output without, "<output>.<index>" for several outputs.
std::vector<std::string> column_names(const ModelOutput& out, const std::vector<std::string>& model_names) {
  std::vector<std::string> names;
  for (size_t j = 0; j < out.size(); ++j) {
    const int64_t cols = out[j].numel() / std::max<int64_t>(out[j].size(0), 1);
    const bool named = out.size() == 1 && static_cast<int64_t>(model_names.size()) == cols;
    for (int64_t c = 0; c < cols; ++c) {
      if (named) names.push_back(model_names[static_cast<size_t>(c)]);
      else if (out.size() == 1) names.push_back(std::to_string(c));
      else names.push_back(out.names[j] + "." + std::to_string(c));
    }
  }
  return names;
}

// All outputs flattened to (n, columns) and concatenated.
at::Tensor flatten_outputs(const ModelOutput& out) {
  std::vector<at::Tensor> parts;
  for (const auto& t : out.tensors) parts.push_back(t.reshape({t.size(0), -1}));
  return parts.size() == 1 ? parts[0] : torch::cat(parts, 1);
}

bool is_index(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// Encodes sequences of equal length into an (n, A, L) int8 tensor.
at::Tensor encode(const std::vector<std::string>& seqs, const Alphabet& alphabet, int64_t length) {
  at::Tensor x = torch::zeros({static_cast<int64_t>(seqs.size()), alphabet.size(), length}, torch::kInt8);
  for (size_t i = 0; i < seqs.size(); ++i) {
    one_hot_encode_into(seqs[i], alphabet, x[static_cast<int64_t>(i)].data_ptr<int8_t>());
  }
  return x;
}

}  // namespace

const std::vector<std::string>& mc_statistic_names() {
  static const std::vector<std::string> names = {"ref_mean", "ref_sd",  "alt_mean", "alt_sd",
                                                 "diff_mean", "diff_sd", "corr",     "p_diff_gt0"};
  return names;
}

VariantScorer::VariantScorer(Model& model, const IndexedFasta& genome, VariantScoringOptions opts)
    : model_(model), genome_(genome), opts_(std::move(opts)) {
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
  all_names_ = column_names(out, model_.info().output_names);
  const int64_t columns = static_cast<int64_t>(all_names_.size());
  if (opts_.tasks.empty()) {
    for (int64_t c = 0; c < columns; ++c) task_index_.push_back(c);
  }
  for (const auto& t : opts_.tasks) {
    int64_t found = -1;
    for (int64_t c = 0; c < columns && found < 0; ++c) {
      if (all_names_[static_cast<size_t>(c)] == t) found = c;
    }
    if (found < 0 && is_index(t) && std::stoll(t) < columns) found = std::stoll(t);
    if (found < 0) {
      throw Error("--tasks: '" + t + "' is neither an output name nor an index below " + std::to_string(columns));
    }
    task_index_.push_back(found);
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

  const Alphabet alphabet = Alphabet::from_name(model_.info().alphabet);
  at::Tensor ref = encode(refs, alphabet, opts_.length), alt = encode(alts, alphabet, opts_.length);
  PairedPrediction p = predict_pairs(model_, ref, alt, opts_.predict, opts_.rc);
  at::Tensor r = select_tasks(p.ref).to(torch::kFloat), a = select_tasks(p.alt).to(torch::kFloat);
  for (const auto& s : opts_.scores) chunk.scores.push_back(variant_score(s, r, a));

  if (opts_.mc.enabled()) {
    auto summaries = predict_pairs_mc(model_, ref, alt, opts_.predict, opts_.mc, opts_.rc);
    auto pick = [&](auto member) {
      std::vector<at::Tensor> parts;
      for (const auto& s : summaries) parts.push_back(s.*member);
      return select_tasks(p.ref.with(parts));
    };
    using S = PairedMoments::Summary;
    for (auto member : {&S::ref_mean, &S::ref_sd, &S::alt_mean, &S::alt_sd, &S::diff_mean, &S::diff_sd, &S::corr,
                        &S::p_diff_positive}) {
      chunk.mc.push_back(pick(member));
    }
  }
  return chunk;
}

}  // namespace seqnn
