#pragma once
// Stochastic variational training of the DeepSequence VAE. One step:
//   batch  - `batch_size` sequences drawn with replacement, probability proportional to weight;
//   noise  - one draw of every decoder weight (mu + sigma * eps) and one z per sequence;
//   loss   - -mean_b[log p(x|z) - KL(q(z|x) || N(0, I))] + KL(decoder posterior || prior) / Neff;
//   update - Adam on the encoder weights and on the decoder mu and log sigma.
// The likelihood gradient comes from autograd with respect to the sampled weights; the
// reparameterisation and the KL of the weights have simple closed-form gradients
//   dL/dmu = g + (mu - mu_p) / (sigma_p^2 Neff),
//   dL/dlog sigma = g * eps * sigma + (sigma^2 / sigma_p^2 - 1) / Neff,
// which one fused pass over the flat buffers applies together with Adam (see docs). That pass is
// CPU code; on a GPU (the model's device decides) the same update runs as a dozen tensor
// operations per parameter segment.
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <cstdint>

#include "seqnn/deepsequence/vae.h"
#include "seqnn/training/data_parallel.h"

namespace seqnn::ds {

struct StepStats {
  double loss = 0;        // the minimised objective (NaN for kl_decoder when not computed)
  double log_px = 0;      // batch mean
  double kl_z = 0;        // batch mean
  double kl_decoder = 0;  // total KL of the decoder weights (before dividing by Neff)
  double elbo() const { return log_px - kl_z; }
  // The batch's mean ELBO as a 0-dim double tensor on the model's device. On a GPU an update
  // that logs nothing leaves the numbers above unread (NaN, resolved false): reading them would
  // make the host wait for the device at every update.
  at::Tensor elbo_on_device;
  bool resolved = true;
};

class VaeTrainer {
 public:
  // data: (N, L*20) float one-hot; weights: (N) sequence weights (Neff = their sum). Training
  // runs on the model's device (move the model first). The CPU generator's state is the whole
  // random state (a checkpoint holds it): on the CPU every draw comes from it; on a GPU the draws
  // come from the device generator reseeded from it every update (draws_on_device).
  VaeTrainer(Vae& model, at::Tensor data, at::Tensor weights, uint64_t seed);

  // The update as tensor operations instead of the fused CPU pass (the default off the CPU; on
  // the CPU for tests, which compare both with the PyTorch reference).
  void use_tensor_ops(bool on);
  bool uses_tensor_ops() const { return tensor_ops_; }
  // Updates that log nothing leave StepStats unresolved (the default on a GPU; on for tests).
  void defer_host_reads(bool on) { defer_host_reads_ = on; }
  // Batch indices, z and the decoder noise drawn on the model's device (the default on a GPU: no
  // host-to-device copy, so no wait, per update) from a device generator reseeded every update
  // from the CPU generator, which alone is the resumable state. Other numbers than the CPU draws.
  void draws_on_device(bool on);
  bool draws_on_device() const { return draws_on_device_; }

  // One update with a fresh batch and fresh noise. with_kl: also compute the decoder KL (one
  // extra pass over the parameters; the update itself never needs its value).
  StepStats step(bool with_kl);
  // One update with given inputs (tests): x (B, L*20), eps_z (B, latent), eps_w (like dec_mu).
  StepStats step_with(const at::Tensor& x, const at::Tensor& eps_z, const at::Tensor& eps_w, bool with_kl);

  // One rank of a data-parallel run: every rank draws the same global batch of batch_size × ranks
  // sequences and the same decoder noise from the shared seed, keeps its block of the sequences,
  // and the gradients are averaged before the update, so the step is one process's with the
  // summed batch. The step's statistics are the global batch's.
  void set_parallel(DataParallel parallel) { parallel_ = std::move(parallel); }
  int64_t steps_done() const { return steps_; }
  double neff() const { return neff_; }
  Vae& model() { return model_; }

  // Optimiser state, for checkpoints: m and v of encoder, decoder mu and decoder log sigma.
  std::vector<at::Tensor> adam_state() const { return {enc_m_, enc_v_, mu_m_, mu_v_, ls_m_, ls_v_}; }
  void set_state(const std::vector<at::Tensor>& adam, int64_t steps, const at::Tensor& rng_state);
  at::Tensor rng_state() const;

 private:
  struct AdamCoef;
  AdamCoef coefficients() const;
  void average_over_ranks(const std::vector<at::Tensor>& enc, const std::vector<at::Tensor>& dec, StepStats& st);
  void update_fused(const std::vector<at::Tensor>& enc, const std::vector<at::Tensor>& dec, const at::Tensor& eps,
                    const AdamCoef& k);
  void update_tensor_ops(const std::vector<at::Tensor>& enc, const std::vector<at::Tensor>& dec, const at::Tensor& eps,
                         const AdamCoef& k);
  Vae& model_;
  at::Tensor data_, weights_;
  double neff_;
  at::Generator gen_;
  at::Tensor eps_w_, sigma_, w_;  // persistent: no 80 MB allocations (page faults) per step
  at::Tensor enc_m_, enc_v_, mu_m_, mu_v_, ls_m_, ls_v_;
  // The tensor-operation update over the whole flat buffers (a fixed number of kernels per
  // update, not one per operation and segment): each decoder parameter's prior, per element.
  at::Tensor prior_mean_, prior_inv_var_;
  int64_t steps_ = 0;
  bool tensor_ops_ = false;
  bool defer_host_reads_ = false;
  bool draws_on_device_ = false;
  at::Tensor device_weights_;      // weights_ on the model's device (draws_on_device_)
  at::Generator cpu_draws_gen_;    // the "device" generator of a CPU model (tests)
  void draw_on_device(at::Tensor& idx, at::Tensor& eps_z, int64_t rows);
  DataParallel parallel_;
};

}  // namespace seqnn::ds
