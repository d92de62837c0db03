// Designed experiments (marginalize, ablate, space, design) against sequences built by hand as
// strings and run through the model's own forward pass, and design on a linear model against
// its optimum computed from the weights.
#include <torch/torch.h>

#include <map>

#include "seqnn/attribution/experiments.h"
#include "seqnn/models/native.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::max_abs_diff;

namespace {

const Alphabet& dna() { return Alphabet::dna(); }

at::Tensor forward_of(Model& m, const at::Tensor& X) {
  torch::NoGradGuard no_grad;
  m.eval();
  return m.forward(X.to(torch::kFloat)).tensor().to(torch::kDouble);
}

// The sequences as strings with `motif` written at `start` (N keeps the base), encoded again.
at::Tensor by_hand(const at::Tensor& X, const std::string& motif, int64_t start) {
  std::vector<std::string> seqs = one_hot_decode_batch(X, dna());
  for (std::string& s : seqs) {
    for (size_t k = 0; k < motif.size(); ++k) {
      if (motif[k] != 'N') s[static_cast<size_t>(start) + k] = motif[k];
    }
  }
  return one_hot_encode(seqs, dna());
}

std::map<std::string, int> dinucleotides(const std::string& s) {
  std::map<std::string, int> counts;
  for (size_t i = 0; i + 1 < s.size(); ++i) ++counts[s.substr(i, 2)];
  return counts;
}

// conv without a non-linearity, flatten, linear: f(x) = sum(w_eff * x) + b.
struct LinearModel {
  Model model;
  at::Tensor w_eff;  // (4, L), output 0
};

LinearModel linear_model(int64_t L) {
  const std::string json = R"({"input_length": )" + std::to_string(L) +
                           R"(, "conv": [{"filters": 2, "width": 3, "activation": "none"}], "outputs": 1, "output_activation": "none"})";
  LinearModel lm{make_native_model_from_json(json, "linear", 11), {}};
  CnnNet net = native_network(lm.model);
  at::Tensor w = net->conv_stack().conv(0)->weight.detach().to(torch::kDouble);  // (2, 4, 3)
  at::Tensor W = net->output_layer()->weight.detach().to(torch::kDouble)[0];     // (2 * (L - 2))
  lm.w_eff = torch::conv_transpose1d(W.view({1, 2, L - 2}), w)[0];
  return lm;
}

}  // namespace

TEST(Experiments, InsertMotifWritesTheLettersAndNKeepsTheBackground) {
  at::Tensor X = random_one_hot({3, 4, 20}, 1);
  at::Tensor got = insert_motif(X, one_hot_encode("TGNA", dna()), 5);
  EXPECT_TRUE(got.equal(by_hand(X, "TGNA", 5)));
  EXPECT_TRUE(insert_motif(X, one_hot_encode("ACGTAC", dna())).equal(by_hand(X, "ACGTAC", 7)));  // centred: (20 - 6) / 2
  at::Tensor per_sequence = one_hot_encode(std::vector<std::string>{"AA", "CC", "GG"}, dna());
  at::Tensor rows = insert_motif(X, per_sequence, 0);
  EXPECT_EQ(one_hot_decode(rows[1], dna()).substr(0, 2), "CC");
  EXPECT_EQ(one_hot_decode(rows[2], dna()).substr(0, 2), "GG");
  EXPECT_NE(error_of([&] { insert_motif(X, one_hot_encode("ACGT", dna()), 17); }).find("does not fit inside sequences of length 20"),
            std::string::npos);
  EXPECT_NE(error_of([&] { insert_motif(X, torch::full({4, 3}, 0.25)); }).find("must be one-hot"), std::string::npos);
  EXPECT_NE(error_of([&] { insert_motif(X, torch::zeros({5, 3})); }).find("must be (4, W)"), std::string::npos);
}

TEST(Experiments, SampledPwmLettersFollowTheColumnsAndTheSeed) {
  const std::vector<std::vector<double>> pwm = {{1, 0, 0, 0}, {0, 0.5, 0.5, 0}, {0.25, 0.25, 0.25, 0.25}};
  at::Tensor a = sample_pwm(pwm, 400, 3), b = sample_pwm(pwm, 400, 3);
  EXPECT_TRUE(a.equal(b));
  EXPECT_TRUE(sample_pwm(pwm, 100, 3, 300).equal(a.narrow(0, 300, 100)));  // independent of batching
  EXPECT_EQ(a.sum(1).eq(1).all().item<bool>(), true);                        // one letter per column
  EXPECT_EQ(a.select(2, 0).select(1, 0).sum().item<int64_t>(), 400);         // column 0 is always A
  const at::Tensor col1 = a.select(2, 1).to(torch::kDouble).mean(0);         // C or G, half each
  EXPECT_EQ(col1[0].item<double>() + col1[3].item<double>(), 0.0);
  EXPECT_NEAR(col1[1].item<double>(), 0.5, 0.08);
  EXPECT_NEAR(a.select(2, 2).to(torch::kDouble).mean(0)[3].item<double>(), 0.25, 0.07);
}

