#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <random>

#include "rna/rna_test_util.h"
#include "seqnn/rna/assembly.h"
#include "seqnn/rna/evaluation.h"
#include "seqnn/rna/proposals.h"
#include "seqnn/rna/targets.h"
#include "seqnn/util/error.h"

namespace seqnn::rna {
namespace {

using test::stem;

// Valid = every base in at most one pair and no two pairs cross; checked on the pairs themselves.
bool valid_subset(int64_t L, const std::vector<Box>& stems, uint32_t mask) {
  std::vector<int> used(static_cast<size_t>(L), 0);
  std::vector<BasePair> pairs;
  for (size_t s = 0; s < stems.size(); ++s) {
    if (!(mask >> s & 1u)) continue;
    for (const auto& p : stem_pairs(stems[s])) {
      if (used[static_cast<size_t>(p.i)]++ || used[static_cast<size_t>(p.j)]++) return false;
      pairs.push_back(p);
    }
  }
  for (const auto& a : pairs) {
    for (const auto& b : pairs) {
      if (a.i < b.i && b.i < a.j && a.j < b.j) return false;
    }
  }
  return true;
}

TEST(RnaAssembly, MatchesBruteForceOverAllSubsets) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    const int64_t L = 12 + static_cast<int64_t>(rng() % 25);
    std::vector<Box> stems;
    std::vector<double> scores;
    const size_t n = 1 + rng() % 12;
    while (stems.size() < n) {
      const int64_t w = 1 + static_cast<int64_t>(rng() % 4);
      const int64_t i = static_cast<int64_t>(rng() % static_cast<uint64_t>(L));
      const int64_t j = i + 2 * w - 1 + static_cast<int64_t>(rng() % 8);
      if (j >= L) continue;
      stems.push_back(stem(i, j, w));
      scores.push_back(std::uniform_real_distribution<double>(-0.2, 1.0)(rng));
    }
    double best = 0.0;
    for (uint32_t mask = 0; mask < (1u << n); ++mask) {
      if (!valid_subset(L, stems, mask)) continue;
      double s = 0;
      for (size_t k = 0; k < n; ++k) s += (mask >> k & 1u) ? scores[k] : 0.0;
      best = std::max(best, s);
    }
    Assembly a = assemble_stems(L, stems, scores);
    EXPECT_NEAR(a.score, best, 1e-9) << "trial " << trial;
    uint32_t chosen = 0;
    for (size_t s : a.chosen) chosen |= 1u << s;
    EXPECT_TRUE(valid_subset(L, stems, chosen)) << "trial " << trial;
    EXPECT_TRUE(a.structure.pseudoknot_pairs().empty());
  }
}

TEST(RnaAssembly, HandExample) {
  // Nested pair of stems beats the crossing one; adjacent stacking stems may both be taken.
  std::vector<Box> stems{stem(0, 19, 3), stem(3, 16, 2), stem(5, 25, 3), stem(21, 29, 2)};
  Assembly a = assemble_stems(30, stems, {1.0, 0.5, 1.2, 0.4});
  EXPECT_EQ(a.chosen, (std::vector<size_t>{0, 1, 3}));
  EXPECT_DOUBLE_EQ(a.score, 1.9);
  EXPECT_EQ(a.structure.to_dot_bracket(), "(((((..........))))).((.....))");
  EXPECT_THROW(assemble_stems(10, {stem(0, 3, 3)}, {1.0}), Error);
}

TEST(RnaEvaluation, PairScoresByHand) {
  Structure t = Structure::from_dot_bracket("((((....))))....");
  Structure p = Structure::from_dot_bracket("(((......)))(..)");
  PairScores s = pair_scores(t, p);
  // True pairs (0,11)(1,10)(2,9)(3,8); predicted (0,11)(1,10)(2,9)(12,15): 3 correct.
  EXPECT_EQ(s.correct, 3);
  EXPECT_DOUBLE_EQ(s.precision, 0.75);
  EXPECT_DOUBLE_EQ(s.recall, 0.75);
  EXPECT_DOUBLE_EQ(s.f1, 0.75);
  EXPECT_DOUBLE_EQ(pair_scores(t, Structure(16)).f1, 0.0);
  EXPECT_DOUBLE_EQ(pair_scores(Structure(16), Structure(16)).f1, 1.0);
  EXPECT_DOUBLE_EQ(pair_scores(Structure(16), p).precision, 0.0);
}

