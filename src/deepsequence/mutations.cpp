#include "seqnn/deepsequence/mutations.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn::ds {
namespace {

// "A42G" -> ('A', 42, 'G'); false when it does not have that shape.
bool split_change(const std::string& s, char& wt, int64_t& pos, char& mt) {
  if (s.size() < 3 || !std::isalpha(static_cast<unsigned char>(s.front())) ||
      !std::isalpha(static_cast<unsigned char>(s.back()))) {
    return false;
  }
  const std::string digits = s.substr(1, s.size() - 2);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 12) return false;
  wt = static_cast<char>(std::toupper(static_cast<unsigned char>(s.front())));
  mt = static_cast<char>(std::toupper(static_cast<unsigned char>(s.back())));
  pos = std::stoll(digits);
  return true;
}

}  // namespace

Mutant parse_mutant(const std::string& text, const FocusInfo& focus) {
  Mutant m;
  m.text = text;
  for (const std::string& part : split(text, ':')) {
    char wt = 0, mt = 0;
    int64_t pos = 0;
    if (!split_change(part, wt, pos, mt)) {
      m.problem = "'" + part + "' is not a mutation like A42G";
      return m;
    }
    if (aa_code(mt) < 0 || aa_code(mt) == kGapCode || aa_code(wt) < 0 || aa_code(wt) == kGapCode) {
      m.problem = "'" + part + "': residues must be one of the 20 amino acids";
      return m;
    }
    const int64_t col = focus.column_of(pos);
    if (col < 0) {
      m.problem = "position " + std::to_string(pos) + " is not a focus column";
      return m;
    }
    const char focus_wt = focus.sequence[static_cast<size_t>(col)];
    if (focus_wt != wt) {
      m.problem = "wild type at " + std::to_string(pos) + " is " + std::string(1, focus_wt) + ", not " + std::string(1, wt);
      return m;
    }
    for (const auto& earlier : m.changes) {
      if (earlier.first == col) {  // V29A:V29C names two residues at one site
        m.problem = "position " + std::to_string(pos) + " is mutated more than once";
        return m;
      }
    }
    m.changes.emplace_back(col, mt);
  }
  return m;
}

std::string apply_mutant(const Mutant& m, const std::string& focus_sequence) {
  std::string s = focus_sequence;
  for (const auto& [col, aa] : m.changes) s[static_cast<size_t>(col)] = aa;
  return s;
}

at::Tensor mean_elbo(const Vae& model, const std::vector<std::string>& sequences, const ElboOptions& o) {
  torch::NoGradGuard no_grad;
  if (o.samples <= 0 || o.batch_size <= 0) throw Error("--samples and the batch size must be positive");
  const int64_t n = static_cast<int64_t>(sequences.size());
  const at::Device dev = model.device();
  at::Tensor x = one_hot_codes(encode_codes(sequences)).reshape({n, -1}).to(dev);
  at::Tensor total = torch::zeros({n}, torch::TensorOptions().dtype(torch::kDouble).device(dev));
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
  at::Tensor eps_w = torch::empty_like(model.decoder_mu());
  std::vector<at::Tensor> enc = model.make_leaves(model.encoder_params(), model.encoder_segments(), false);
  const auto evaluated = [&](int64_t batch) {
    return o.batches.empty() || std::find(o.batches.begin(), o.batches.end(), batch) != o.batches.end();
  };
  for (int64_t s = 0; s < o.samples; ++s) {
    fill_normal(eps_w, next_seed(gen));
    at::Tensor w = model.sample_decoder(eps_w);
    std::vector<at::Tensor> dec = model.make_leaves(w, model.decoder_segments(), false);
    for (int64_t a = 0; a < n; a += o.batch_size) {
      const int64_t b = std::min(n, a + o.batch_size);
      at::Tensor eps_z = torch::randn({b - a, model.config().latent}, gen, torch::kFloat);  // drawn for every batch
      if (!evaluated(a / o.batch_size)) continue;
      ElboTerms t = model.elbo_terms(x.slice(0, a, b), eps_z.to(dev), enc, dec);
      total.slice(0, a, b) += (t.log_px - t.kl_z).to(torch::kDouble);
    }
    if (o.progress) o.progress(s + 1, o.samples);
  }
  for (int64_t a = 0; a < n; a += o.batch_size) {
    if (!evaluated(a / o.batch_size)) total.slice(0, a, std::min(n, a + o.batch_size)).fill_(std::nan(""));
  }
  return (total / static_cast<double>(o.samples)).cpu();
}

IndependentSiteModel::IndependentSiteModel(const at::Tensor& codes, const at::Tensor& weights, double pseudocount) {
  // counts[l, a] = sum of the weights of sequences with residue a at column l.
  at::Tensor x = one_hot_codes(codes).to(torch::kDouble);  // (N, L, 20)
  at::Tensor counts = torch::einsum("nla,n->la", {x, weights.to(torch::kDouble)});
  at::Tensor f = (counts + pseudocount / kAlphabetSize) / (counts.sum(1, true) + pseudocount);
  log_f_ = f.log();
}

double IndependentSiteModel::score(const Mutant& m, const std::string& focus_sequence) const {
  double s = 0.0;
  const double* lf = log_f_.data_ptr<double>();
  for (const auto& [col, aa] : m.changes) {
    const int wt = aa_code(focus_sequence[static_cast<size_t>(col)]);
    s += lf[col * kAlphabetSize + aa_code(aa)] - lf[col * kAlphabetSize + wt];
  }
  return s;
}

}  // namespace seqnn::ds