TEST(Experiments, MarginalizeEqualsTheModelOnSequencesBuiltByHand) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({5, 4, 200}, 2);
  MarginalizeOptions o;
  o.start = 60;
  o.predict.batch_size = 2;
  const ExperimentOutput e = marginalize(m, X, one_hot_encode("GATAAGNNTGCA", dna()), {}, o);
  EXPECT_LE(max_abs_diff(e.before.tensor().to(torch::kDouble), forward_of(m, X)), 1e-6);
  EXPECT_LE(max_abs_diff(e.after.tensor().to(torch::kDouble), forward_of(m, by_hand(X, "GATAAGNNTGCA", 60))), 1e-6);
  EXPECT_GT(max_abs_diff(e.after.tensor(), e.before.tensor()), 0.0);
}

TEST(Experiments, AblationShufflesOnlyTheRegionKeepingItsDinucleotides) {
  at::Tensor X = random_one_hot({2, 4, 60}, 4);
  AblateOptions o;
  o.start = 20;
  o.end = 45;
  o.shuffles = 5;
  o.seed = 8;
  const at::Tensor s = ablated_sequences(X, o);
  ASSERT_EQ(s.sizes(), (std::vector<int64_t>{2, 5, 4, 60}));
  EXPECT_TRUE(s.equal(ablated_sequences(X, o)));
  int changed = 0;
  for (int64_t i = 0; i < 2; ++i) {
    const std::string original = one_hot_decode(X[i], dna());
    for (int64_t k = 0; k < 5; ++k) {
      const std::string shuffled = one_hot_decode(s[i][k], dna());
      EXPECT_EQ(shuffled.substr(0, 20), original.substr(0, 20));
      EXPECT_EQ(shuffled.substr(45), original.substr(45));
      EXPECT_EQ(dinucleotides(shuffled.substr(20, 25)), dinucleotides(original.substr(20, 25)));
      EXPECT_EQ(shuffled[20], original[20]);
      EXPECT_EQ(shuffled[44], original[44]);
      changed += shuffled != original;
    }
  }
  EXPECT_GE(changed, 8);
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor Y = random_one_hot({3, 4, 200}, 5);
  o.end = 120;
  o.start = 80;
  const ExperimentOutput e = ablate(m, Y, {}, o);
  const at::Tensor want = forward_of(m, ablated_sequences(Y, o).reshape({15, 4, 200})).reshape({3, 5, -1});
  EXPECT_LE(max_abs_diff(e.after.tensor().to(torch::kDouble), want), 1e-6);
  EXPECT_NE(error_of([&] { o.end = 300; ablated_sequences(Y, o); }).find("not inside sequences of length 200"), std::string::npos);
}

TEST(Experiments, SpacePutsEachMotifSpacingPositionsAfterTheLast) {
  at::Tensor X = random_one_hot({2, 4, 40}, 6);
  const std::vector<at::Tensor> motifs = {one_hot_encode("AAAA", dna()), one_hot_encode("CCC", dna())};
  EXPECT_TRUE(spaced_motifs(X, motifs, 5, 2).equal(by_hand(by_hand(X, "AAAA", 2), "CCC", 11)));
  // Centred: width 4 + 3 + 6 = 13, start (40 - 13) / 2 = 13.
  EXPECT_TRUE(spaced_motifs(X, motifs, 6).equal(by_hand(by_hand(X, "AAAA", 13), "CCC", 23)));
  EXPECT_NE(error_of([&] { spaced_motifs(X, motifs, 40); }).find("do not fit"), std::string::npos);
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor Y = random_one_hot({2, 4, 200}, 7);
  SpaceOptions o;
  o.spacing = {0, 3, 10};
  const ExperimentOutput e = space(m, Y, motifs, {}, o);
  ASSERT_EQ(e.after.tensor().size(1), 3);
  for (int64_t k = 0; k < 3; ++k) {
    const at::Tensor want = forward_of(m, spaced_motifs(Y, motifs, o.spacing[static_cast<size_t>(k)]));
    EXPECT_LE(max_abs_diff(e.after.tensor().select(1, k).to(torch::kDouble), want), 1e-6) << "spacing " << o.spacing[static_cast<size_t>(k)];
  }
}

