// The VAE against the independent PyTorch reference (tests/fixtures/deepsequence, made by
// make_fixtures.py from bench/deepsequence/reference.py), the KL formulas against Monte Carlo,
// and checkpoint / resume.
#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/deepsequence/trainer.h"
#include "seqnn/deepsequence/vae.h"
#include "test_helpers.h"

namespace seqnn::ds {
namespace {

nlohmann::json fixture_configs() { return nlohmann::json::parse(test::read_text(test::fixture("deepsequence/configs.json"))); }

std::unique_ptr<Vae> load_case(const std::string& tag) {
  nlohmann::json j = fixture_configs();
  VaeConfig cfg = VaeConfig::from_json(j.at(tag).dump(), tag);
  auto m = std::make_unique<Vae>(cfg, j.at("length").get<int64_t>(), 0);
  m->encoder_params().copy_(test::fixture_npy("deepsequence/" + tag + "_enc"));
  m->decoder_mu().copy_(test::fixture_npy("deepsequence/" + tag + "_mu"));
  m->decoder_log_sigma().copy_(test::fixture_npy("deepsequence/" + tag + "_ls"));
  return m;
}

at::Tensor fx(const std::string& name) { return test::fixture_npy("deepsequence/" + name); }

// A small model and 40 random one-hot sequences with random weights, for multi-step tests.
struct SmallProblem {
  VaeConfig cfg = VaeConfig::from_json(R"({"encoder":[16],"latent":3,"decoder":[8,12],"dictionary":5,"batch_size":7})", "t");
  int64_t len = 9;
  at::Tensor data, weights;
  SmallProblem() {
    torch::manual_seed(11);
    data = torch::one_hot(torch::randint(0, 21, {40, len}), 21).slice(2, 0, 20).reshape({40, -1}).to(torch::kFloat);
    weights = torch::rand({40}, torch::kDouble) + 0.1;
  }
};

void expect_elbo_matches(const std::string& tag) {
  auto m = load_case(tag);
  at::Tensor w = m->sample_decoder(fx(tag + "_eps_w"));
  ElboTerms t = m->elbo_terms(fx(tag + "_x"), fx(tag + "_eps_z"),
                              m->make_leaves(m->encoder_params(), m->encoder_segments(), false),
                              m->make_leaves(w, m->decoder_segments(), false));
  at::Tensor ref_px = fx(tag + "_log_px");
  EXPECT_GT(ref_px.abs().min().item<double>(), 1.0) << "fixture must be non-trivial";
  EXPECT_TENSOR_NEAR(t.log_px, ref_px, 2e-4 * ref_px.abs().max().item<double>()) << tag;
  EXPECT_TENSOR_NEAR(t.kl_z, fx(tag + "_kl_z"), 1e-4) << tag;
  const double kl_ref = fx(tag + "_kl_w").item<double>();
  EXPECT_NEAR(m->kl_decoder(), kl_ref, 1e-6 * std::fabs(kl_ref)) << tag;
}

TEST(DsVae, ElboMatchesPyTorchReference) { expect_elbo_matches("full"); }

TEST(DsVae, ElboWithoutSparsityDictionaryTemperature) { expect_elbo_matches("plain"); }

TEST(DsVae, SegmentsFollowTheConfig) {
  VaeConfig cfg;  // the paper's configuration
  Vae m(cfg, 253, 1);
  EXPECT_EQ(m.decoder_view(m.decoder_mu(), "out.w").sizes(), (at::IntArrayRef{2000, 253 * 40}));
  EXPECT_EQ(m.decoder_view(m.decoder_mu(), "scale").sizes(), (at::IntArrayRef{500, 253}));
  EXPECT_EQ(m.decoder_view(m.decoder_mu(), "dict").sizes(), (at::IntArrayRef{40, 20}));
  EXPECT_EQ(m.encoder_view("enc0.w").sizes(), (at::IntArrayRef{253 * 20, 1500}));
  // mu_s = sqrt(2) * 4 * erfinv(2 * 0.001 - 1) = 4 * Phi^-1(0.001) = 4 * -3.090232
  EXPECT_NEAR(cfg.sparsity_prior_mean(), 4 * -3.0902323061678132, 1e-9);
  EXPECT_EQ(m.decoder_log_sigma().min().item<float>(), -5.0f);
}

// kernel: "fused" (the CPU pass), "tensor_ops" (the GPU code, here on the CPU) or "cuda".
void expect_step_matches(const std::string& tag, const std::string& adam, double lr, double eps,
                         const std::string& kernel = "fused") {
  auto m = load_case("full");
  nlohmann::json j = fixture_configs().at("full");
  j["adam"] = adam;
  j["learning_rate"] = lr;
  j["adam_epsilon"] = eps;
  Vae model(VaeConfig::from_json(j.dump(), tag), m->length(), 0);
  model.encoder_params().copy_(m->encoder_params());
  model.decoder_mu().copy_(m->decoder_mu());
  model.decoder_log_sigma().copy_(m->decoder_log_sigma());
  at::Tensor x = fx("full_x");
  const double neff = fixture_configs().at("neff").get<double>();
  if (kernel == "cuda") model.to(torch::Device("cuda"));
  VaeTrainer tr(model, x, torch::full({x.size(0)}, neff / static_cast<double>(x.size(0)), torch::kDouble), 0);
  if (kernel == "tensor_ops") tr.use_tensor_ops(true);
  EXPECT_EQ(tr.uses_tensor_ops(), kernel != "fused");
  StepStats st = tr.step_with(x, fx("full_eps_z"), fx("full_eps_w"), true);
  EXPECT_NEAR(st.loss, fx("full_loss").item<double>(), 1e-4 * std::fabs(fx("full_loss").item<double>()));
  // Parameters move by up to ~1 (standard) or ~3e-4 (original); compare the moves.
  for (const char* part : {"enc", "mu", "ls"}) {
    at::Tensor before = fx(std::string("full_") + part);
    at::Tensor after = (std::string(part) == "enc" ? model.encoder_params()
                        : std::string(part) == "mu" ? model.decoder_mu() : model.decoder_log_sigma()).cpu();
    at::Tensor ref_move = fx(tag + "_" + part) - before;
    at::Tensor move = after - before;
    EXPECT_GT(ref_move.abs().max().item<double>(), 0.0);
    EXPECT_TENSOR_NEAR(move, ref_move, 2e-3 * ref_move.abs().max().item<double>()) << tag << " " << part;
  }
}

TEST(DsVae, StandardAdamStepMatchesPyTorchAutogradAndOptim) { expect_step_matches("full_std", "standard", 1.0, 1.0); }

TEST(DsVae, OriginalAdamStepMatchesTheanoVariant) { expect_step_matches("full_orig", "original", 1e-3, 1e-8); }

TEST(DsVae, TensorOpsStepMatchesPyTorchReference) {
  expect_step_matches("full_std", "standard", 1.0, 1.0, "tensor_ops");
  expect_step_matches("full_orig", "original", 1e-3, 1e-8, "tensor_ops");
}

TEST(DsVae, CudaStepMatchesPyTorchReference) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  expect_step_matches("full_std", "standard", 1.0, 1.0, "cuda");
  expect_step_matches("full_orig", "original", 1e-3, 1e-8, "cuda");
}

// A small model trained for a few random steps both ways: the same batches and noise, the same
// parameters up to float rounding (the two paths order the arithmetic differently).
TEST(DsVae, TensorOpsAndFusedUpdatesTrainAlike) {
  const SmallProblem p;
  const VaeConfig& cfg = p.cfg;
  const int64_t len = p.len;
  const at::Tensor &data = p.data, &weights = p.weights;
  Vae a(cfg, len, 2), b(cfg, len, 2);
  VaeTrainer ta(a, data, weights, 9), tb(b, data, weights, 9);
  tb.use_tensor_ops(true);
  for (int i = 0; i < 6; ++i) {
    const StepStats sa = ta.step(true), sb = tb.step(true);
    EXPECT_NEAR(sa.loss, sb.loss, 1e-4 * std::fabs(sa.loss)) << "step " << i;
  }
  at::Tensor start = Vae(cfg, len, 2).decoder_mu();
  const double moved = (a.decoder_mu() - start).abs().max().item<double>();
  EXPECT_GT(moved, 1e-3);
  EXPECT_TENSOR_NEAR(a.decoder_mu(), b.decoder_mu(), 1e-3 * moved);
  EXPECT_TENSOR_NEAR(a.decoder_log_sigma(), b.decoder_log_sigma(), 1e-4);
  EXPECT_TENSOR_NEAR(a.encoder_params(), b.encoder_params(), 1e-4);
}

TEST(DsVae, DecoderKlMatchesMonteCarlo) {
  // One decoder segment of each prior: N(0, 1) and the sparsity prior N(mu_s, 4^2).
  VaeConfig cfg = VaeConfig::from_json(R"({"encoder":[3],"latent":2,"decoder":[4],"dictionary":0,"temperature":false})", "t");
  Vae m(cfg, 2, 3);
  torch::manual_seed(5);
  m.decoder_mu().normal_(0, 2);
  m.decoder_log_sigma().uniform_(-1.0, 1.0);
  // log q(w) - log p(w) averaged over 40k draws of every parameter (standard error ~0.2).
  const int64_t draws = 40000;
  double mc = 0;
  for (const Segment& s : m.decoder_segments()) {
    at::Tensor mu = m.decoder_view(m.decoder_mu(), s.name).reshape({1, -1}).to(torch::kDouble);
    at::Tensor ls = m.decoder_view(m.decoder_log_sigma(), s.name).reshape({1, -1}).to(torch::kDouble);
    at::Tensor e = torch::randn({draws, mu.size(1)}, torch::kDouble);
    at::Tensor w = mu + ls.exp() * e;
    at::Tensor log_q = -ls - 0.5 * e * e;
    at::Tensor log_p = -std::log(s.prior_sigma) - 0.5 * ((w - s.prior_mean) / s.prior_sigma).pow(2);
    mc += (log_q - log_p).mean(0).sum().item<double>();
  }
  EXPECT_NEAR(m.kl_decoder(), mc, 0.01 * std::fabs(mc) + 0.05);
}

TEST(DsVae, LatentKlMatchesMonteCarlo) {
  VaeConfig cfg = VaeConfig::from_json(R"({"encoder":[5],"latent":3,"decoder":[4],"dictionary":0})", "t");
  Vae m(cfg, 3, 4);
  m.encoder_params().normal_(0, 0.5);
  at::Tensor x = torch::zeros({1, 60});
  x[0][2] = 1;
  x[0][25] = 1;
  auto enc = m.make_leaves(m.encoder_params(), m.encoder_segments(), false);
  auto dec = m.make_leaves(m.decoder_mu(), m.decoder_segments(), false);
  const double kl = m.elbo_terms(x, {}, enc, dec).kl_z.item<double>();
  // q(z|x) from the encoder heads, by hand.
  at::Tensor h = torch::relu(x.mm(m.encoder_view("enc0.w")) + m.encoder_view("enc0.b")).to(torch::kDouble);
  at::Tensor mu = h.mm(m.encoder_view("z_mu.w").to(torch::kDouble)) + m.encoder_view("z_mu.b").to(torch::kDouble);
  at::Tensor ls = h.mm(m.encoder_view("z_ls.w").to(torch::kDouble)) + m.encoder_view("z_ls.b").to(torch::kDouble);
  at::Tensor e = torch::randn({400000, 3}, torch::kDouble);
  at::Tensor z = mu + ls.exp() * e;
  const double mc = ((-ls - 0.5 * e * e) - (-0.5 * z * z)).sum(1).mean().item<double>();
  EXPECT_NEAR(kl, mc, 0.01 * std::fabs(mc) + 0.01);
}

TEST(DsVae, ResumeGivesTheSameParametersAsAnUnbrokenRun) {
  const SmallProblem p;
  const VaeConfig& cfg = p.cfg;
  const int64_t len = p.len;
  const at::Tensor &data = p.data, &weights = p.weights;
  Vae a(cfg, len, 2);
  VaeTrainer ta(a, data, weights, 9);
  for (int i = 0; i < 5; ++i) ta.step(false);

  test::TempDir dir;
  Vae b(cfg, len, 2);
  {
    VaeTrainer tb(b, data, weights, 9);
    for (int i = 0; i < 3; ++i) tb.step(false);
    save_checkpoint(dir.file("m.pt"), b, FocusInfo{"X", 1, std::string(len, 'A'), {}, 1.0}, &tb);
  }
  Checkpoint ck = load_checkpoint(dir.file("m.pt"));
  EXPECT_EQ(ck.steps, 3);
  VaeTrainer tc(*ck.model, data, weights, 0);
  tc.set_state(ck.adam, ck.steps, ck.rng_state);
  for (int i = 0; i < 2; ++i) tc.step(false);
  EXPECT_TRUE(torch::equal(ck.model->decoder_mu(), a.decoder_mu()));
  EXPECT_TRUE(torch::equal(ck.model->decoder_log_sigma(), a.decoder_log_sigma()));
  EXPECT_TRUE(torch::equal(ck.model->encoder_params(), a.encoder_params()));
  EXPECT_FALSE(torch::equal(b.decoder_mu(), a.decoder_mu()));
}

// The GPU's draws (batch indices, z, decoder noise from a device generator reseeded every
// update), here with a CPU model: reproducible for a seed, resumed from a checkpoint bit for bit
// (the CPU generator's state is all it needs), and other numbers than the host draws.
TEST(DsVae, DrawsOnTheDeviceAreReproducibleAndResumeExactly) {
  const SmallProblem p;
  auto trainer = [&](Vae& m, uint64_t seed) {
    auto t = std::make_unique<VaeTrainer>(m, p.data, p.weights, seed);
    t->draws_on_device(true);
    t->use_tensor_ops(true);
    return t;
  };
  Vae a(p.cfg, p.len, 2), b(p.cfg, p.len, 2), host(p.cfg, p.len, 2);
  auto ta = trainer(a, 9), tb = trainer(b, 9);
  EXPECT_TRUE(ta->draws_on_device());
  VaeTrainer th(host, p.data, p.weights, 9);
  th.use_tensor_ops(true);
  for (int i = 0; i < 5; ++i) {
    ta->step(false);
    tb->step(false);
    th.step(false);
  }
  EXPECT_TRUE(torch::equal(a.decoder_mu(), b.decoder_mu()));
  EXPECT_TRUE(torch::equal(a.encoder_params(), b.encoder_params()));
  EXPECT_FALSE(torch::equal(a.decoder_mu(), host.decoder_mu())) << "other draws than the host's";

  test::TempDir dir;
  Vae c(p.cfg, p.len, 2);
  {
    auto tc = trainer(c, 9);
    for (int i = 0; i < 3; ++i) tc->step(false);
    save_checkpoint(dir.file("m.pt"), c, FocusInfo{"X", 1, std::string(p.len, 'A'), {}, 1.0}, tc.get());
  }
  Checkpoint ck = load_checkpoint(dir.file("m.pt"));
  auto resumed = trainer(*ck.model, 0);
  resumed->set_state(ck.adam, ck.steps, ck.rng_state);
  for (int i = 0; i < 2; ++i) resumed->step(false);
  EXPECT_TRUE(torch::equal(ck.model->decoder_mu(), a.decoder_mu()));
  EXPECT_TRUE(torch::equal(ck.model->decoder_log_sigma(), a.decoder_log_sigma()));
  EXPECT_TRUE(torch::equal(ck.model->encoder_params(), a.encoder_params()));
}

}  // namespace
}  // namespace seqnn::ds
