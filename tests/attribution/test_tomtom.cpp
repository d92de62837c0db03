// MEME motif files (reading, writing, errors naming file:line) and the TOMTOM comparison: its
// p-values against a brute-force enumeration of the null it defines, a motif matching itself.
#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "seqnn/attribution/meme.h"
#include "seqnn/attribution/tomtom.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;

namespace {

const char* kMemeText =
    "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies (from uniform background):\n"
    "A 0.30000 C 0.20000 G 0.20000 T 0.30000\n\n"
    "MOTIF M1 first\nletter-probability matrix: alength= 4 w= 2 nsites= 7 E= 1e-3\n 0.1 0.2 0.3 0.4\n 1 0 0 0\nURL http://x\n\n"
    "MOTIF M2\nletter-probability matrix: alength= 4 w= 1\n 0.25 0.25 0.25 0.25\n";

std::string meme_with(const std::string& matrix_lines) {
  return "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF X\n" + matrix_lines;
}

Motif random_motif(std::mt19937_64& rng, int64_t width, const std::string& id) {
  Motif m;
  m.id = id;
  std::gamma_distribution<double> g(0.3, 1.0);  // peaked columns, like real motifs
  for (int64_t i = 0; i < width; ++i) {
    std::vector<double> c(4);
    double s = 0;
    for (double& v : c) s += (v = g(rng) + 1e-3);
    for (double& v : c) v /= s;
    m.columns.push_back(c);
  }
  return m;
}

// The brute-force reference: TOMTOM's integer column scores computed here from the definition,
// then P(max over alignments and strands >= observed best) by enumerating every assignment of
// database columns to the aligned query columns of every (alignment, strand).
struct BruteForce {
  double p = 1;
  int64_t score = 0, offset = 0, overlap = 0;
  bool reverse = false;
};

BruteForce brute_force_tomtom(const Motif& q, const std::vector<Motif>& targets, size_t which, bool both, ColumnScore cs) {
  std::vector<Motif> db = targets;
  if (both) {
    for (const Motif& t : targets) {
      Motif rc = t;
      std::reverse(rc.columns.begin(), rc.columns.end());
      for (auto& c : rc.columns) std::reverse(c.begin(), c.end());
      db.push_back(rc);
    }
  }
  std::vector<std::vector<double>> cols;
  std::vector<size_t> first;
  for (const Motif& t : db) {
    first.push_back(cols.size());
    for (const auto& c : t.columns) cols.push_back(c);
  }
  const int64_t w = q.width();
  const size_t nc = cols.size();
  std::vector<std::vector<double>> s(static_cast<size_t>(w), std::vector<double>(nc));
  double lo = 1e300, hi = -1e300;
  for (int64_t i = 0; i < w; ++i) {
    for (size_t c = 0; c < nc; ++c) {
      const auto& a = q.columns[static_cast<size_t>(i)];
      const auto& b = cols[c];
      double v;
      if (cs == ColumnScore::euclidean) {
        double d = 0;
        for (int k = 0; k < 4; ++k) d += (a[k] - b[k]) * (a[k] - b[k]);
        v = -std::sqrt(d);
      } else {
        const double ma = (a[0] + a[1] + a[2] + a[3]) / 4, mb = (b[0] + b[1] + b[2] + b[3]) / 4;
        double sab = 0, saa = 0, sbb = 0;
        for (int k = 0; k < 4; ++k) {
          sab += (a[k] - ma) * (b[k] - mb);
          saa += (a[k] - ma) * (a[k] - ma);
          sbb += (b[k] - mb) * (b[k] - mb);
        }
        v = sab / std::sqrt(saa * sbb);
      }
      s[static_cast<size_t>(i)][c] = v;
    }
    std::vector<double> sorted = s[static_cast<size_t>(i)];
    std::sort(sorted.begin(), sorted.end());
    const double median = (sorted[static_cast<size_t>(std::floor(0.5 * static_cast<double>(nc))) - 1] +
                           sorted[static_cast<size_t>(std::ceil(0.5 * static_cast<double>(nc))) - 1]) / 2;
    for (double& v : s[static_cast<size_t>(i)]) {
      v -= median;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  const double scale = std::floor(100.0 / (hi - lo));
  std::vector<std::vector<int64_t>> t(static_cast<size_t>(w), std::vector<int64_t>(nc));
  for (int64_t i = 0; i < w; ++i) {
    for (size_t c = 0; c < nc; ++c) t[static_cast<size_t>(i)][c] = std::llround((s[static_cast<size_t>(i)][c] - lo) * scale);
  }
  const int64_t z = std::llround(-lo * scale);
  // Observed best alignment of target `which`.
  BruteForce r;
  bool have = false;
  const int64_t n = targets[which].width();
  for (int strand = 0; strand < (both ? 2 : 1); ++strand) {
    const size_t si = which + static_cast<size_t>(strand) * targets.size();
    for (int64_t off = -(w - 1); off < n; ++off) {
      int64_t score = 0, overlap = 0;
      for (int64_t i = 0; i < w; ++i) {
        if (i + off >= 0 && i + off < n) {
          score += t[static_cast<size_t>(i)][first[si] + static_cast<size_t>(i + off)];
          ++overlap;
        } else {
          score += z;
        }
      }
      if (!have || score > r.score || (score == r.score && overlap > r.overlap)) {
        r = {1, score, off, overlap, strand == 1};
        have = true;
      }
    }
  }
  // Every (alignment, strand) draws its aligned query columns' database columns independently.
  std::vector<int64_t> draws;  // query column of each draw
  std::vector<int64_t> base;   // per alignment: z x unaligned columns
  std::vector<std::pair<size_t, size_t>> range;  // per alignment: its draws
  for (int strand = 0; strand < (both ? 2 : 1); ++strand) {
    for (int64_t off = -(w - 1); off < n; ++off) {
      const size_t from = draws.size();
      int64_t unaligned = 0;
      for (int64_t i = 0; i < w; ++i) {
        if (i + off >= 0 && i + off < n) {
          draws.push_back(i);
        } else {
          ++unaligned;
        }
      }
      range.emplace_back(from, draws.size());
      base.push_back(unaligned * z);
    }
  }
  std::vector<size_t> pick(draws.size(), 0);
  int64_t hits = 0, total = 0;
  while (true) {
    int64_t mx = -1;
    for (size_t a = 0; a < range.size(); ++a) {
      int64_t v = base[a];
      for (size_t d = range[a].first; d < range[a].second; ++d) v += t[static_cast<size_t>(draws[d])][pick[d]];
      mx = std::max(mx, v);
    }
    hits += mx >= r.score;
    ++total;
    size_t d = 0;
    while (d < pick.size() && ++pick[d] == nc) pick[d++] = 0;
    if (d == pick.size()) break;
  }
  r.p = static_cast<double>(hits) / static_cast<double>(total);
  return r;
}

}  // namespace

TEST(MemeFile, ReadsTheMinimalFormatAndWritesItBack) {
  const MotifFile f = parse_meme(kMemeText, "x.meme");
  EXPECT_EQ(f.letters, "ACGT");
  EXPECT_EQ(f.strands, "+ -");
  EXPECT_EQ(f.background, (std::vector<double>{0.3, 0.2, 0.2, 0.3}));
  ASSERT_EQ(f.motifs.size(), 2u);
  EXPECT_EQ(f.motifs[0].id, "M1");
  EXPECT_EQ(f.motifs[0].name, "first");
  EXPECT_EQ(f.motifs[0].line, 10);
  EXPECT_EQ(f.motifs[0].nsites, 7);
  EXPECT_EQ(f.motifs[0].evalue, "1e-3");
  EXPECT_EQ(f.motifs[0].url, "http://x");
  EXPECT_EQ(f.motifs[0].columns, (std::vector<std::vector<double>>{{0.1, 0.2, 0.3, 0.4}, {1, 0, 0, 0}}));
  EXPECT_EQ(f.motifs[1].width(), 1);
  EXPECT_EQ(motif_consensus(f.motifs[0], f.letters), "TA");
  const MotifFile back = parse_meme(format_meme(f), "y.meme");
  ASSERT_EQ(back.motifs.size(), 2u);
  EXPECT_EQ(back.motifs[0].columns, f.motifs[0].columns);
  EXPECT_EQ(back.motifs[0].name, "first");
  EXPECT_EQ(back.background, f.background);
  // Without w= the matrix ends at the first line that is not a row; no background: uniform.
  const MotifFile no_w = parse_meme("MEME version 5\nMOTIF A\nletter-probability matrix:\n0 1 0 0\n0 0 1 0\n\nMOTIF B\n"
                                    "letter-probability matrix: alength= 4\n1 0 0 0\n",
                                    "z.meme");
  EXPECT_EQ(no_w.motifs[0].width(), 2);
  EXPECT_EQ(no_w.motifs[1].width(), 1);
  EXPECT_EQ(no_w.background, (std::vector<double>{0.25, 0.25, 0.25, 0.25}));
  EXPECT_EQ(parse_meme("MEME version 4\nALPHABET= ACGU\nMOTIF R\nletter-probability matrix:\n0 0 0 1\n", "r.meme").letters, "ACGU");
}

TEST(MemeFile, BadInputNamesFileAndLine) {
  const auto err = [](const std::string& text) { return error_of([&] { parse_meme(text, "m.meme"); }); };
  EXPECT_EQ(err("hello\n"), "m.meme:1: not a MEME motif file: the first line is not 'MEME version N'");
  EXPECT_EQ(err(""), "m.meme: empty motif file (expected 'MEME version 4')");
  // Found by fuzzing: a background read before ALPHABET= named other letters than the motifs'.
  EXPECT_EQ(err("MEME version 4\n\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n\n"
                "MOTIF X\nletter-probability matrix: alength= 20 w= 1\n0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 "
                "0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05\n"),
            "m.meme: the background frequencies are for another alphabet than ALPHABET= ACDEFGHIKLMNPQRSTVWY");
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 4 w= 2\n0.5 0.5 0 0\n0.5 0.5\n")),
            "m.meme:8: motif X: matrix row has 2 values, expected 4 (alength)");
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 4 w= 1\n0.5 0.5 x 0\n")), "m.meme:7: motif X: 'x' is not a probability");
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 4 w= 1\n0.5 0.6 0 0\n")), "m.meme:7: motif X: matrix row sums to 1.1, not 1");
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 4 w= 3\n0.5 0.5 0 0\n0.5 0.5 0 0\n\nURL u\n")),
            "m.meme:8: motif X: w= 3 but 2 matrix rows");
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 20 w= 1\n")),
            "m.meme:6: motif X: alength= 20 but the alphabet ACGT has 4 letters");
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 4 w= 1\n1 0 0 0\nMOTIF X\nletter-probability matrix:\n1 0 0 0\n")),
            "m.meme:8: duplicate motif id X");
  EXPECT_EQ(err(meme_with("URL none\n")), "m.meme:5: motif X has no letter-probability matrix");
  EXPECT_EQ(err("MEME version 5\nALPHABET \"DNA\" DNA-LIKE\nA\nEND ALPHABET\n"),
            "m.meme:2: custom alphabet definitions (ALPHABET ... END ALPHABET) are not supported; use 'ALPHABET= ACGT'");
  EXPECT_EQ(err("MEME version 4\n\nBackground letter frequencies\nA 0.3 C 0.2 G x T 0.3\n"),
            "m.meme:4: background: frequency 'x' of G is not a probability");
  EXPECT_EQ(err("MEME version 4\n"), "m.meme: no MOTIF in the file");
  // Found by the meme fuzz target: a width beyond int64 was cast (undefined behaviour).
  EXPECT_EQ(err(meme_with("letter-probability matrix: alength= 4 w= 9e19\n")), "m.meme:6: motif X: w= 9e19 is not a width");
  EXPECT_EQ(err(std::string("MEME version 4\nALPHABET= \x1e\0\0\0\n", 30)), "m.meme:2: ALPHABET= letters must be distinct printable characters");
  EXPECT_EQ(error_of([] { read_meme("/nonexistent/a.meme"); }).substr(0, 19), "/nonexistent/a.meme");
}

