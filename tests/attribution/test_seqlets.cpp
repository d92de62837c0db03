// Recursive seqlets against a brute-force reading of their definition (null by enumeration,
// every sub-span significant, longest first, no overlap), a planted-motif map, and patterns.
#include <algorithm>
#include <cmath>
#include <random>

#include "seqnn/attribution/seqlet_patterns.h"
#include "seqnn/attribution/seqlets.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;

namespace {

// p[k][b] = 1 - sum_{j=1..b} P(sum of k bins = j), the bins' distribution over all k-tuples of
// the values: by enumerating the tuples (small inputs), or by convolving the histogram.
std::vector<std::vector<double>> brute_force_null(const std::vector<double>& x, int64_t n_bins, int64_t kmax, double& xmin,
                                                  double& width, bool enumerate = true) {
  xmin = *std::min_element(x.begin(), x.end());
  width = (*std::max_element(x.begin(), x.end()) - xmin) / static_cast<double>(n_bins - 1);
  std::vector<int64_t> bins;
  for (double v : x) bins.push_back(std::min<int64_t>(n_bins - 1, static_cast<int64_t>(std::floor((v - xmin) / width))));
  std::vector<double> hist(static_cast<size_t>(n_bins), 0.0);
  for (int64_t b : bins) hist[static_cast<size_t>(b)] += 1.0 / static_cast<double>(x.size());
  std::vector<std::vector<double>> p(static_cast<size_t>(kmax + 1));
  std::vector<double> conv = {1.0};
  for (int64_t k = 1; k <= kmax; ++k) {
    std::vector<double> pmf(static_cast<size_t>(k * (n_bins - 1) + 1), 0.0);
    if (enumerate) {
      std::vector<size_t> pick(static_cast<size_t>(k), 0);
      double total = 0;
      while (true) {
        int64_t s = 0;
        for (size_t i : pick) s += bins[i];
        pmf[static_cast<size_t>(s)] += 1;
        total += 1;
        size_t d = 0;
        while (d < pick.size() && ++pick[d] == x.size()) pick[d++] = 0;
        if (d == pick.size()) break;
      }
      for (double& v : pmf) v /= total;
    } else {
      std::vector<double> next(pmf.size(), 0.0);
      for (size_t a = 0; a < conv.size(); ++a) {
        for (size_t b = 0; b < hist.size(); ++b) next[a + b] += conv[a] * hist[b];
      }
      conv = next;
      pmf = next;
    }
    p[static_cast<size_t>(k)].assign(pmf.size(), 0.0);
    double acc = 0;
    for (size_t b = 0; b < pmf.size(); ++b) {
      if (b > 0) acc += pmf[b];
      p[static_cast<size_t>(k)][b] = std::max(0.0, 1 - acc);
    }
  }
  return p;
}

// The definition, read literally: p(s, k) of each span from the enumerated null; the seqlets
// of each row, lengths from longest to shortest, spans of a length by (largest p of their
// prefixes, start); a span is taken when all its sub-spans of length >= min have p < threshold
// and it overlaps no seqlet taken before.
std::vector<Seqlet> brute_force_seqlets(const std::vector<double>& x, int64_t n, int64_t l, const SeqletOptions& o) {
  double xmin = 0, width = 0;
  const auto null = brute_force_null(x, o.n_bins, o.max_seqlet_len, xmin, width, false);
  std::vector<Seqlet> out;
  for (int64_t i = 0; i < n; ++i) {
    const auto raw = [&](int64_t s, int64_t k) {
      double sum = 0;
      for (int64_t j = s; j < s + k; ++j) sum += x[static_cast<size_t>(i * l + j)];
      const auto b = static_cast<int64_t>(std::floor((sum - xmin * static_cast<double>(k)) / width));
      const auto& row = null[static_cast<size_t>(k)];
      return row[static_cast<size_t>(std::clamp<int64_t>(b, 0, static_cast<int64_t>(row.size()) - 1))];
    };
    std::vector<bool> taken(static_cast<size_t>(l), false);
    for (int64_t k = o.max_seqlet_len; k >= o.min_seqlet_len; --k) {
      std::vector<std::pair<double, int64_t>> order;
      for (int64_t s = 0; s + k <= l; ++s) {
        double pm = 0;
        for (int64_t j = o.min_seqlet_len; j <= k; ++j) pm = std::max(pm, raw(s, j));
        order.emplace_back(pm, s);
      }
      std::sort(order.begin(), order.end());
      for (const auto& [pm, s] : order) {
        if (pm >= o.threshold) break;
        bool ok = true;
        for (int64_t c = s; c < s + k; ++c) ok = ok && !taken[static_cast<size_t>(c)];
        for (int64_t a = s; a < s + k && ok; ++a) {
          for (int64_t j = o.min_seqlet_len; a + j <= s + k && ok; ++j) ok = raw(a, j) < o.threshold;
        }
        if (!ok) continue;
        for (int64_t c = s; c < s + k; ++c) taken[static_cast<size_t>(c)] = true;
        Seqlet q;
        q.example = i;
        q.start = std::max<int64_t>(0, s - o.additional_flanks);
        q.end = std::min<int64_t>(l, s + k + o.additional_flanks);
        for (int64_t j = q.start; j < q.end; ++j) q.attribution += x[static_cast<size_t>(i * l + j)];
        q.p_value = pm;
        out.push_back(q);
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Seqlet& a, const Seqlet& b) {
    return a.p_value != b.p_value ? a.p_value < b.p_value : a.example != b.example ? a.example < b.example : a.start < b.start;
  });
  return out;
}

}  // namespace

TEST(Seqlets, NullTableEqualsEnumeration) {
  // Values away from bin edges: with 5 bins over [0, 4] the bin of v is floor(v).
  const std::vector<double> x = {0, 0.5, 1.2, 2.7, 3.1, 4, 0.3, 0.4, 1.9, 0.1, 2.2, 0.6};
  SeqletOptions o;
  o.n_bins = 5;
  o.max_seqlet_len = 4;
  const SeqletNull got = seqlet_null(x, o);
  double xmin = 0, width = 0;
  const auto ref = brute_force_null(x, o.n_bins, o.max_seqlet_len, xmin, width);
  EXPECT_EQ(got.x_min, 0);
  EXPECT_DOUBLE_EQ(got.bin_width, 1.0);
  for (int64_t k = 1; k <= 4; ++k) {
    ASSERT_EQ(got.p[static_cast<size_t>(k)].size(), ref[static_cast<size_t>(k)].size()) << k;
    for (size_t b = 0; b < ref[static_cast<size_t>(k)].size(); ++b) EXPECT_NEAR(got.p[static_cast<size_t>(k)][b], ref[static_cast<size_t>(k)][b], 1e-12) << k << " " << b;
  }
  const auto conv = brute_force_null(x, o.n_bins, o.max_seqlet_len, xmin, width, false);
  for (int64_t k = 1; k <= 4; ++k) {
    for (size_t b = 0; b < ref[static_cast<size_t>(k)].size(); ++b) EXPECT_NEAR(conv[static_cast<size_t>(k)][b], ref[static_cast<size_t>(k)][b], 1e-12);
  }
  // By hand for k = 1: bins 0,0,1,2,3,4,0,0,1,0,2,0 -> P(1) = 2/12, so p[1][1] = 1 - 2/12.
  EXPECT_NEAR(got.p[1][1], 10.0 / 12, 1e-12);
  // tangermeme's table never subtracts the mass of bin 0 (here 6/12): 1 - P(1..4) = 0.5.
  EXPECT_NEAR(got.p[1][4], 0.5, 1e-12);
}

TEST(Seqlets, CallsEqualABruteForceReadingOfTheDefinition) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 0.3);
  for (int trial = 0; trial < 4; ++trial) {
    const int64_t n = 3, l = 40;
    std::vector<double> x(static_cast<size_t>(n * l));
    for (double& v : x) v = noise(rng);
    for (int64_t i = 0; i < n; ++i) {  // bumps of different lengths and heights
      for (int64_t j = 5 + 3 * i; j < 11 + 4 * i; ++j) x[static_cast<size_t>(i * l + j)] += 1.0 + 0.3 * trial;
      for (int64_t j = 30; j < 34; ++j) x[static_cast<size_t>(i * l + j)] += 0.8;
    }
    SeqletOptions o;
    o.n_bins = 12;
    o.min_seqlet_len = 2;
    o.max_seqlet_len = 3 + trial;
    o.threshold = 0.05;
    o.additional_flanks = trial % 2;
    const auto got = recursive_seqlets(x, n, l, o);
    const auto ref = brute_force_seqlets(x, n, l, o);
    ASSERT_EQ(got.size(), ref.size()) << "trial " << trial;
    ASSERT_GT(got.size(), 3u);
    for (size_t k = 0; k < got.size(); ++k) {
      EXPECT_EQ(got[k].example, ref[k].example) << k;
      EXPECT_EQ(got[k].start, ref[k].start) << k;
      EXPECT_EQ(got[k].end, ref[k].end) << k;
      EXPECT_NEAR(got[k].attribution, ref[k].attribution, 1e-9) << k;
      EXPECT_NEAR(got[k].p_value, ref[k].p_value, 1e-12) << k;
    }
  }
}

