// The pairs decoder (rna/s1_pairs.h): pair posteriors from hand-set S1 outputs, computed here in
// plain arithmetic, and the MEA structure they give.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "seqnn/rna/predict_structures.h"
#include "seqnn/rna/s1_pairs.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

// An S1Output of one L x L item with every logit 0 except those set by the test.
S1Output blank_output(int64_t L) {
  S1Output o;
  for (int t = 0; t < kNumBoxTypes; ++t) {
    o.on[t] = torch::full({1, L, L}, -20.0);
    o.loc_x[t] = torch::zeros({1, kLocationClasses, L, L});
    o.loc_y[t] = torch::zeros({1, kLocationClasses, L, L});
    o.size_x[t] = o.size_y[t] = torch::zeros({1, kSizeClasses, L, L});
    o.scalar_x[t] = o.scalar_y[t] = torch::zeros({1, L, L});
  }
  return o;
}

TEST(RnaS1Pairs, PosteriorIsOnTimesAgreeingOffsets) {
  const std::string seq = "GGGAAAACCCAU";
  S1Output o = blank_output(12);
  const int s = static_cast<int>(BoxType::kStem);
  // (0, 9): on logit 2, both offsets certain at class 0 -> sigmoid(2) * 1.
  o.on[s][0][0][9] = 2.0;
  o.loc_x[s][0][0][0][9] = o.loc_y[s][0][0][0][9] = 50.0;
  // (1, 8): on logit 0 (p 0.5), offsets uniform over 12 classes -> 0.5 * 12 / 144.
  o.on[s][0][1][8] = 0.0;
  // (2, 7): certain on, but x says 1 and y says 0: not on the anti-diagonal -> ~0.
  o.on[s][0][2][7] = 20.0;
  o.loc_x[s][0][1][2][7] = 50.0;
  o.loc_y[s][0][0][2][7] = 50.0;
  // (3, 10) is A-C, not canonical: left out however sure the network is.
  o.on[s][0][3][10] = 20.0;
  // (1, 4) would close a hairpin of 2: left out.
  o.on[s][0][1][4] = 20.0;
  const auto pairs = s1_pair_probabilities(o, 0, seq, 1e-3);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].i, 0);
  EXPECT_EQ(pairs[0].j, 9);
  EXPECT_NEAR(pairs[0].p, 1.0 / (1.0 + std::exp(-2.0)), 1e-6);
  EXPECT_EQ(pairs[1].i, 1);
  EXPECT_EQ(pairs[1].j, 8);
  EXPECT_NEAR(pairs[1].p, 0.5 / 12.0, 1e-6);
  // MEA with gamma 1: (0, 9) is worth 2 * 0.88 > the two bases' unpaired 1 - 0.88 each; (1, 8)
  // at 0.04 is not worth pairing.
  EXPECT_EQ(s1_mea_structure(pairs, 12, 1.0).to_dot_bracket(), "(........)..");
  // Gamma 20: the weak pair's 2 * 20 * 0.0417 = 1.67 is still below its bases' unpaired 2 * 0.958;
  // gamma 30 (2.5) pairs it.
  EXPECT_EQ(s1_mea_structure(pairs, 12, 20.0).to_dot_bracket(), "(........)..");
  EXPECT_EQ(s1_mea_structure(pairs, 12, 30.0).to_dot_bracket(), "((......))..");
  EXPECT_EQ(parse_s1_decoder("pairs"), S1Decoder::kPairs);
  EXPECT_EQ(seqnn::test::error_of([] { parse_s1_decoder("dp"); }), "--decoder: unknown decoder 'dp' (expected boxes or pairs)");
}

}  // namespace
}  // namespace seqnn::rna
