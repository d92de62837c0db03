#include "seqnn/deepsequence/vae.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <mutex>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/util/parallel.h"
#include "seqnn/util/seed_mix.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn::ds {
namespace {

int64_t product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

void add(std::vector<Segment>& segs, int64_t& offset, std::string name, std::vector<int64_t> shape, double prior_mean,
         double prior_sigma) {
  Segment s{std::move(name), offset, std::move(shape), prior_mean, prior_sigma};
  offset += s.numel();
  segs.push_back(std::move(s));
}

bool is_bias(const Segment& s) { return s.shape.size() == 1; }

at::Tensor view_of(const at::Tensor& flat, const Segment& s) { return flat.slice(0, s.offset, s.offset + s.numel()).view(s.shape); }

}  // namespace

void fill_normal(at::Tensor& out, uint64_t seed) {
  if (!out.is_cpu()) {
    at::Generator g = at::globalContext().defaultGenerator(out.device());
    {
      std::lock_guard<std::mutex> lock(g.mutex());
      g.set_current_seed(splitmix64(seed));
    }
    out.normal_(0.0, 1.0, g);
    return;
  }
  constexpr int64_t kChunk = 1 << 20;
  const int64_t n = out.numel();
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  at::Tensor flat = out.view({-1});
  parallel_for_with_state(0, chunks, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      at::Generator g = at::make_generator<at::CPUGeneratorImpl>(splitmix64(seed ^ splitmix64(static_cast<uint64_t>(c))));
      flat.slice(0, c * kChunk, std::min(n, (c + 1) * kChunk)).normal_(0.0, 1.0, g);
    }
  });
}

uint64_t next_seed(at::Generator& gen) {
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get<at::CPUGeneratorImpl>()->random64();
}

int64_t Segment::numel() const { return product(shape); }

namespace {

// The weights (means and log-sigmas of the decoder included) of a VAE for `length` columns: a
// config whose layers are too wide for that alignment is refused before anything is allocated.
void check_vae_weights(const VaeConfig& c, int64_t length) {
  double weights = 0, in = static_cast<double>(length) * kAlphabetSize;
  for (int64_t w : c.encoder) {
    weights += (in + 1) * static_cast<double>(w);
    in = static_cast<double>(w);
  }
  weights += 2 * (in + 1) * static_cast<double>(c.latent);
  in = static_cast<double>(c.latent);
  for (int64_t w : c.decoder) {
    weights += 2 * (in + 1) * static_cast<double>(w);
    in = static_cast<double>(w);
  }
  const double channels = c.dictionary > 0 ? static_cast<double>(c.dictionary) : kAlphabetSize;
  weights += 2 * in * static_cast<double>(length) * channels;
  if (weights > kMaxConfigWeights) {
    fail("deepsequence config", "encoder/decoder widths give " + std::to_string(static_cast<long long>(weights)) +
                                    " weights for " + std::to_string(length) + " alignment columns, more than the " +
                                    std::to_string(static_cast<long long>(kMaxConfigWeights)) + " seqnn builds");
  }
}

}  // namespace

Vae::Vae(VaeConfig config, int64_t length, uint64_t seed) : config_(std::move(config)), length_(length) {
  config_.validate("deepsequence config");
  if (length_ <= 0) fail("deepsequence model", "alignment length must be positive");
  check_vae_weights(config_, length_);
  build_segments();
  initialise(seed);
}

void Vae::to(const at::Device& device) {
  enc_ = enc_.to(device);
  dec_mu_ = dec_mu_.to(device);
  dec_ls_ = dec_ls_.to(device);
}

int64_t Vae::input_size() const { return length_ * kAlphabetSize; }

void Vae::build_segments() {
  const double ps = config_.prior_sigma;
  int64_t off = 0, in = input_size();
  for (size_t k = 0; k < config_.encoder.size(); ++k) {
    add(enc_segs_, off, "enc" + std::to_string(k) + ".w", {in, config_.encoder[k]}, 0, ps);
    add(enc_segs_, off, "enc" + std::to_string(k) + ".b", {config_.encoder[k]}, 0, ps);
    in = config_.encoder[k];
  }
  for (const char* head : {"z_mu", "z_ls"}) {
    add(enc_segs_, off, std::string(head) + ".w", {in, config_.latent}, 0, ps);
    add(enc_segs_, off, std::string(head) + ".b", {config_.latent}, 0, ps);
  }
  off = 0;
  in = config_.latent;
  for (size_t k = 0; k < config_.decoder.size(); ++k) {
    add(dec_segs_, off, "dec" + std::to_string(k) + ".w", {in, config_.decoder[k]}, 0, ps);
    add(dec_segs_, off, "dec" + std::to_string(k) + ".b", {config_.decoder[k]}, 0, ps);
    in = config_.decoder[k];
  }
  const int64_t channels = config_.dictionary > 0 ? config_.dictionary : kAlphabetSize;
  add(dec_segs_, off, "out.w", {in, length_ * channels}, 0, ps);
  add(dec_segs_, off, "out.b", {length_ * kAlphabetSize}, 0, ps);
  if (config_.dictionary > 0) add(dec_segs_, off, "dict", {config_.dictionary, kAlphabetSize}, 0, ps);
  if (config_.sparsity) {
    add(dec_segs_, off, "scale", {in / config_.sparsity_tiles, length_}, config_.sparsity_prior_mean(),
        config_.sparsity_sigma);
  }
  if (config_.temperature) add(dec_segs_, off, "temp", {1}, 0, ps);
}

