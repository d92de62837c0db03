#include "seqnn/deepsequence/trainer.h"

#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <mutex>

#include "seqnn/util/error.h"

namespace seqnn::ds {

// Adam as p -= a * m / (sqrt(v) * c + eps). The original (Theano) code kept its step counter at
// 1, so a = lr * sqrt(1 - b2) / (1 - b1) and c = 1 for ever; standard Adam (PyTorch's form) has
// a = lr / (1 - b1^t), c = 1 / sqrt(1 - b2^t).
struct VaeTrainer::AdamCoef {
  float b1, b2, a, c, eps;
};

namespace {

constexpr int64_t kGrain = 1 << 15;

inline void adam_update(float& p, float& m, float& v, float g, float b1, float b2, float a, float c, float eps) {
  m = b1 * m + (1.0f - b1) * g;
  v = b2 * v + (1.0f - b2) * g * g;
  p -= a * m / (std::sqrt(v) * c + eps);
}

// Plain Adam over one encoder segment [off, off + n).
void adam_plain(float* __restrict p, float* __restrict m, float* __restrict v, const float* __restrict g, int64_t n,
                float b1, float b2, float a, float c, float eps) {
  at::parallel_for(0, n, kGrain, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) adam_update(p[i], m[i], v[i], g[i], b1, b2, a, c, eps);
  });
}

struct DecoderSegmentPtrs {
  float *mu, *ls, *mu_m, *mu_v, *ls_m, *ls_v;
  const float *g, *eps, *sigma;
};

// The reparameterisation gradient, the closed-form KL gradient and Adam for mu and log sigma, in
// one pass: 9 arrays read, 6 written, no temporaries.
void adam_decoder(const DecoderSegmentPtrs& s, int64_t n, float mean_p, float inv_var_p, float inv_neff, float b1,
                  float b2, float a, float c, float eps) {
  at::parallel_for(0, n, kGrain, [&](int64_t lo, int64_t hi) {
    float* __restrict mu = s.mu;
    float* __restrict ls = s.ls;
    const float* __restrict g = s.g;
    const float* __restrict e = s.eps;
    const float* __restrict sg = s.sigma;
    for (int64_t i = lo; i < hi; ++i) {
      const float gm = g[i] + (mu[i] - mean_p) * inv_var_p * inv_neff;
      const float gl = g[i] * e[i] * sg[i] + (sg[i] * sg[i] * inv_var_p - 1.0f) * inv_neff;
      adam_update(mu[i], s.mu_m[i], s.mu_v[i], gm, b1, b2, a, c, eps);
      adam_update(ls[i], s.ls_m[i], s.ls_v[i], gl, b1, b2, a, c, eps);
    }
  });
}

float* ptr(at::Tensor& t, int64_t off) { return t.data_ptr<float>() + off; }

// adam_update as tensor operations (in place on p, m, v).
void adam_tensors(at::Tensor p, at::Tensor m, at::Tensor v, const at::Tensor& g, float b1, float b2, float a, float c,
                  float eps) {
  m.mul_(b1).add_(g, 1.0f - b1);
  v.mul_(b2).addcmul_(g, g, 1.0f - b2);
  p.addcdiv_(m, v.sqrt().mul_(c).add_(eps), -a);
}

at::Tensor segment(const at::Tensor& flat, const Segment& s) { return flat.slice(0, s.offset, s.offset + s.numel()); }

// The leaves' gradients as one flat buffer, in segment order; the segments tile the parameter
// buffer (Vae lays them out so; checked), so element i of it is the gradient of parameter i.
at::Tensor flat_grad(const std::vector<at::Tensor>& leaves, const std::vector<Segment>& segs, int64_t numel) {
  std::vector<at::Tensor> grads;
  int64_t next = 0;
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (segs[i].offset != next) fail("deepsequence train", "parameter segments do not tile the flat buffer");
    next += segs[i].numel();
    grads.push_back(leaves[i].grad().reshape({-1}));
  }
  if (next != numel) fail("deepsequence train", "parameter segments do not tile the flat buffer");
  return at::cat(grads);
}

}  // namespace

