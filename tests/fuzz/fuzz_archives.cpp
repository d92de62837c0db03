// Fuzz target for the archive loaders besides Model::load (fuzz_model, fuzz_formats.cpp): the
// character-level LM (train-lm, generate), the S1 model (rna train/predict), DeepSequence model
// files and checkpoints (deepseq train/score) and the training state the epoch-based trainers
// resume from. The first byte picks the loader, the rest is the file.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "fuzz/fuzz_target.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/training/char_lm.h"
#include "seqnn/training/train_state.h"
#include "seqnn/util/error.h"

namespace seqnn::fuzz {
namespace {

// Forward passes only for models of the size a real run has (as fuzz_model): a file may declare
// up to the configs' weight limit, which would take the fuzzer's whole time (and memory) per input.
constexpr int64_t kMaxForwardParameters = 1000000;

int64_t count_parameters(const std::vector<at::Tensor>& parameters) {
  int64_t n = 0;
  for (const at::Tensor& p : parameters) n += p.numel();
  return n;
}

std::string shape(const at::Tensor& t) {
  if (!t.defined()) return "undefined";
  std::string s = "(";
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
  return s + ")";
}

void require_shape(const at::Tensor& t, const std::vector<int64_t>& sizes, const std::string& what) {
  require(t.defined() && t.sizes() == c10::IntArrayRef(sizes), what + " has shape " + shape(t));
}

// load_char_lm: a config that reads back unchanged, logits (1, T, V) for T tokens, and sampling
// that stops within its length with the alphabet's letters (as `seqnn generate`).
void check_char_lm(const std::string& path) {
  CharLm lm = load_char_lm(path);
  const CharLmConfig& c = lm->config();
  const std::string json = c.to_json();
  const std::string again = must_succeed("the LM's own config", [&] { return CharLmConfig::from_json(json, "written").to_json(); });
  require(again == json, "the LM's config changed in a JSON round trip");
  const int64_t vocabulary = c.vocabulary();
  require(vocabulary >= 2, "an LM of " + std::to_string(vocabulary) + " tokens accepted");
  if (count_parameters(lm->parameters()) > kMaxForwardParameters) return;
  torch::NoGradGuard no_grad;
  const int64_t tokens = 5;
  const torch::Tensor input = torch::arange(tokens, torch::kLong).remainder(vocabulary).unsqueeze(0);  // BOS, then letters
  require_shape(lm->forward(input), {1, tokens, vocabulary}, "the logits of 5 tokens");
  const Alphabet alphabet = must_succeed("the LM's alphabet", [&] { return Alphabet::from_name(c.alphabet); });
  const std::vector<std::string> sampled = generate_sequences(lm, 1, 8, 1.0, 0);
  require(sampled.size() == 1 && sampled[0].size() <= 8, "sampling did not give one sequence of at most 8 letters");
  for (char letter : sampled[0]) require(alphabet.index(letter) >= 0, std::string("sampled a letter outside the alphabet: ") + letter);
}

// S1Model::load: a config that validates and reads back unchanged, and (for small models) the
// output maps of an (1, 8, L, L) input with their documented shapes.
void check_s1_model(const std::string& path) {
  rna::S1Model model = rna::S1Model::load(path);
  require(model.valid(), "S1Model::load returned an empty model");
  const rna::S1Config& c = model.config();
  must_succeed("the S1 model's config", [&] {
    c.validate("loaded S1 config");
    return 0;
  });
  require(!c.filters.empty() && c.filters.size() == c.widths.size(), "an S1 config without matching filters and widths");
  const std::string json = c.to_json();
  const std::string again = must_succeed("the S1 model's own config", [&] { return rna::S1Config::from_json(json, "written").to_json(); });
  require(again == json, "the S1 config changed in a JSON round trip");
  const int64_t parameters = model.num_parameters();
  require(parameters > 0, "an S1 model without parameters");
  if (parameters > kMaxForwardParameters || c.total_padding() > 32) return;
  torch::NoGradGuard no_grad;
  const int64_t L = 6;
  const rna::S1Output out = model.forward(torch::zeros({1, 8, L, L}));
  for (int t = 0; t < rna::kNumBoxTypes; ++t) {
    const std::string type = "S1 output of box type " + std::to_string(t) + ": ";
    require_shape(out.on[static_cast<size_t>(t)], {1, L, L}, type + "on");
    require_shape(out.loc_x[static_cast<size_t>(t)], {1, rna::kLocationClasses, L, L}, type + "loc_x");
    require_shape(out.loc_y[static_cast<size_t>(t)], {1, rna::kLocationClasses, L, L}, type + "loc_y");
    require_shape(out.size_x[static_cast<size_t>(t)], {1, rna::kSizeClasses, L, L}, type + "size_x");
    require_shape(out.size_y[static_cast<size_t>(t)], {1, rna::kSizeClasses, L, L}, type + "size_y");
    require_shape(out.scalar_x[static_cast<size_t>(t)], {1, L, L}, type + "scalar_x");
    require_shape(out.scalar_y[static_cast<size_t>(t)], {1, L, L}, type + "scalar_y");
  }
}

// load_checkpoint: a model whose input is the focus sequence (L columns of 20 amino acids), one
// increasing UniProt position per focus column (`score` places mutants by them), a step count
// >= 0, and (for small models) one ELBO per sequence.
void check_deepseq_checkpoint(const std::string& path) {
  ds::Checkpoint ck = ds::load_checkpoint(path);
  require(ck.model != nullptr, "a DeepSequence file accepted without a model");
  const ds::Vae& model = *ck.model;
  const int64_t L = model.length();
  const int64_t columns = static_cast<int64_t>(ck.focus.sequence.size());
  require(L == columns, "a model of " + std::to_string(L) + " columns for a focus sequence of " + std::to_string(columns));
  require(static_cast<int64_t>(ck.focus.positions.size()) == columns,
          std::to_string(ck.focus.positions.size()) + " UniProt positions for " + std::to_string(columns) + " focus columns");
  require(std::adjacent_find(ck.focus.positions.begin(), ck.focus.positions.end(),
                             [](int64_t a, int64_t b) { return a >= b; }) == ck.focus.positions.end(),
          "focus positions that do not increase");
  require(ck.steps >= 0, "a negative step count: " + std::to_string(ck.steps));
  const std::string json = model.config().to_json();
  const std::string again = must_succeed("the VAE's own config", [&] { return ds::VaeConfig::from_json(json, "written").to_json(); });
  require(again == json, "the VAE config changed in a JSON round trip");
  if (model.encoder_params().numel() + model.decoder_mu().numel() > kMaxForwardParameters) return;
  torch::NoGradGuard no_grad;
  const std::vector<at::Tensor> encoder = model.make_leaves(model.encoder_params(), model.encoder_segments(), false);
  const std::vector<at::Tensor> decoder = model.make_leaves(model.sample_decoder(at::Tensor()), model.decoder_segments(), false);
  const ds::ElboTerms terms = model.elbo_terms(torch::zeros({1, model.input_size()}), at::Tensor(), encoder, decoder);
  require_shape(terms.log_px, {1}, "log p(x) of one sequence");
  require_shape(terms.kl_z, {1}, "KL(z) of one sequence");
}

// load_train_state into an Adam over the parameters of the seeds' model (make_corpus.sh: `seqnn
// train`, a CNN of 2 filters of width 3 on RNA and one output): counters that are consistent,
// moments of each parameter's shape, and a step the restored optimiser can take. A state saved
// for other parameters (another model's) must be refused with a seqnn::Error.
void check_train_state(const std::string& path) {
  std::vector<torch::Tensor> parameters = {torch::zeros({2, 4, 3}), torch::zeros({2}), torch::zeros({1, 2}), torch::zeros({1})};
  for (torch::Tensor& p : parameters) p.set_requires_grad(true);
  torch::optim::Adam adam(parameters, torch::optim::AdamOptions(1e-3));
  const TrainState s = load_train_state(path, adam);
  require(s.done >= 0, "a negative count of units done: " + std::to_string(s.done));
  require(s.best >= -1 && s.best <= s.done,
          "best unit " + std::to_string(s.best) + " outside [-1, " + std::to_string(s.done) + "]");
  require(s.plateau_bad >= 0, "a negative plateau count: " + std::to_string(s.plateau_bad));
  require(!std::isnan(s.plateau_best), "a NaN best plateau loss");
  require(adam.param_groups().size() == 1 && adam.param_groups()[0].params().size() == parameters.size(),
          "the restored optimiser has other parameter groups");
  for (size_t i = 0; i < parameters.size(); ++i) {
    const auto it = adam.state().find(c10::guts::to_string(parameters[i].unsafeGetTensorImpl()));  // LibTorch's key
    if (it == adam.state().end()) continue;
    const auto& state = static_cast<const torch::optim::AdamParamState&>(*it->second);
    const std::string which = "parameter " + std::to_string(i) + " " + shape(parameters[i]);
    require(state.exp_avg().defined() && state.exp_avg().sizes() == parameters[i].sizes(),
            "restored first moment of " + which + " has shape " + shape(state.exp_avg()));
    require(state.exp_avg_sq().defined() && state.exp_avg_sq().sizes() == parameters[i].sizes(),
            "restored second moment of " + which + " has shape " + shape(state.exp_avg_sq()));
  }
  for (torch::Tensor& p : parameters) p.mutable_grad() = torch::ones_like(p);
  try {
    adam.step();
  } catch (const c10::Error& e) {
    throw FuzzFinding(std::string("the restored optimiser cannot take a step: ") + e.what_without_backtrace());
  }
}

}  // namespace

void fuzz_archive(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const std::string path = write_input_file("archive.pt", data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      check_char_lm(path);
      break;
    case 1:
      check_s1_model(path);
      break;
    case 2:
      check_deepseq_checkpoint(path);
      break;
    default:
      check_train_state(path);
      break;
  }
}

}  // namespace seqnn::fuzz
