// Monte-Carlo dropout: paired masks, the variance identity, determinism, batch norm untouched.
#include "seqnn/inference/mc_dropout.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/mutagenesis/variant_effect.h"
#include "seqnn/models/native.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;

namespace {

McOptions mc(int64_t k, uint64_t seed, McPairing pairing = McPairing::kPaired) {
  McOptions o;
  o.samples = k;
  o.seed = seed;
  o.pairing = pairing;
  return o;
}

PredictOptions batch_of(int64_t b) {
  PredictOptions o;
  o.batch_size = b;
  return o;
}

}  // namespace

TEST(McDropout, PairedMasksGiveZeroVarianceWhenAltEqualsRef) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({10, 4, 200}, 1);
  auto paired = predict_pairs_mc(m, X, X, batch_of(4), mc(20, 7));
  EXPECT_EQ(paired[0].diff_sd.abs().max().item<double>(), 0.0);
  EXPECT_EQ(paired[0].diff_mean.abs().max().item<double>(), 0.0);
  EXPECT_GT(paired[0].ref_sd.min().item<double>(), 0.0);  // dropout really samples
  auto independent = predict_pairs_mc(m, X, X, batch_of(4), mc(20, 7, McPairing::kIndependent));
  EXPECT_GT(independent[0].diff_sd.min().item<double>(), 0.0);
}

TEST(McDropout, DiffVarianceEqualsVarAltPlusVarRefMinusTwoCov) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor ref = random_one_hot({6, 4, 200}, 2);
  at::Tensor alt = ref.clone();
  alt.select(2, 100).zero_();
  alt.select(2, 100).select(1, 0).fill_(1);  // an A at the centre of every sequence
  for (auto pairing : {McPairing::kPaired, McPairing::kIndependent}) {
    auto s = predict_pairs_mc(m, ref, alt, batch_of(4), mc(15, 3, pairing))[0];
    at::Tensor var_diff = s.diff_sd.pow(2);
    at::Tensor identity = s.alt_sd.pow(2) + s.ref_sd.pow(2) - 2 * s.cov;
    EXPECT_LT((var_diff - identity).abs().max().item<double>(), 1e-9);
    at::Tensor corr = s.cov / (s.ref_sd * s.alt_sd);
    EXPECT_LT((corr - s.corr).abs().max().item<double>(), 1e-9);
    EXPECT_TRUE(((s.p_diff_positive >= 0) & (s.p_diff_positive <= 1)).all().item<bool>());
  }
}

TEST(McDropout, MatchesSamplesComputedByHand) {
  // The streaming (Welford) moments equal the textbook formulas on the stored samples.
  PairedMoments pm({3});
  std::vector<at::Tensor> refs, alts;
  torch::manual_seed(0);
  for (int64_t k = 1; k <= 6; ++k) {
    refs.push_back(torch::randn({3}, torch::kFloat64));
    alts.push_back(refs.back() * 0.5 + torch::randn({3}, torch::kFloat64));
    pm.add(k, 0, refs.back(), alts.back());
  }
  at::Tensor R = torch::stack(refs), A = torch::stack(alts), D = A - R;
  auto s = pm.summary(6);
  EXPECT_TENSOR_NEAR(s.ref_mean, R.mean(0), 1e-12);
  EXPECT_TENSOR_NEAR(s.alt_sd, A.std(0), 1e-12);  // unbiased, as torch.std
  EXPECT_TENSOR_NEAR(s.diff_sd, D.std(0), 1e-12);
  at::Tensor cov = ((R - R.mean(0)) * (A - A.mean(0))).sum(0) / 5.0;
  EXPECT_TENSOR_NEAR(s.cov, cov, 1e-12);
  EXPECT_TENSOR_NEAR(s.p_diff_positive, (D > 0).to(torch::kFloat64).mean(0), 1e-12);
}

TEST(McDropout, SameSeedSameBatchSizeIsIdentical) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({9, 4, 200}, 4);
  auto a = predict_mc(m, X, {}, batch_of(4), mc(5, 11));
  auto b = predict_mc(m, X, {}, batch_of(4), mc(5, 11));
  auto c = predict_mc(m, X, {}, batch_of(4), mc(5, 12));
  EXPECT_TRUE(torch::equal(a.mean[0], b.mean[0]));
  EXPECT_TRUE(torch::equal(a.sd[0], b.sd[0]));
  EXPECT_FALSE(torch::equal(a.mean[0], c.mean[0]));
  EXPECT_FALSE(m.is_training());  // mode restored
}