TEST(Seqlets, APlantedMotifIsCalledOncePerSequence) {
  std::mt19937_64 rng(8);
  std::normal_distribution<double> noise(0, 0.05);
  const int64_t n = 60, l = 120;
  std::vector<double> x(static_cast<size_t>(n * l));
  for (double& v : x) v = noise(rng);
  std::vector<int64_t> at(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    at[static_cast<size_t>(i)] = 10 + (i * 37) % 90;
    for (int64_t j = 0; j < 8; ++j) x[static_cast<size_t>(i * l + at[static_cast<size_t>(i)] + j)] += 0.5 + 0.1 * (j % 3);
  }
  const auto got = recursive_seqlets(x, n, l, {});
  std::vector<int> found(static_cast<size_t>(n), 0);
  int elsewhere = 0;
  for (const Seqlet& s : got) {
    const int64_t a = at[static_cast<size_t>(s.example)];
    const int64_t overlap = std::min(s.end, a + 8) - std::max(s.start, a);
    if (overlap >= 6) {
      ++found[static_cast<size_t>(s.example)];
      EXPECT_LE(s.end - s.start, 12);
    } else {
      ++elsewhere;
    }
    EXPECT_LT(s.p_value, 0.01);
  }
  for (int64_t i = 0; i < n; ++i) EXPECT_EQ(found[static_cast<size_t>(i)], 1) << "sequence " << i;
  EXPECT_LE(elsewhere, 3);
  for (size_t k = 1; k < got.size(); ++k) EXPECT_LE(got[k - 1].p_value, got[k].p_value);
  // A constant map has no seqlets; bad options are refused.
  EXPECT_TRUE(recursive_seqlets(std::vector<double>(50, 1.0), 1, 50, {}).empty());
  SeqletOptions bad;
  bad.max_seqlet_len = 2;
  EXPECT_EQ(error_of([&] { recursive_seqlets(x, n, l, bad); }), "seqlets: max_seqlet_len must be >= min_seqlet_len");
  EXPECT_EQ(error_of([&] { recursive_seqlets(x, n, l + 1, {}); }), "seqlets: the map has the wrong size");
}