TEST(RnaEvaluation, BoxSensitivityIdenticalAndOverlapping) {
  std::vector<Box> truth = decompose(Structure::from_dot_bracket("((((...))))")).boxes;  // stem + hloop
  std::vector<Box> pred{stem(0, 10, 4), {BoxType::kHloop, 2, 8, 7, 7}};
  BoxSensitivity s = box_sensitivity(truth, pred);
  EXPECT_EQ(s.total_true(), 2);
  EXPECT_DOUBLE_EQ(s.identical_rate(), 0.5);
  EXPECT_DOUBLE_EQ(s.overlapping_rate(), 1.0);
  EXPECT_DOUBLE_EQ(s.identical_rate(2), 0.0);
  EXPECT_TRUE(std::isnan(s.identical_rate(1)));
}

// A perfect S1 output (the targets themselves as one-hot logits) must give back the structure's
// boxes through proposals and assembly.
TEST(RnaProposals, PerfectPredictionsRecoverTheStructure) {
  for (uint64_t seed = 0; seed < 30; ++seed) {
    const int64_t L = 50;
    std::string db = test::random_dot_bracket(L, 500 + seed);
    Structure s = Structure::from_dot_bracket(db);
    // A sequence that makes every pair canonical (G-C), so pruning keeps true stems.
    std::string seq(static_cast<size_t>(L), 'A');
    for (const auto& p : s.pairs()) {
      seq[static_cast<size_t>(p.i)] = 'G';
      seq[static_cast<size_t>(p.j)] = 'C';
    }
    auto truth = decompose(s).boxes;
    S1Targets t = make_targets(L, truth);
    PixelPredictions pred{t.on, t.loc_x, t.loc_y, t.size_x_cls, t.size_y_cls, t.size_x, t.size_y};
    ProposalOptions opts;
    opts.min_norm = 0.0;  // large hairpins get few voters (offsets > 10 vote "beyond")
    auto kept = filter_proposals(propose_boxes(pred, opts), seq, opts);
    std::vector<Box> boxes, stems;
    std::vector<double> scores;
    for (const auto& p : kept) {
      boxes.push_back(p.box);
      if (p.box.type == BoxType::kStem) {
        stems.push_back(p.box);
        scores.push_back(p.prob * static_cast<double>(p.box.size_x));
      }
    }
    BoxSensitivity sens = box_sensitivity(truth, boxes);
    // Boxes wider than 10 can still be proposed through the scalar size.
    EXPECT_EQ(sens.identical[0] + sens.identical[1] + sens.identical[2], sens.total_true()) << db;
    Assembly a = assemble_stems(L, stems, scores);
    EXPECT_EQ(a.structure.to_dot_bracket(), db);
  }
}

TEST(RnaProposals, MergingCountsAndPruning) {
  // Three pixels of one 3-pair stem at (1, 12) vote for it: n_proposal 3, norm 3 / 9.
  const int64_t L = 14;
  S1Targets t = make_targets(L, {stem(1, 12, 3)});
  at::Tensor on = torch::zeros({3, L, L});
  on[0][1][12] = on[0][2][11] = on[0][3][12] = 0.9;
  PixelPredictions pred{on, t.loc_x, t.loc_y, t.size_x_cls, t.size_y_cls, t.size_x, t.size_y};
  auto all = propose_boxes(pred, ProposalOptions{});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].box, stem(1, 12, 3));
  EXPECT_EQ(all[0].n_proposal, 3);
  EXPECT_DOUBLE_EQ(all[0].n_proposal_norm, 3.0 / 9.0);
  EXPECT_NEAR(all[0].prob, 2.7 / 9.0, 1e-6);  // mean p_on over the 9 pixels
  ProposalOptions opts;
  EXPECT_EQ(filter_proposals(all, "AGGGAAAAAACCCU", opts).size(), 1u);
  EXPECT_EQ(filter_proposals(all, "AGAGAAAAAACCCU", opts).size(), 0u);  // A-C pair
  opts.min_norm = 0.5;
  EXPECT_EQ(filter_proposals(all, "AGGGAAAAAACCCU", opts).size(), 0u);
  EXPECT_EQ(prune_reason({BoxType::kHloop, 3, 6, 4, 4}, "", opts), "hairpin shorter than 3");
  EXPECT_EQ(prune_reason({BoxType::kIloop, 3, 9, 2, 2}, "", opts), "not an internal loop");
}

}  // namespace
}  // namespace seqnn::rna