TEST(McDropout, MeanTendsToTheDeterministicPredictionAsDropoutVanishes) {
  CnnConfig cfg = CnnConfig::from_file(fixture("basset_small.json"));
  at::Tensor X = random_one_hot({8, 4, 200}, 6);
  double previous = 1e9;
  for (double p : {0.3, 0.05, 1e-4}) {
    cfg.dense[0].dropout = p;
    Model m = make_native_model(cfg, 1);
    at::Tensor det = predict(m, X).tensor();
    double err = (predict_mc(m, X, {}, batch_of(8), mc(40, 1)).mean[0] - det).abs().max().item<double>();
    EXPECT_LT(err, previous + 1e-12) << "dropout " << p;
    previous = err;
  }
  EXPECT_LT(previous, 1e-3);
}

TEST(McDropout, BatchNormStatisticsNeverChange) {
  for (bool native : {false, true}) {
    Model m = native ? make_native_model(CnnConfig::from_file(fixture("basset_small.json")), 2)
                     : Model::load(fixture("basset_small.pt"));
    std::vector<at::Tensor> before;
    if (native) {
      for (const auto& b : native_network(m)->buffers()) before.push_back(b.clone());
    }
    at::Tensor X = random_one_hot({16, 4, 200}, 8);
    at::Tensor det = predict(m, X).tensor();
    predict_mc(m, X, {}, batch_of(8), mc(5, 1));
    predict_pairs_mc(m, X, X, batch_of(8), mc(3, 1));
    // Batch norm in eval mode: the deterministic prediction (which uses the running statistics)
    // is bit-identical afterwards.
    EXPECT_TRUE(torch::equal(predict(m, X).tensor(), det));
    if (native) {
      auto after = native_network(m)->buffers();
      ASSERT_EQ(after.size(), before.size());
      for (size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(torch::equal(after[i], before[i])) << i;
    }
  }
}

TEST(McDropout, ModelWithoutDropoutIsAClearError) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  try {
    predict_mc(m, seqnn::test::fixture_npy("flatten_dense_X"), {}, batch_of(2), mc(3, 0));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no dropout layers"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(m.is_training());
}

TEST(McDropout, IsmPairedIdentitySlotsAreExactlyZero) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({2, 4, 200}, 9);
  IsmOptions o;
  o.start = 98;
  o.end = 102;
  o.predict.batch_size = 5;
  o.mc = mc(6, 2);
  IsmResult r = ism(m, X, {}, o);
  ASSERT_EQ(r.mc.size(), 1u);
  const auto& s = r.mc[0];
  ASSERT_EQ(s.diff_mean.sizes(), (std::vector<int64_t>{2, 4, 4, 12}));
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t p = 98; p < 102; ++p) {
      int64_t base = X[i].select(1, p).argmax().item<int64_t>();
      EXPECT_EQ(s.diff_sd[i][p - 98][base].abs().max().item<double>(), 0.0);
      EXPECT_EQ(s.diff_mean[i][p - 98][base].abs().max().item<double>(), 0.0);
    }
  }
  EXPECT_GT(s.diff_sd.max().item<double>(), 0.0);
  // Identity: Var(diff) = Var(alt) + Var(ref) - 2 Cov for every slot.
  EXPECT_LT((s.diff_sd.pow(2) - (s.alt_sd.pow(2) + s.ref_sd.pow(2) - 2 * s.cov)).abs().max().item<double>(), 1e-9);
}

TEST(VariantScores, FormulasByHand) {
  at::Tensor ref = torch::tensor({0.2, 0.5}, torch::kFloat64), alt = torch::tensor({0.6, 0.25}, torch::kFloat64);
  EXPECT_TENSOR_NEAR(variant_score("diff", ref, alt), torch::tensor({0.4, -0.25}, torch::kFloat64), 1e-12);
  EXPECT_TENSOR_NEAR(variant_score("abs_diff", ref, alt), torch::tensor({0.4, 0.25}, torch::kFloat64), 1e-12);
  // logit(0.6) - logit(0.2) = log(1.5) - log(0.25); logit(0.25) - logit(0.5) = log(1/3)
  EXPECT_TENSOR_NEAR(variant_score("logit_diff", ref, alt),
                     torch::tensor({std::log(1.5) - std::log(0.25), std::log(1.0 / 3)}, torch::kFloat64), 1e-5);
  EXPECT_TENSOR_NEAR(variant_score("log2fc", ref, alt),
                     torch::tensor({std::log2(0.600001 / 0.200001), std::log2(0.250001 / 0.500001)}, torch::kFloat64), 1e-9);
  EXPECT_THROW(variant_score("zscore", ref, alt), Error);
}