VaeTrainer::VaeTrainer(Vae& model, at::Tensor data, at::Tensor weights, uint64_t seed)
    : model_(model), data_(std::move(data)), weights_(std::move(weights)) {
  if (data_.dim() != 2 || data_.size(1) != model_.input_size() || weights_.numel() != data_.size(0)) {
    fail("deepsequence train", "data must be (N, L*20) with one weight per sequence");
  }
  data_ = data_.to(model_.device(), torch::kFloat).contiguous();
  weights_ = weights_.to(torch::kCPU, torch::kDouble).contiguous();  // drawn with the CPU generator
  neff_ = weights_.sum().item<double>();
  if (!(neff_ > 0)) fail("deepsequence train", "the sequence weights sum to zero");
  gen_ = at::make_generator<at::CPUGeneratorImpl>(seed);
  eps_w_ = torch::empty_like(model_.decoder_mu());
  sigma_ = torch::empty_like(model_.decoder_mu());
  w_ = torch::empty_like(model_.decoder_mu());
  enc_m_ = torch::zeros_like(model_.encoder_params());
  enc_v_ = torch::zeros_like(enc_m_);
  mu_m_ = torch::zeros_like(model_.decoder_mu());
  mu_v_ = torch::zeros_like(mu_m_);
  ls_m_ = torch::zeros_like(mu_m_);
  ls_v_ = torch::zeros_like(mu_m_);
  tensor_ops_ = !model_.device().is_cpu();
  defer_host_reads_ = !model_.device().is_cpu();
  draws_on_device(!model_.device().is_cpu());
}

void VaeTrainer::draws_on_device(bool on) {
  draws_on_device_ = on;
  if (!on) return;
  device_weights_ = weights_.to(model_.device());
  if (model_.device().is_cpu()) cpu_draws_gen_ = at::make_generator<at::CPUGeneratorImpl>(0);
}

void VaeTrainer::draw_on_device(at::Tensor& idx, at::Tensor& eps_z, int64_t rows) {
  at::Generator g = model_.device().is_cpu() ? cpu_draws_gen_ : at::globalContext().defaultGenerator(model_.device());
  const uint64_t seed = next_seed(gen_);
  {
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(seed);
  }
  idx = torch::multinomial(device_weights_, rows, /*replacement=*/true, g);
  eps_z = at::normal(0.0, 1.0, {rows, model_.config().latent}, g, torch::dtype(torch::kFloat).device(model_.device()));
  eps_w_.normal_(0.0, 1.0, g);
}

void VaeTrainer::use_tensor_ops(bool on) {
  if (!on && !model_.device().is_cpu()) fail("deepsequence train", "the fused update runs on the CPU only");
  tensor_ops_ = on;
}

VaeTrainer::AdamCoef VaeTrainer::coefficients() const {
  const VaeConfig& c = model_.config();
  AdamCoef k{static_cast<float>(c.beta1), static_cast<float>(c.beta2), 0, 1, static_cast<float>(c.adam_epsilon)};
  if (c.adam == AdamVariant::kOriginal) {
    k.a = static_cast<float>(c.learning_rate * std::sqrt(1.0 - c.beta2) / (1.0 - c.beta1));
  } else {
    const double t = static_cast<double>(steps_ + 1);
    k.a = static_cast<float>(c.learning_rate / (1.0 - std::pow(c.beta1, t)));
    k.c = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(c.beta2, t)));
  }
  return k;
}

StepStats VaeTrainer::step(bool with_kl) {
  const VaeConfig& c = model_.config();
  const int64_t ranks = parallel_.size();
  at::Tensor idx, eps_z;
  if (draws_on_device_) {
    draw_on_device(idx, eps_z, c.batch_size * ranks);
  } else {
    idx = torch::multinomial(weights_, c.batch_size * ranks, /*replacement=*/true, gen_);
    eps_z = torch::randn({c.batch_size * ranks, c.latent}, gen_, torch::kFloat);
    fill_normal(eps_w_, next_seed(gen_));
  }
  if (ranks > 1) {  // this rank's block of the global batch
    idx = idx.narrow(0, c.batch_size * parallel_.rank(), c.batch_size);
    eps_z = eps_z.narrow(0, c.batch_size * parallel_.rank(), c.batch_size);
  }
  at::Tensor x = data_.index_select(0, idx.to(data_.device()));
  return step_with(x, eps_z, eps_w_, with_kl);
}