TEST(SeqletPatterns, APlantedWordIsTheTopPatternOnBothStrands) {
  std::mt19937_64 rng(2);
  const std::string acgt = "ACGT";
  const auto random_dna = [&](size_t len) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s += acgt[rng() % 4];
    return s;
  };
  const auto rc = [](std::string s) {
    std::reverse(s.begin(), s.end());
    for (char& c : s) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
    return s;
  };
  std::vector<std::string> seqs;
  for (int i = 0; i < 40; ++i) {
    std::string motif = "TGTAAATA";
    if (i % 5 == 0) motif[4] = 'C';  // a variant, one substitution away
    const std::string s = random_dna(2 + rng() % 3) + motif + random_dna(2 + rng() % 3);
    seqs.push_back(i % 2 ? rc(s) : s);
  }
  for (int i = 0; i < 30; ++i) seqs.push_back(random_dna(10));
  PatternOptions o;
  o.both_strands = true;
  o.k = 6;
  const auto pats = seqlet_patterns(seqs, acgt, o);
  ASSERT_FALSE(pats.empty());
  const auto& top = pats[0];
  EXPECT_GE(top.members.size(), 40u);
  EXPECT_LE(top.members.size(), 44u);  // a few random 10-mers may hold a near-copy of the seed
  const bool fwd = top.consensus.find("TGTAAATA") != std::string::npos, rev = top.consensus.find(rc("TGTAAATA")) != std::string::npos;
  EXPECT_TRUE(fwd || rev) << top.consensus;
  EXPECT_EQ(top.matrix.nsites, static_cast<double>(top.members.size()));
  for (const auto& col : top.matrix.columns) {
    double s = 0;
    for (double v : col) s += v;
    EXPECT_NEAR(s, 1.0, 1e-12);
  }
  for (size_t p = 1; p < pats.size(); ++p) EXPECT_LE(pats[p].members.size(), pats[p - 1].members.size());
  // One strand, exact seeds: the reverse-complement copies no longer join the forward ones.
  o.both_strands = false;
  o.mismatches = 0;
  const auto one = seqlet_patterns(seqs, acgt, o);
  ASSERT_FALSE(one.empty());
  EXPECT_LE(one[0].members.size(), 24u);
  EXPECT_GE(one[0].members.size(), 16u);
  EXPECT_EQ(error_of([&] { seqlet_patterns(seqs, "ACDEFGHIKLMNPQRSTVWY", {}); }),
            "seqlet patterns: need a nucleotide alphabet (2 to 4 letters), got ACDEFGHIKLMNPQRSTVWY");
}
