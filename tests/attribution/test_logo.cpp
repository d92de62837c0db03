// Sequence logos of attribution maps: the strongest window against brute force, the drawing's
// geometry (letters above/below the zero line, the shaded window), and clear errors.
#include <cmath>
#include <cstdio>
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

// Every letter element of an SVG logo: its letter, value and the box it is stretched over.
struct SvgLetter {
  char letter;
  double value, x, top, width, height;
};

std::vector<SvgLetter> svg_letters(const std::string& svg) {
  std::vector<SvgLetter> out;
  for (size_t at = svg.find("class=\"letter\""); at != std::string::npos; at = svg.find("class=\"letter\"", at + 1)) {
    const size_t end = svg.find('>', at);
    const std::string e = svg.substr(at, end - at);
    auto attr = [&](const std::string& name) {
      const size_t k = e.find(name + "=\"") + name.size() + 2;
      return e.substr(k, e.find('"', k) - k);
    };
    SvgLetter l{};
    l.letter = attr("data-letter")[0];
    l.value = std::stod(attr("data-value"));
    const std::string t = attr("transform");  // translate(x y) scale(w h)
    std::sscanf(t.c_str(), "translate(%lf %lf) scale(%lf %lf)", &l.x, &l.top, &l.width, &l.height);
    out.push_back(l);
  }
  return out;
}

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(LogoSvg, LetterHeightsAreTheValuesOnTheAxisScale) {
  // Position 2: +0.6 G, +0.2 A (G outermost); position 5: -0.4 U. Range 0.8 up, 0.4 down.
  at::Tensor map = torch::zeros({4, 8});
  map[2][2] = 0.6;
  map[0][2] = 0.2;
  map[3][5] = -0.4;
  LogoOptions o;
  o.letters = "ACGU";
  o.plot_height = 120;
  o.pixels_per_position = 10;
  o.title = "a <title> & more";
  o.y_label = "attribution";
  const std::string svg = render_logo_svg(map, o);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(count_of(svg, "<g"), count_of(svg, "</g>"));
  EXPECT_NE(svg.find("a &lt;title&gt; &amp; more"), std::string::npos);
  EXPECT_NE(svg.find(">attribution</text>"), std::string::npos);
  const auto letters = svg_letters(svg);
  ASSERT_EQ(letters.size(), 3u);
  const double scale = 120.0 / 1.2, top = 22, zero = top + 0.8 * scale;  // title: 22 pixels above the plot
  for (const SvgLetter& l : letters) {
    EXPECT_NEAR(l.height, std::abs(l.value) * scale, 1e-2) << l.letter;
    EXPECT_NEAR(l.width, 9, 1e-9);
  }
  EXPECT_EQ(letters[0].letter, 'A');  // the smaller letter next to the line
  EXPECT_NEAR(letters[0].top + letters[0].height, zero, 1e-2);
  EXPECT_EQ(letters[1].letter, 'G');
  EXPECT_NEAR(letters[1].top + letters[1].height, letters[0].top, 1e-2);
  EXPECT_EQ(letters[2].letter, 'U');
  EXPECT_NEAR(letters[2].top, zero, 1e-2);  // below the line
  EXPECT_NEAR(letters[2].x, 56 + 5 * 10, 1e-9);
  // Letters without a vector glyph are text, stretched the same way.
  at::Tensor protein = torch::zeros({20, 3});
  protein[10][1] = 1.0;  // M
  LogoOptions p;
  p.letters = "ACDEFGHIKLMNPQRSTVWY";
  const std::string psvg = render_logo_svg(protein, p);
  EXPECT_NE(psvg.find("data-letter=\"M\""), std::string::npos);
  EXPECT_NE(psvg.find(">M</text>"), std::string::npos);
}