StepStats VaeTrainer::step_with(const at::Tensor& x, const at::Tensor& eps_z, const at::Tensor& eps_w, bool with_kl) {
  Vae& m = model_;
  const at::Device dev = m.device();
  at::Tensor eps = eps_w.to(dev).contiguous();
  // Sample the decoder: sigma = exp(log sigma), w = mu + sigma * eps (two vectorised passes).
  at::exp_out(sigma_, m.decoder_log_sigma());
  at::addcmul_out(w_, m.decoder_mu(), sigma_, eps);
  std::vector<at::Tensor> enc = m.make_leaves(m.encoder_params(), m.encoder_segments(), true);
  std::vector<at::Tensor> dec = m.make_leaves(w_, m.decoder_segments(), true);
  ElboTerms t = m.elbo_terms(x.to(dev), eps_z.to(dev), enc, dec);
  at::Tensor loss = -(t.log_px - t.kl_z).mean();
  loss.backward();

  StepStats st;
  st.elbo_on_device = (t.log_px - t.kl_z).mean().detach().to(torch::kDouble);
  // Read on the host only where it costs nothing (CPU), where it is asked for (a logged update)
  // or where the ranks exchange it anyway.
  st.resolved = with_kl || !defer_host_reads_ || parallel_.distributed();
  if (st.resolved) {
    st.log_px = t.log_px.mean().item<double>();
    st.kl_z = t.kl_z.mean().item<double>();
    if (parallel_.distributed()) {
      average_over_ranks(enc, dec, st);
      st.elbo_on_device = torch::tensor(st.elbo(), torch::dtype(torch::kDouble).device(dev));  // the global batch's
    }
    st.kl_decoder = with_kl ? m.kl_decoder() : std::nan("");  // KL before the update, like the loss
    st.loss = (parallel_.distributed() ? st.kl_z - st.log_px : loss.item<double>()) + st.kl_decoder / neff_;
  } else {
    st.loss = st.log_px = st.kl_z = st.kl_decoder = std::nan("");
  }

  torch::NoGradGuard no_grad;
  const AdamCoef k = coefficients();
  if (tensor_ops_) {
    update_tensor_ops(enc, dec, eps, k);
  } else {
    update_fused(enc, dec, eps, k);
  }
  ++steps_;
  return st;
}

// The ranks' blocks are equal, so the global batch's mean gradient is the mean of theirs.
void VaeTrainer::average_over_ranks(const std::vector<at::Tensor>& enc, const std::vector<at::Tensor>& dec, StepStats& st) {
  std::vector<at::Tensor> grads;
  for (const auto* leaves : {&enc, &dec}) {
    for (const auto& leaf : *leaves) grads.push_back(leaf.grad());
  }
  const double share = 1.0 / parallel_.size();
  parallel_.sum_in_place(grads, share);
  at::Tensor stats = torch::tensor({st.log_px, st.kl_z}, torch::dtype(torch::kDouble).device(parallel_.group()->device()));
  parallel_.sum_in_place({stats}, share);
  st.log_px = stats[0].item<double>();
  st.kl_z = stats[1].item<double>();
}

