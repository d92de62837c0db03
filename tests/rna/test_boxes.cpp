#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <set>

#include "rna/rna_test_util.h"
#include "seqnn/rna/boxes.h"
#include "seqnn/rna/targets.h"

namespace seqnn::rna {
namespace {

using test::stem;
Box hloop(int64_t i, int64_t j) { return {BoxType::kHloop, i, j, j - i + 1, j - i + 1}; }
Box iloop(int64_t i, int64_t j, int64_t sx, int64_t sy) { return {BoxType::kIloop, i, j, sx, sy}; }

std::vector<Box> sorted(std::vector<Box> b) {
  std::sort(b.begin(), b.end());
  return b;
}

TEST(RnaBoxes, HairpinStem) {
  // ((((...)))): one stem of 4 pairs, a hairpin of 3 unpaired bases (size 3 + 2).
  auto d = decompose(Structure::from_dot_bracket("((((...))))"));
  EXPECT_EQ(d.boxes, sorted({stem(0, 10, 4), hloop(3, 7)}));
  EXPECT_TRUE(d.multiloops.empty());
}

TEST(RnaBoxes, InternalLoopAndBulge) {
  // Internal loop: unpaired 2..3 and 11..12 between (1, 13) and (4, 10): rows 1..4, columns 10..13.
  auto d = decompose(Structure::from_dot_bracket("((..((...))..))"));
  EXPECT_EQ(d.boxes, sorted({stem(0, 14, 2), stem(4, 10, 2), iloop(1, 13, 4, 4), hloop(5, 9)}));
  // Bulge: unpaired 2 between (1, 10) and (3, 9): rows 1..3, columns 9..10.
  d = decompose(Structure::from_dot_bracket("((.((...))))"));
  EXPECT_EQ(d.boxes, sorted({stem(0, 11, 2), stem(3, 9, 2), iloop(1, 10, 3, 2), hloop(4, 8)}));
  EXPECT_EQ(iloop(1, 10, 3, 2).bottom(), 3);  // rows 1..3
  EXPECT_EQ(iloop(1, 10, 3, 2).left(), 9);    // columns 9..10
}

TEST(RnaBoxes, MultiloopAndPseudoknotAreReportedNotBoxed) {
  auto d = decompose(Structure::from_dot_bracket("((...)(...))"));
  EXPECT_EQ(d.boxes, sorted({stem(0, 11, 1), stem(1, 5, 1), stem(6, 10, 1), hloop(1, 5), hloop(6, 10)}));
  ASSERT_EQ(d.multiloops.size(), 1u);
  EXPECT_EQ(d.multiloops[0].closing, (BasePair{0, 11}));
  EXPECT_EQ(d.multiloops[0].branches.size(), 2u);

  d = decompose(Structure::from_dot_bracket("((..[[..))..]]"));
  EXPECT_EQ(d.pseudoknot_pairs.size(), 2u);
  // The pseudoknotted bases count as unpaired for the nested layer: one hairpin (1, 8).
  EXPECT_EQ(d.boxes, sorted({stem(0, 9, 2), hloop(1, 8)}));
}

// Brute force: stems are exactly the nested pairs; loops from each pair's direct children.
TEST(RnaBoxes, BruteForceOnRandomStructures) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Structure s = Structure::from_dot_bracket(test::random_dot_bracket(60, seed));
    auto d = decompose(s);
    std::set<BasePair> from_stems;
    std::vector<Box> loops;
    for (const Box& b : d.boxes) {
      if (b.type != BoxType::kStem) loops.push_back(b);
      if (b.type != BoxType::kStem) continue;
      for (const auto& p : stem_pairs(b)) EXPECT_TRUE(from_stems.insert(p).second) << "pair in two stems";
    }
    const auto pairs = s.pairs();
    EXPECT_EQ(from_stems, std::set<BasePair>(pairs.begin(), pairs.end())) << "seed " << seed;
    std::vector<Box> expect;
    size_t multi = 0;
    for (const auto& p : pairs) {
      std::vector<BasePair> children;  // pairs inside p and inside no other pair inside p
      for (const auto& q : pairs) {
        if (!(p.i < q.i && q.j < p.j)) continue;
        bool direct = true;
        for (const auto& r : pairs) direct = direct && !(p.i < r.i && r.j < p.j && r.i < q.i && q.j < r.j);
        if (direct) children.push_back(q);
      }
      if (children.empty()) expect.push_back(hloop(p.i, p.j));
      if (children.size() == 1 && !(children[0].i == p.i + 1 && children[0].j == p.j - 1)) {
        expect.push_back(iloop(p.i, p.j, children[0].i - p.i + 1, p.j - children[0].j + 1));
      }
      if (children.size() >= 2) ++multi;
    }
    EXPECT_EQ(sorted(loops), sorted(expect)) << "seed " << seed;
    EXPECT_EQ(d.multiloops.size(), multi);
  }
}

