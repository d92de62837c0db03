#pragma once
// The DeepSequence VAE (Riesselman et al. 2018), generalised. See docs/deepsequence.md.
//
// Parameters live in a few flat float32 buffers so that the element-wise work of a training step
// (sampling ~20 M decoder weights, their KL, Adam) is a handful of long vectorised passes instead
// of hundreds of small ones:
//   encoder   - deterministic weights (one buffer);
//   dec_mu, dec_log_sigma - the mean-field Gaussian posterior of every decoder parameter.
// Each named parameter is a segment (offset, shape) of its buffer. Weight matrices are stored
// (in, out), so a layer is x @ W + b.
//
// Decoder segments: dec<k>.w, dec<k>.b (hidden layers), out.w (H x L*C, or H x L*20 without a
// dictionary), out.b (L*20), dict (C x 20), scale (H/tiles x L), temp (1). Their prior is
// N(0, prior_sigma^2), except scale: N(mu_s, sparsity_sigma^2).
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/deepsequence/vae_config.h"

namespace seqnn::ds {

struct Segment {
  std::string name;
  int64_t offset = 0;
  std::vector<int64_t> shape;
  double prior_mean = 0.0;   // decoder segments only
  double prior_sigma = 1.0;
  int64_t numel() const;
};

// Per-sequence terms of the ELBO for one draw of z and of the decoder weights.
struct ElboTerms {
  at::Tensor log_px;  // (B) sum over non-gap positions of log p(x_l | z)
  at::Tensor kl_z;    // (B) KL(q(z|x) || N(0, I))
};

// Fills a contiguous float tensor with N(0, 1) noise determined by `seed`. On the CPU: fixed
// chunks of 2^20 elements, each from its own generator seeded by (seed, chunk index), so the
// chunks fill in parallel and the numbers are the same for any thread count (one generator for
// ~20 M decoder weights would be a serial pass of ~0.1 s per update). On a GPU: the device's
// default generator, reseeded with `seed` (other numbers than on the CPU, equally reproducible).
void fill_normal(at::Tensor& out, uint64_t seed);
// Draws a 64-bit seed from a generator (for fill_normal).
uint64_t next_seed(at::Generator& gen);

class Vae {
 public:
  // length: number of focus columns L. Parameters are initialised from `seed`.
  Vae(VaeConfig config, int64_t length, uint64_t seed);

  const VaeConfig& config() const { return config_; }
  // Moves the parameters to a device (cpu, cuda, cuda:1). Everything else follows the parameters.
  void to(const at::Device& device);
  at::Device device() const { return enc_.device(); }
  int64_t length() const { return length_; }
  int64_t input_size() const;  // L * 20

  at::Tensor& encoder_params() { return enc_; }
  at::Tensor& decoder_mu() { return dec_mu_; }
  at::Tensor& decoder_log_sigma() { return dec_ls_; }
  const at::Tensor& encoder_params() const { return enc_; }
  const at::Tensor& decoder_mu() const { return dec_mu_; }
  const at::Tensor& decoder_log_sigma() const { return dec_ls_; }
  const std::vector<Segment>& encoder_segments() const { return enc_segs_; }
  const std::vector<Segment>& decoder_segments() const { return dec_segs_; }
  // View of a named segment of a buffer (encoder name in the encoder buffer, decoder names in
  // the given decoder buffer). Throws seqnn::Error for unknown names.
  at::Tensor encoder_view(const std::string& name) const;
  at::Tensor decoder_view(const at::Tensor& buffer, const std::string& name) const;

  // Decoder weights mu + exp(log_sigma) * eps for a flat noise buffer eps (same size as dec_mu);
  // eps undefined -> the posterior means.
  at::Tensor sample_decoder(const at::Tensor& eps) const;

  // ELBO terms of x (B, L*20 one-hot, gaps zero) given latent noise eps_z (B, latent; undefined
  // -> z = mu) and flat decoder weights. Differentiable when the inputs require grad: pass
  // `decoder_leaves` (from make_leaves) to collect gradients per segment.
  ElboTerms elbo_terms(const at::Tensor& x, const at::Tensor& eps_z, const std::vector<at::Tensor>& encoder,
                       const std::vector<at::Tensor>& decoder) const;
  // Segment views of a flat buffer, each detached and (optionally) a leaf requiring grad.
  std::vector<at::Tensor> make_leaves(const at::Tensor& flat, const std::vector<Segment>& segs, bool requires_grad) const;

  // Sum over decoder parameters of KL(N(mu, sigma^2) || prior) (closed form).
  double kl_decoder() const;

 private:
  void build_segments();
  void initialise(uint64_t seed);
  VaeConfig config_;
  int64_t length_;
  std::vector<Segment> enc_segs_, dec_segs_;
  at::Tensor enc_, dec_mu_, dec_ls_;
};

}  // namespace seqnn::ds