// Glorot-normal weights, biases 0.1 (as the original), log sigma = log_sigma_init, the
// sparsity scale 0 (sigmoid 1/2) and the temperature parameter 1 (softplus(1) = 1.31).
void Vae::initialise(uint64_t seed) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto init = [&](at::Tensor& flat, const std::vector<Segment>& segs) {
    flat = torch::empty({segs.back().offset + segs.back().numel()}, torch::kFloat);
    for (const Segment& s : segs) {
      at::Tensor v = view_of(flat, s);
      if (s.name == "scale") {
        v.zero_();
      } else if (s.name == "temp") {
        v.fill_(1.0);
      } else if (is_bias(s)) {
        v.fill_(0.1);
      } else {
        v.normal_(0.0, std::sqrt(2.0 / static_cast<double>(s.shape[0] + s.shape[1])), gen);
      }
    }
  };
  init(enc_, enc_segs_);
  init(dec_mu_, dec_segs_);
  dec_ls_ = torch::full_like(dec_mu_, config_.log_sigma_init);
}

at::Tensor Vae::encoder_view(const std::string& name) const {
  for (const Segment& s : enc_segs_) {
    if (s.name == name) return view_of(enc_, s);
  }
  throw Error("deepsequence model: no encoder parameter '" + name + "'");
}

at::Tensor Vae::decoder_view(const at::Tensor& buffer, const std::string& name) const {
  for (const Segment& s : dec_segs_) {
    if (s.name == name) return view_of(buffer, s);
  }
  throw Error("deepsequence model: no decoder parameter '" + name + "'");
}

at::Tensor Vae::sample_decoder(const at::Tensor& eps) const {
  if (!eps.defined()) return dec_mu_;
  return torch::addcmul(dec_mu_, dec_ls_.exp(), eps);
}

std::vector<at::Tensor> Vae::make_leaves(const at::Tensor& flat, const std::vector<Segment>& segs, bool requires_grad) const {
  std::vector<at::Tensor> out;
  out.reserve(segs.size());
  for (const Segment& s : segs) {
    at::Tensor v = view_of(flat, s).detach();
    if (requires_grad) v.requires_grad_(true);
    out.push_back(v);
  }
  return out;
}

ElboTerms Vae::elbo_terms(const at::Tensor& x, const at::Tensor& eps_z, const std::vector<at::Tensor>& enc,
                          const std::vector<at::Tensor>& dec) const {
  const size_t ne = config_.encoder.size(), nd = config_.decoder.size();
  at::Tensor h = x;
  for (size_t k = 0; k < ne; ++k) h = torch::relu(torch::addmm(enc[2 * k + 1], h, enc[2 * k]));
  at::Tensor mu = torch::addmm(enc[2 * ne + 1], h, enc[2 * ne]);
  at::Tensor ls = torch::addmm(enc[2 * ne + 3], h, enc[2 * ne + 2]);
  at::Tensor z = eps_z.defined() ? mu + ls.exp() * eps_z : mu;
  // KL(N(mu, sigma^2) || N(0, 1)) per latent dimension, summed.
  at::Tensor kl_z = 0.5 * (torch::exp(2.0 * ls) + mu * mu - 1.0 - 2.0 * ls).sum(1);

  at::Tensor d = z;
  for (size_t k = 0; k < nd; ++k) {
    d = torch::addmm(dec[2 * k + 1], d, dec[2 * k]);
    d = k + 1 == nd ? torch::sigmoid(d) : torch::relu(d);
  }
  size_t next = 2 * nd;
  const at::Tensor& w_out = dec[next++];
  const at::Tensor& b_out = dec[next++];
  const int64_t hid = config_.decoder.back(), len = length_, aa = kAlphabetSize;
  at::Tensor w;
  if (config_.dictionary > 0) {
    // W_out (H, L*C) as (H*L, C) times the dictionary (C, 20).
    w = w_out.reshape({hid * len, config_.dictionary}).mm(dec[next++]).view({hid, len, aa});
  } else {
    w = w_out.view({hid, len, aa});
  }
  if (config_.sparsity) {
    // S (H/tiles, L) tiled along H: row h uses S[h mod H/tiles].
    at::Tensor s = torch::sigmoid(dec[next++]).repeat({config_.sparsity_tiles, 1});
    w = w * s.unsqueeze(2);
  }
  at::Tensor logits = torch::addmm(b_out, d, w.view({hid, len * aa}));
  if (config_.temperature) logits = logits * torch::softplus(dec[next++]);
  at::Tensor logp = torch::log_softmax(logits.view({-1, len, aa}), 2);
  at::Tensor log_px = (logp * x.view({-1, len, aa})).sum({1, 2});
  return {log_px, kl_z};
}

double Vae::kl_decoder() const {
  torch::NoGradGuard guard;
  double total = 0.0;
  for (const Segment& s : dec_segs_) {
    at::Tensor mu = view_of(dec_mu_, s).to(torch::kDouble), ls = view_of(dec_ls_, s).to(torch::kDouble);
    const double var_p = s.prior_sigma * s.prior_sigma;
    at::Tensor kl = std::log(s.prior_sigma) - ls + ((2.0 * ls).exp() + (mu - s.prior_mean).pow(2)) / (2.0 * var_p) - 0.5;
    total += kl.sum().item<double>();
  }
  return total;
}

}  // namespace seqnn::ds
