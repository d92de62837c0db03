// McCaskill partition function, pair probabilities, sampling and MEA: against brute force over
// every structure of short random sequences; RNAfold -p's MFE frequencies for chr20 segments.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "rna/fold_test_util.h"
#include "seqnn/rna/fold/eval.h"
#include "seqnn/rna/fold/fold.h"
#include "test_helpers.h"

namespace seqnn::rna::fold {
namespace {

struct Brute {
  double z = 0.0;
  int mfe = kInf;
  std::vector<std::vector<int>> structures;
  std::vector<double> weights;
  std::vector<double> pairs;  // n x n
};

Brute brute_force(const std::string& seq, int max_span = 0) {
  const EncodedSequence s = encode_sequence(seq);
  const double kt = kt_kcal() * 100.0;
  Brute b;
  b.pairs.assign(static_cast<size_t>(s.n * s.n), 0.0);
  test::for_each_structure(s, [&](const std::vector<int>& pt) {
    const int e = structure_energy(s, pt);
    b.mfe = std::min(b.mfe, e);
    b.structures.push_back(pt);
    b.weights.push_back(std::exp(-e / kt));
    b.z += b.weights.back();
  }, max_span);
  for (size_t k = 0; k < b.structures.size(); ++k) {
    for (int i = 0; i < s.n; ++i) {
      const int j = b.structures[k][static_cast<size_t>(i)];
      if (j > i) b.pairs[static_cast<size_t>(i * s.n + j)] += b.weights[k] / b.z;
    }
  }
  return b;
}

FoldSettings exact_settings() {
  FoldSettings fs;
  fs.options.pf_smooth = false;  // every structure weighs exp(-E/RT) with E from the evaluator
  fs.partition = true;
  fs.pair_threshold = 0.0;
  return fs;
}

TEST(FoldPartition, MatchesBruteForceOnRandomSequences) {
  std::mt19937_64 rng(23);
  for (int t = 0; t < 40; ++t) {
    const int n = 8 + t % 11;  // up to 18 nt
    const std::string seq = test::random_rna(n, rng);
    const Brute b = brute_force(seq);
    const FoldResult r = fold_sequence(seq, exact_settings());
    EXPECT_NEAR(r.ensemble_energy, -kt_kcal() * std::log(b.z), 1e-9) << seq;
    EXPECT_NEAR(r.mfe_probability, std::exp(-b.mfe / (kt_kcal() * 100.0)) / b.z, 1e-12) << seq;
    std::vector<double> p(static_cast<size_t>(n * n), 0.0);
    for (const auto& q : r.pairs) p[static_cast<size_t>(q.i * n + q.j)] = q.p;
    for (size_t k = 0; k < p.size(); ++k) EXPECT_NEAR(p[k], b.pairs[k], 2e-6) << seq << " pair " << k / n << "," << k % n;
  }
}

TEST(FoldPartition, PairProbabilitiesSumToAtMostOne) {
  std::mt19937_64 rng(3);
  FoldSettings fs;
  fs.partition = true;
  fs.pair_threshold = 0.0;
  for (int n : {40, 120, 300}) {
    const std::string seq = test::random_rna(n, rng);
    const FoldResult r = fold_sequence(seq, fs);
    std::vector<double> sum(static_cast<size_t>(n), 0.0);
    for (const auto& q : r.pairs) {
      ASSERT_LT(q.i, q.j);
      ASSERT_GE(q.j - q.i, 4);
      sum[static_cast<size_t>(q.i)] += q.p;
      sum[static_cast<size_t>(q.j)] += q.p;
    }
    for (double x : sum) EXPECT_LE(x, 1.0 + 1e-9);
    EXPECT_GT(r.mfe_probability, 0.0);
    EXPECT_LE(r.mfe_probability, 1.0);
    EXPECT_LE(r.ensemble_energy, r.mfe.kcal() + 1e-9);
  }
}

TEST(FoldPartition, SpanLimitAgreesWithBruteForceAndLongSpanIsUnrestricted) {
  std::mt19937_64 rng(8);
  const std::string seq = test::random_rna(17, rng);
  FoldSettings fs = exact_settings();
  fs.options.max_span = 10;
  const Brute b = brute_force(seq, 10);
  const FoldResult r = fold_sequence(seq, fs);
  EXPECT_NEAR(r.ensemble_energy, -kt_kcal() * std::log(b.z), 1e-9);
  for (const auto& q : r.pairs) EXPECT_LE(q.j - q.i + 1, 10);

  const std::string trna = "GCGGAUUUAGCUCAGUUGGGAGAGCGCCAGACUGAAGAUCUGGAGGUCCUGUGUUCGAUCCACAGAAUUCGCACCA";
  FoldSettings full;
  full.partition = true;
  FoldSettings wide = full;
  wide.options.max_span = static_cast<int>(trna.size());
  const FoldResult a = fold_sequence(trna, full), c = fold_sequence(trna, wide);
  EXPECT_DOUBLE_EQ(a.ensemble_energy, c.ensemble_energy);
  ASSERT_EQ(a.pairs.size(), c.pairs.size());
  for (size_t k = 0; k < a.pairs.size(); ++k) EXPECT_DOUBLE_EQ(a.pairs[k].p, c.pairs[k].p);
}

TEST(FoldPartition, SampleFrequenciesFollowProbabilities) {
  const std::string seq = "GGGCGCAAGCCUUAAGGCUUGCGCCC";  // a few competing structures
  FoldSettings fs = exact_settings();
  fs.samples = 4000;
  fs.seed = 11;
  const FoldResult r = fold_sequence(seq, fs);
  ASSERT_EQ(r.samples.size(), 4000u);
  const int n = static_cast<int>(seq.size());
  std::vector<double> freq(static_cast<size_t>(n * n), 0.0);
  for (const auto& s : r.samples) {
    const auto pt = partners_from_dot_bracket(s);
    evaluate_structure(seq, s);  // a valid structure
    for (int i = 0; i < n; ++i) {
      if (pt[static_cast<size_t>(i)] > i) freq[static_cast<size_t>(i * n + pt[static_cast<size_t>(i)])] += 1.0 / 4000.0;
    }
  }
  for (const auto& q : r.pairs) {
    // binomial standard deviation sqrt(p(1-p)/4000) <= 0.008: allow 5 of them
    EXPECT_NEAR(freq[static_cast<size_t>(q.i * n + q.j)], q.p, 0.04) << q.i << "," << q.j;
  }
  // reproducible for a seed, different for another
  EXPECT_EQ(fold_sequence(seq, fs).samples, r.samples);
  fs.seed = 12;
  EXPECT_NE(fold_sequence(seq, fs).samples, r.samples);
}

TEST(FoldPartition, MeaMaximisesExpectedAccuracy) {
  std::mt19937_64 rng(31);
  for (int t = 0; t < 12; ++t) {
    const std::string seq = test::random_rna(12 + t % 6, rng);
    const int n = static_cast<int>(seq.size());
    FoldSettings fs = exact_settings();
    fs.mea = true;
    const FoldResult r = fold_sequence(seq, fs);
    std::vector<double> p(static_cast<size_t>(n * n), 0.0), pu(static_cast<size_t>(n), 1.0);
    for (const auto& q : r.pairs) {
      p[static_cast<size_t>(q.i * n + q.j)] = q.p;
      pu[static_cast<size_t>(q.i)] -= q.p;
      pu[static_cast<size_t>(q.j)] -= q.p;
    }
    auto score = [&](const std::vector<int>& pt) {
      double s = 0.0;
      for (int i = 0; i < n; ++i) {
        const int j = pt[static_cast<size_t>(i)];
        if (j < 0) s += std::max(0.0, pu[static_cast<size_t>(i)]);
        else if (j > i) s += 2.0 * p[static_cast<size_t>(i * n + j)];
      }
      return s;
    };
    double best = 0.0;
    test::for_each_structure(encode_sequence(seq), [&](const std::vector<int>& pt) { best = std::max(best, score(pt)); });
    EXPECT_NEAR(r.mea.expected_accuracy, best, 1e-9) << seq;
    EXPECT_NEAR(score(partners_from_dot_bracket(r.mea.structure)), best, 1e-9) << seq;
  }
}

// RNAfold -p's "frequency of mfe structure in ensemble" for 64-nt chr20 segments (printed to 4
// digits in the shared table): with RNAfold's partition-function conventions (pf_smooth) ours agrees.
TEST(FoldPartition, RnafoldMfeFrequencyOnChr20) {
  const std::string path = seqnn::test::shared_data("rna/chr20_len64_mfefreq0.1.tsv.gz");
  if (path.empty()) GTEST_SKIP() << "../shared/data/rna/chr20_len64_mfefreq0.1.tsv.gz is absent";
  const auto out = seqnn::test::run_shell("zcat '" + path + "' | head -301");
  ASSERT_EQ(out.exit_code, 0);
  std::istringstream in(out.output);
  std::string line;
  std::getline(in, line);  // header: id sequence structure mfe mfe_frequency
  FoldSettings fs;
  fs.partition = true;
  int rows = 0;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, seq, st;
    double mfe = 0.0, freq = 0.0;
    if (!(f >> id >> seq >> st >> mfe >> freq)) continue;
    const FoldResult r = fold_sequence(seq, fs);
    EXPECT_EQ(r.mfe.energy, static_cast<int>(std::lround(mfe * 100))) << id;
    EXPECT_NEAR(r.mfe_probability, freq, 5.1e-5) << id;
    ++rows;
  }
  EXPECT_EQ(rows, 300);
}

TEST(FoldPartition, DensePairMatrix) {
  const auto m = dense_pair_matrix(3, {{0, 2, 0.25}});
  ASSERT_EQ(m.size(), 9u);
  EXPECT_FLOAT_EQ(m[2], 0.25f);
  EXPECT_FLOAT_EQ(m[6], 0.25f);
  EXPECT_FLOAT_EQ(m[4], 0.0f);
}

}  // namespace
}  // namespace seqnn::rna::fold