TEST(ExperimentsDesign, GreedyOnALinearModelReachesTheOptimumOfTheWeights) {
  const int64_t L = 24;
  LinearModel lm = linear_model(L);
  at::Tensor X = random_one_hot({2, 4, L}, 9);
  const at::Tensor x = X.to(torch::kDouble);
  const at::Tensor f = forward_of(lm.model, X).select(1, 0);
  const at::Tensor best_letters = lm.w_eff.argmax(0);                                          // (L)
  const at::Tensor gain = lm.w_eff.amax(0).unsqueeze(0) - (x * lm.w_eff).sum(1);             // (N, L)
  for (int64_t beam : {1, 3}) {
    SCOPED_TRACE("beam " + std::to_string(beam));
    DesignOptions o;
    o.iterations = 100;
    o.beam = beam;
    const DesignResult d = design(lm.model, X, {}, o);
    for (int64_t i = 0; i < 2; ++i) {
      EXPECT_TRUE(d.designed[i].to(torch::kFloat).argmax(0).equal(best_letters)) << "sequence " << i;
      const double optimum = (f[i] + gain[i].sum()).item<double>();
      EXPECT_NEAR(d.final[static_cast<size_t>(i)], optimum, 1e-4);
      EXPECT_NEAR(d.initial[static_cast<size_t>(i)], f[i].item<double>(), 1e-5);
      const auto& edits = d.edits[static_cast<size_t>(i)];
      EXPECT_NEAR(edits.empty() ? d.initial[static_cast<size_t>(i)] : edits.back().score, optimum, 1e-4);
      if (beam > 1) continue;
      // Greedy changes each position with a gain once, the largest gain first.
      EXPECT_EQ(static_cast<int64_t>(edits.size()), gain[i].gt(1e-9).sum().item<int64_t>());
      for (size_t k = 1; k < edits.size(); ++k) EXPECT_GT(edits[k].score, edits[k - 1].score);
      if (!edits.empty()) {
        EXPECT_EQ(edits[0].position, gain[i].argmax().item<int64_t>());
      }
    }
  }
}

TEST(ExperimentsDesign, MinimiseValueWindowAndTheModelsOwnScoreOfTheResult) {
  const int64_t L = 24;
  LinearModel lm = linear_model(L);
  at::Tensor X = random_one_hot({1, 4, L}, 10);
  DesignOptions o;
  o.goal = DesignGoal::kMinimize;
  o.iterations = 3;
  o.ism.start = 5;
  o.ism.end = 15;
  const DesignResult d = design(lm.model, X, {}, o);
  ASSERT_EQ(d.edits[0].size(), 3u);
  for (const DesignEdit& e : d.edits[0]) {
    EXPECT_GE(e.position, 5);
    EXPECT_LT(e.position, 15);
  }
  EXPECT_LT(d.final[0], d.initial[0]);
  EXPECT_NEAR(d.final[0], forward_of(lm.model, d.designed).select(1, 0)[0].item<double>(), 1e-5);
  // Only the listed positions changed.
  const std::string before = one_hot_decode(X[0], dna()), after = one_hot_decode(d.designed[0], dna());
  int differ = 0;
  for (int64_t l = 0; l < L; ++l) differ += before[static_cast<size_t>(l)] != after[static_cast<size_t>(l)];
  EXPECT_EQ(differ, 3);
  // A value goal stops once no substitution comes closer.
  o.goal = DesignGoal::kValue;
  o.value = d.initial[0] + 0.01;
  o.iterations = 50;
  o.ism.start = 0;
  o.ism.end = -1;
  const DesignResult v = design(lm.model, X, {}, o);
  EXPECT_LE(std::abs(v.final[0] - o.value), std::abs(v.initial[0] - o.value));
  EXPECT_NE(error_of([&] { o.beam = 0; design(lm.model, X, {}, o); }).find("--beam"), std::string::npos);
}

TEST(ExperimentsDesign, TheFirstGreedyEditIsTheBestSingleSubstitutionOfANonLinearModel) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({1, 4, 200}, 12);
  DesignOptions o;
  o.iterations = 1;
  o.ism.targets = {2};
  o.ism.start = 90;
  o.ism.end = 110;
  const DesignResult d = design(m, X, {}, o);
  ASSERT_EQ(d.edits[0].size(), 1u);
  // Every substitution in the window by hand.
  std::string seq = one_hot_decode(X[0], dna());
  double best = -1e30;
  int64_t best_pos = -1;
  for (int64_t l = 90; l < 110; ++l) {
    for (char c : std::string("ACGT")) {
      if (seq[static_cast<size_t>(l)] == c) continue;
      std::string s = seq;
      s[static_cast<size_t>(l)] = c;
      const double y = forward_of(m, one_hot_encode(std::vector<std::string>{s}, dna()))[0][2].item<double>();
      if (y > best) {
        best = y;
        best_pos = l;
      }
    }
  }
  EXPECT_EQ(d.edits[0][0].position, best_pos);
  EXPECT_NEAR(d.final[0], best, 1e-5);
}