TEST(Tomtom, BenjaminiHochbergByHand) {
  const auto q = benjamini_hochberg({0.01, 0.04, 0.03, 0.2});
  ASSERT_EQ(q.size(), 4u);
  EXPECT_NEAR(q[0], 0.04, 1e-12);
  EXPECT_NEAR(q[1], 0.04 * 4 / 3, 1e-12);
  EXPECT_NEAR(q[2], 0.04 * 4 / 3, 1e-12);
  EXPECT_NEAR(q[3], 0.2, 1e-12);
}

TEST(Tomtom, PValuesEqualABruteForceEnumerationOfTheNull) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 3; ++trial) {
    const Motif q = random_motif(rng, 2, "q");
    const std::vector<Motif> targets = {random_motif(rng, 2, "t1"), random_motif(rng, 1, "t2")};
    for (bool both : {false, true}) {
      for (ColumnScore cs : {ColumnScore::pearson, ColumnScore::euclidean}) {
        TomtomOptions o;
        o.both_strands = both;
        o.score = cs;
        const auto got = tomtom(q, targets, o);
        ASSERT_EQ(got.size(), 2u);
        for (size_t ti = 0; ti < targets.size(); ++ti) {
          const BruteForce ref = brute_force_tomtom(q, targets, ti, both, cs);
          SCOPED_TRACE("trial " + std::to_string(trial) + " target " + std::to_string(ti) + (both ? " both" : " one") + " strand(s)");
          EXPECT_EQ(got[ti].score, ref.score);
          EXPECT_EQ(got[ti].offset, ref.offset);
          EXPECT_EQ(got[ti].overlap, ref.overlap);
          EXPECT_EQ(got[ti].reverse, ref.reverse);
          EXPECT_NEAR(got[ti].p_value, ref.p, 1e-12);
          EXPECT_NEAR(got[ti].e_value, ref.p * 2, 1e-12);
          EXPECT_GT(ref.p, 0.0);
        }
      }
    }
  }
}

