// Zuker MFE: against brute-force enumeration on short random sequences (every structure scored
// by the evaluator), the span limit, and RNAfold 2.7.1's MFE on real ArchiveII sequences.
#include <gtest/gtest.h>

#include <algorithm>

#include "rna/fold_test_util.h"
#include "seqnn/rna/fold/eval.h"
#include "seqnn/rna/fold/mfe.h"
#include "test_helpers.h"

namespace seqnn::rna::fold {
namespace {

TEST(FoldMfe, MatchesBruteForceOnRandomSequences) {
  std::mt19937_64 rng(19);
  for (int t = 0; t < 60; ++t) {
    const int n = 8 + t % 11;  // 8..18 nt
    const std::string seq = test::random_rna(n, rng);
    const EncodedSequence s = encode_sequence(seq);
    int best = kInf;
    test::for_each_structure(s, [&](const std::vector<int>& pt) { best = std::min(best, structure_energy(s, pt)); });
    const MfeResult r = fold_mfe(seq);
    EXPECT_EQ(r.energy, best) << seq;
    EXPECT_EQ(evaluate_structure(seq, r.structure).energy, r.energy) << seq << " " << r.structure;
  }
}

TEST(FoldMfe, SpanLimit) {
  std::mt19937_64 rng(5);
  for (int t = 0; t < 20; ++t) {
    const std::string seq = test::random_rna(16, rng);
    const EncodedSequence s = encode_sequence(seq);
    FoldOptions o;
    o.max_span = 9;
    int best = kInf;
    test::for_each_structure(s, [&](const std::vector<int>& pt) { best = std::min(best, structure_energy(s, pt)); }, 9);
    const MfeResult r = fold_mfe(s, o);
    EXPECT_EQ(r.energy, best) << seq;
    const auto pt = partners_from_dot_bracket(r.structure);
    for (int i = 0; i < 16; ++i) EXPECT_LE(pt[static_cast<size_t>(i)] - i + 1, 9);
  }
  // L >= n: the unrestricted result
  const std::string seq = "GGGAGCUCAGUUGGUAGAGCAGAGGACUGAAAAUCCUCGUGUCACCAGUUCAAAUCUGGUUCCUGGCA";
  const MfeResult full = fold_mfe(seq);
  for (int L : {static_cast<int>(seq.size()), static_cast<int>(seq.size()) + 50}) {
    FoldOptions o;
    o.max_span = L;
    const MfeResult r = fold_mfe(encode_sequence(seq), o);
    EXPECT_EQ(r.energy, full.energy);
    EXPECT_EQ(r.structure, full.structure);
  }
  EXPECT_EQ(fold_mfe("AAAA").energy, 0);
  EXPECT_EQ(fold_mfe("AAAA").structure, "....");
  EXPECT_EQ(fold_mfe("NNNNNNNNNN").structure, "..........");
}

TEST(FoldMfe, RnafoldArchiveIIEnergies) {
  const std::string path = seqnn::test::shared_data("rna/ArchiveII_RNAfold-2.7.1_mfe.txt");
  if (path.empty()) GTEST_SKIP() << "../shared/data/rna/ArchiveII_RNAfold-2.7.1_mfe.txt is absent";
  auto recs = test::read_rnafold_mfe(path, 97);  // 35 records of all families; the full set: bench/bench_rna_fold.sh
  ASSERT_GT(recs.size(), 30u);
  for (const auto& r : recs) {
    if (r.sequence.size() > 200) continue;  // keep the suite fast
    const MfeResult m = fold_mfe(r.sequence);
    EXPECT_EQ(m.energy, r.energy) << r.id;
    // the same structure, or another one of the same (minimum) energy
    if (m.structure != r.structure) {
      EXPECT_EQ(evaluate_structure(r.sequence, m.structure).energy, r.energy) << r.id;
    }
  }
}

}  // namespace
}  // namespace seqnn::rna::fold