TEST(LogoSvg, InformationContentIsTwoBitsMinusTheEntropy) {
  const at::Tensor ic = information_content_map({{1, 0, 0, 0}, {0.25, 0.25, 0.25, 0.25}, {0.5, 0, 0.5, 0}, {0.7, 0.1, 0.1, 0.1}});
  EXPECT_NEAR(ic[0][0].item<double>(), 2.0, 1e-12);
  EXPECT_NEAR(ic.select(1, 1).sum().item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(ic[0][2].item<double>(), 0.5, 1e-12);
  EXPECT_NEAR(ic[2][2].item<double>(), 0.5, 1e-12);
  const double h = -(0.7 * std::log2(0.7) + 3 * 0.1 * std::log2(0.1));
  EXPECT_NEAR(ic.select(1, 3).sum().item<double>(), 2 - h, 1e-12);
  EXPECT_NEAR(ic[0][3].item<double>(), 0.7 * (2 - h), 1e-12);
}

TEST(LogoSvg, ReportGridLinesUpItsColumns) {
  at::Tensor a = torch::rand({4, 6}), b = torch::rand({4, 12});
  LogoOptions o;
  o.title = "a rather long title for a short logo";
  const std::string svg = render_logo_grid_svg({{{a, o}, {b, LogoOptions()}}, {{b, LogoOptions()}, {a, LogoOptions()}}}, "report");
  // Second column at the widest first panel plus the gap, in both rows.
  std::vector<double> xs;
  for (size_t at = svg.find("<g transform=\"translate("); at != std::string::npos; at = svg.find("<g transform=\"translate(", at + 1)) {
    xs.push_back(std::stod(svg.substr(at + 24)));
  }
  ASSERT_EQ(xs.size(), 4u);
  EXPECT_EQ(xs[0], 0);
  EXPECT_EQ(xs[2], 0);
  EXPECT_EQ(xs[1], xs[3]);
  EXPECT_GE(xs[1], 56 + 6.5 * static_cast<double>(o.title.size()));
  EXPECT_EQ(static_cast<int>(svg_letters(svg).size()), 4 * (6 + 12 + 12 + 6));
}

TEST(Logo, CommandDrawsAMemeMotifAndWritesSvg) {
  test::TempDir dir;
  const std::string meme = test::fixture("motifs/rbp_iupac.meme");
  auto r = test::run_cli("plot-logo --motif " + meme + ":PUM --out " + dir.file("pum.svg"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string svg = test::read_text(dir.file("pum.svg"));
  const auto letters = svg_letters(svg);
  // UGUAHAUA: the fixed letters carry 2 bits each; H (A, C or U) log2(4/3) over three letters.
  ASSERT_GE(letters.size(), 7u + 3u);
  EXPECT_EQ(letters[0].letter, 'U');
  EXPECT_NEAR(letters[0].value, 2.0, 1e-3);
  EXPECT_NE(svg.find(">bits</text>"), std::string::npos);
  EXPECT_NE(svg.find("PUM UGUAHAUA"), std::string::npos);
  r = test::run_cli("plot-logo --motif " + meme + ":PUM --out " + dir.file("pum.png"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::read_text(dir.file("pum.png")).substr(1, 3), "PNG");
  r = test::run_cli("plot-logo --motif " + meme + ":PUM --motif " + meme + ":QKI --out " + dir.file("two.svg"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string two = test::read_text(dir.file("two.svg"));
  EXPECT_NE(two.find("PUM UGUAHAUA"), std::string::npos);
  EXPECT_NE(two.find("QKI ACUAAY"), std::string::npos);
  r = test::run_cli("plot-logo --motif " + meme + ":PUM --motif " + meme + ":QKI --out " + dir.file("x.png"));
  EXPECT_NE(r.output.find("several motifs are drawn into an .svg output"), std::string::npos) << r.output;
  r = test::run_cli("plot-logo --motif " + meme + ":NOSUCH --out " + dir.file("x.svg"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("has no motif with id or name 'NOSUCH'"), std::string::npos) << r.output;
  r = test::run_cli("plot-logo --out " + dir.file("x.svg"));
  EXPECT_NE(r.output.find("give --attributions or --motif"), std::string::npos) << r.output;
  EXPECT_FALSE(test::exists(dir.file("x.svg")));
  EXPECT_FALSE(test::exists(dir.file("x.png")));
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