TEST(RnaTargets, HandWorkedPixels) {
  auto t = make_targets(11, decompose(Structure::from_dot_bracket("((((...))))")).boxes);
  const int64_t S = 0, H = 2;
  EXPECT_EQ(t.on[S][0][10].item<float>(), 1.0f);
  EXPECT_EQ(t.loc_x[S][3][7].item<int64_t>(), 3);
  EXPECT_EQ(t.loc_y[S][3][7].item<int64_t>(), 3);
  EXPECT_EQ(t.size_x_cls[S][1][9].item<int64_t>(), 3);  // width 4 -> class 3
  EXPECT_EQ(t.size_x[S][1][9].item<float>(), 4.0f);
  EXPECT_EQ(t.on[S][4][6].item<float>(), 0.0f);
  EXPECT_EQ(t.on[H][4][6].item<float>(), 1.0f);
  EXPECT_EQ(t.loc_x[H][4][6].item<int64_t>(), 1);
  EXPECT_EQ(t.loc_y[H][3][4].item<int64_t>(), 3);
  EXPECT_EQ(t.size_x[H][3][4].item<float>(), 5.0f);
  EXPECT_FALSE(t.inside[H][5][5].item<bool>());  // diagonal: not scored
  EXPECT_FALSE(t.inside[H][6][4].item<bool>());  // lower triangle
  EXPECT_TRUE(t.on_mask[S][0][1].item<bool>());
  EXPECT_FALSE(t.on_mask[S][1][0].item<bool>());
  EXPECT_EQ(t.on_mask.sum().item<int64_t>(), 3 * 55);  // 11 x 11 upper triangle, all near a box
}

TEST(RnaTargets, SharedCornerGoesToTheInnerLoop) {
  // Two internal loops share the closing pair (2, 15): pixel (2, 15) is the inner loop's corner.
  auto boxes = decompose(Structure::from_dot_bracket("(.(.(((....))).).)")).boxes;
  ASSERT_EQ(std::count_if(boxes.begin(), boxes.end(), [](const Box& b) { return b.type == BoxType::kIloop; }), 2);
  auto t = make_targets(18, boxes);
  EXPECT_EQ(t.loc_x[1][2][15].item<int64_t>(), 0);
  EXPECT_EQ(t.loc_y[1][2][15].item<int64_t>(), 0);
  EXPECT_EQ(t.size_x[1][2][15].item<float>(), 3.0f);
}

// Brute force over pixels: membership, nearest-corner owner, offsets, masks.
TEST(RnaTargets, BruteForceOnRandomStructures) {
  const int64_t L = 70;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    auto boxes = decompose(Structure::from_dot_bracket(test::random_dot_bracket(L, 1000 + seed))).boxes;
    auto t = make_targets(L, boxes);
    auto on = t.on.accessor<float, 3>();
    auto mask = t.on_mask.accessor<bool, 3>();
    auto lx = t.loc_x.accessor<int64_t, 3>();
    auto ly = t.loc_y.accessor<int64_t, 3>();
    auto sy = t.size_y.accessor<float, 3>();
    for (int64_t r = 0; r < L; ++r) {
      for (int64_t c = 0; c < L; ++c) {
        bool near = false;
        for (const Box& b : boxes) {
          const int64_t dr = std::max({b.i - r, r - b.bottom(), int64_t{0}});
          const int64_t dc = std::max({b.left() - c, c - b.j, int64_t{0}});
          near = near || (dr <= 10 && dc <= 10);
        }
        EXPECT_EQ(mask[0][r][c], near && r < c);
        for (int k = 0; k < 3; ++k) {
          const Box* best = nullptr;
          for (const Box& b : boxes) {
            if (static_cast<int>(b.type) != k || !b.contains(r, c) || r >= c) continue;
            const int64_t d = (r - b.i) + (b.j - c);
            if (!best || d < (r - best->i) + (best->j - c)) best = &b;
          }
          ASSERT_EQ(on[k][r][c], best ? 1.0f : 0.0f) << r << "," << c;
          if (!best) continue;
          EXPECT_EQ(lx[k][r][c], std::min<int64_t>(r - best->i, 11));
          EXPECT_EQ(ly[k][r][c], std::min<int64_t>(best->j - c, 11));
          EXPECT_EQ(sy[k][r][c], static_cast<float>(best->size_y));
        }
      }
    }
  }
}

TEST(RnaTargets, PairInputChannels) {
  at::Tensor x = pair_input("ACGUN");
  ASSERT_EQ(x.sizes(), (at::IntArrayRef{8, 5, 5}));
  EXPECT_EQ(x[0][0][3].item<float>(), 1.0f);  // row base A
  EXPECT_EQ(x[7][0][3].item<float>(), 1.0f);  // column base U
  EXPECT_EQ(x.index({torch::indexing::Slice(), 4, 4}).sum().item<float>(), 0.0f);  // N
}

}  // namespace
}  // namespace seqnn::rna