TEST(Tomtom, AMotifMatchesItselfBest) {
  std::mt19937_64 rng(5);
  std::vector<Motif> db;
  for (int i = 0; i < 40; ++i) db.push_back(random_motif(rng, 6 + i % 9, "m" + std::to_string(i)));
  const auto best_of = [](const std::vector<TomtomMatch>& all) {
    return *std::min_element(all.begin(), all.end(), [](const TomtomMatch& a, const TomtomMatch& b) { return a.p_value < b.p_value; });
  };
  for (int which : {0, 7, 23}) {
    const Motif& m = db[static_cast<size_t>(which)];
    TomtomMatch b = best_of(tomtom(m, db, {}));
    EXPECT_EQ(b.target, which);
    EXPECT_FALSE(b.reverse);
    EXPECT_EQ(b.offset, 0);
    EXPECT_EQ(b.overlap, m.width());
    EXPECT_LT(b.p_value, 1e-4);
    EXPECT_LT(b.q_value, 0.01);
    // Its reverse complement matches it on the other strand; a piece of it, at its offset.
    b = best_of(tomtom(reverse_complement(m), db, {}));
    EXPECT_EQ(b.target, which);
    EXPECT_TRUE(b.reverse);
    EXPECT_EQ(b.offset, 0);
    Motif piece = m;
    piece.columns.assign(m.columns.begin() + 1, m.columns.begin() + 5);
    b = best_of(tomtom(piece, db, {}));
    EXPECT_EQ(b.target, which);
    EXPECT_EQ(b.offset, 1);
    EXPECT_EQ(b.overlap, 4);
    // One strand only: the reverse complement no longer finds it on the other strand.
    TomtomOptions one;
    one.both_strands = false;
    EXPECT_FALSE(best_of(tomtom(m, db, one)).reverse);
  }
  EXPECT_EQ(error_of([&] { tomtom(db[0], {}, {}); }), "tomtom: no target motifs");
  Motif three = db[0];
  for (auto& c : three.columns) c.resize(3);
  EXPECT_EQ(error_of([&] { tomtom(three, db, {}); }), "tomtom: motif m0 has 4 letters, the query m0 has 3");
}

TEST(Tomtom, JasparMotifsMatchThemselves) {
  const std::string path = seqnn::test::shared_data("motifs/jaspar2024_consensus.meme");
  SKIP_WITHOUT_SHARED_DATA(path);
  const MotifFile f = read_meme(path);
  ASSERT_EQ(f.motifs.size(), 182u);
  for (size_t i = 0; i < f.motifs.size(); i += 20) {
    const auto all = tomtom(f.motifs[i], f.motifs, {});
    const auto best = std::min_element(all.begin(), all.end(), [](const TomtomMatch& a, const TomtomMatch& b) {
      return a.p_value < b.p_value || (a.p_value == b.p_value && a.score > b.score);
    });
    EXPECT_EQ(f.motifs[static_cast<size_t>(best->target)].id, f.motifs[i].id);
    EXPECT_EQ(best->offset, 0);
  }
}
