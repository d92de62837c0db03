// Sequence logos of attribution maps: the strongest window against brute force, the drawing's
// geometry (letters above/below the zero line, the shaded window), and clear errors.
#include <random>

#include "seqnn/attribution/logo.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

bool is_white(Rgb c) { return c.r == 255 && c.g == 255 && c.b == 255; }

TEST(Logo, StrongestWindowIsTheBruteForceArgmax) {
  std::mt19937 rng(3);
  std::normal_distribution<float> n(0, 1);
  const std::string letters = "ACGT";
  for (int trial = 0; trial < 20; ++trial) {
    const int64_t L = 30 + trial;
    at::Tensor map = torch::empty({4, L});
    for (int64_t a = 0; a < 4; ++a) for (int64_t l = 0; l < L; ++l) map[a][l] = n(rng);
    std::string seq;
    for (int64_t l = 0; l < L; ++l) seq += letters[rng() % 4];
    for (const bool masked : {false, true}) {
      const int64_t k = 1 + trial % 9;
      double best = -1e300;
      int64_t best_start = -1;
      for (int64_t s = 0; s + k <= L; ++s) {
        double sum = 0;
        for (int64_t l = s; l < s + k; ++l) {
          for (int64_t a = 0; a < 4; ++a) {
            if (!masked || letters[a] == seq[l]) sum += map[a][l].item<double>();
          }
        }
        if (sum > best) { best = sum; best_start = s; }
      }
      EXPECT_EQ(strongest_window(map, letters, masked ? seq : "", k), best_start) << "trial " << trial << " masked " << masked;
    }
  }
}

TEST(Logo, PositiveLettersAboveTheLineNegativeBelowAndTheWindowShaded) {
  // 20 positions; position 5 has +1 on G, position 12 has -1 on A; the observed sequence masks
  // nothing at those positions.
  at::Tensor map = torch::zeros({4, 20});
  map[2][5] = 1.0;
  map[0][12] = -1.0;
  LogoOptions o;
  o.pixels_per_position = 10;
  o.plot_height = 100;
  o.highlight_length = 3;
  RgbImage img = render_logo(map, o);
  const int64_t left = 56, top = 8;  // the renderer's margins (no title)
  const int64_t zero = top + 50;     // equal positive and negative range
  auto column_has_ink = [&](int64_t pos, int64_t y0, int64_t y1) {
    for (int64_t y = y0; y < y1; ++y) {
      for (int64_t x = left + pos * 10; x < left + pos * 10 + 9; ++x) {
        const Rgb c = img.get(x, y);
        if (!is_white(c) && !(c.r == 232 && c.g == 232 && c.b == 232)) return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(column_has_ink(5, top, zero - 1)) << "the G at position 5 is drawn above the line";
  EXPECT_FALSE(column_has_ink(5, zero + 2, top + 100)) << "nothing of it below";
  EXPECT_TRUE(column_has_ink(12, zero + 2, top + 100)) << "the A at position 12 is drawn below the line";
  EXPECT_FALSE(column_has_ink(12, top, zero - 1));
  EXPECT_FALSE(column_has_ink(9, top, zero - 1) || column_has_ink(9, zero + 2, top + 100)) << "an all-zero position stays empty";
  const Rgb shade = img.get(left + 4 * 10 + 1, top + 2);  // the strongest 3-window starts at 3..5
  EXPECT_EQ(shade.r, 232) << "the strongest window is shaded";
}

TEST(Logo, MapsThatDoNotFitAreRefusedClearly) {
  at::Tensor map = torch::zeros({4, 10});
  LogoOptions o;
  o.letters = "ACGT";
  o.sequence = "ACGT";
  EXPECT_NE(test::error_of([&] { render_logo(map, o); }).find("4 letters but the map has 10 positions"), std::string::npos);
  o.sequence.clear();
  o.letters = "ACDEFGHIKLMNPQRSTVWY";
  EXPECT_NE(test::error_of([&] { render_logo(map, o); }).find("has 20"), std::string::npos);
}

TEST(Logo, CommandWritesAPngAndPrintsTheStrongestWindow) {
  test::TempDir dir;
  at::Tensor maps = torch::zeros({2, 4, 12});
  maps[1][3][6] = 2.0;  // record 1: U at position 7 (1-based)
  maps[1][1][7] = 1.0;  // C at 8
  save_npy(dir.file("a.npy"), maps);
  test::write_text(dir.file("s.fa"), ">r0\nAAAAAAAAAAAA\n>r1\nAAAAAAUCAAAA\n");
  auto r = test::run_cli("plot-logo --attributions " + dir.file("a.npy") + " --fasta " + dir.file("s.fa") +
                         " --record 1 --alphabet rna --motif-length 2 --out " + dir.file("logo.png"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("r1\t7\t8\tUC\t3"), std::string::npos) << r.output;
  EXPECT_EQ(test::read_text(dir.file("logo.png")).substr(1, 3), "PNG");
  r = test::run_cli("plot-logo --attributions " + dir.file("a.npy") + " --record 2 --out " + dir.file("x.png"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("has no record 2 (it holds 2)"), std::string::npos) << r.output;
  EXPECT_FALSE(test::exists(dir.file("x.png")));
}

}  // namespace
}  // namespace seqnn