void VaeTrainer::update_fused(const std::vector<at::Tensor>& enc, const std::vector<at::Tensor>& dec,
                              const at::Tensor& eps, const AdamCoef& k) {
  Vae& m = model_;
  const auto& es = m.encoder_segments();
  for (size_t i = 0; i < es.size(); ++i) {
    at::Tensor g = enc[i].grad().contiguous();
    adam_plain(ptr(m.encoder_params(), es[i].offset), ptr(enc_m_, es[i].offset), ptr(enc_v_, es[i].offset),
               g.data_ptr<float>(), es[i].numel(), k.b1, k.b2, k.a, k.c, k.eps);
  }
  const auto& ds = m.decoder_segments();
  const float inv_neff = static_cast<float>(1.0 / neff_);
  for (size_t i = 0; i < ds.size(); ++i) {
    at::Tensor g = dec[i].grad().contiguous();
    const int64_t o = ds[i].offset;
    DecoderSegmentPtrs p{ptr(m.decoder_mu(), o), ptr(m.decoder_log_sigma(), o), ptr(mu_m_, o), ptr(mu_v_, o),
                         ptr(ls_m_, o), ptr(ls_v_, o), g.data_ptr<float>(), eps.data_ptr<float>() + o,
                         sigma_.data_ptr<float>() + o};
    const double var_p = ds[i].prior_sigma * ds[i].prior_sigma;
    adam_decoder(p, ds[i].numel(), static_cast<float>(ds[i].prior_mean), static_cast<float>(1.0 / var_p), inv_neff,
                 k.b1, k.b2, k.a, k.c, k.eps);
  }
}

// The same arithmetic as update_fused, as tensor operations over the whole flat buffers (any
// device): about fifteen element-wise kernels per update whatever the number of segments.
void VaeTrainer::update_tensor_ops(const std::vector<at::Tensor>& enc, const std::vector<at::Tensor>& dec,
                                   const at::Tensor& eps, const AdamCoef& k) {
  Vae& m = model_;
  const at::Tensor ge = flat_grad(enc, m.encoder_segments(), m.encoder_params().numel());
  adam_tensors(m.encoder_params(), enc_m_, enc_v_, ge, k.b1, k.b2, k.a, k.c, k.eps);
  if (!prior_mean_.defined()) {  // once: each segment's prior, spread over its elements
    prior_mean_ = torch::empty_like(m.decoder_mu());
    prior_inv_var_ = torch::empty_like(m.decoder_mu());
    for (const Segment& s : m.decoder_segments()) {
      segment(prior_mean_, s).fill_(s.prior_mean);
      segment(prior_inv_var_, s).fill_(1.0 / (s.prior_sigma * s.prior_sigma));
    }
  }
  const at::Tensor g = flat_grad(dec, m.decoder_segments(), m.decoder_mu().numel());
  const double inv_neff = 1.0 / neff_;
  const at::Tensor& mu = m.decoder_mu();
  // dL/dmu = g + (mu - mu_p) / (sigma_p^2 Neff);  dL/dlog sigma = g eps sigma + (sigma^2 / sigma_p^2 - 1) / Neff
  at::Tensor gm = (mu - prior_mean_).mul_(prior_inv_var_).mul_(inv_neff).add_(g);
  at::Tensor gl = (sigma_ * sigma_).mul_(prior_inv_var_).sub_(1.0).mul_(inv_neff).addcmul_(g * eps, sigma_);
  adam_tensors(m.decoder_mu(), mu_m_, mu_v_, gm, k.b1, k.b2, k.a, k.c, k.eps);
  adam_tensors(m.decoder_log_sigma(), ls_m_, ls_v_, gl, k.b1, k.b2, k.a, k.c, k.eps);
}

void VaeTrainer::set_state(const std::vector<at::Tensor>& adam, int64_t steps, const at::Tensor& rng_state) {
  if (adam.size() != 6) fail("deepsequence checkpoint", "optimiser state has the wrong number of tensors");
  std::vector<at::Tensor*> dst = {&enc_m_, &enc_v_, &mu_m_, &mu_v_, &ls_m_, &ls_v_};
  for (size_t i = 0; i < 6; ++i) {
    if (adam[i].sizes() != dst[i]->sizes()) fail("deepsequence checkpoint", "optimiser state does not match the model");
    dst[i]->copy_(adam[i]);
  }
  steps_ = steps;
  if (rng_state.defined() && rng_state.numel() > 0) gen_.set_state(rng_state);
}

at::Tensor VaeTrainer::rng_state() const { return gen_.get_state(); }

}  // namespace seqnn::ds
