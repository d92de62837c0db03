// The energy model: hand-checked loop energies (each derived from the Turner 2004 tables in
// src/rna/fold/turner2004_params.inc, derivation in the comment; dcal/mol), the parameter
// tables' symmetries (a check on the transcription), input rules, and RNAfold 2.7.1's own
// structures for ArchiveII: our energy of THEIR structure must equal their printed energy.
#include <gtest/gtest.h>

#include "rna/fold_test_util.h"
#include "seqnn/rna/fold/eval.h"
#include "test_helpers.h"

namespace seqnn::rna::fold {
namespace {

struct HandCase {
  const char* sequence;
  const char* structure;
  int energy;          // total
  int loop;            // the loop under test
  LoopKind kind;
};

int loop_energy(const EnergyEvaluation& e, LoopKind kind) {
  for (const auto& l : e.loops) {
    if (l.kind == kind) return l.energy;
  }
  return kInf;
}

TEST(FoldEnergy, HandCheckedLoops) {
  const HandCase cases[] = {
      // stacks GC/CG -330 twice; triloop-sized hairpin G-C: hairpin[3] 540 (no AU penalty); RNAfold: -1.20
      {"GGGAAACCC", "(((...)))", -120, -330, LoopKind::stack},
      // tetraloop CUUCGG: table value 370 replaces size + mismatch; stack GC..GC -340
      {"GCUUCGGC", "((....))", 30, 370, LoopKind::hairpin},
      // triloop CAACG: 680; stack -340
      {"GCAACGC", "((...))", 340, 680, LoopKind::hairpin},
      // hexaloop ACAGUGCU: 290; stack GC..UA -240
      {"GACAGUGCUC", "((......))", 50, 290, LoopKind::hairpin},
      // generic hairpin of 6: hairpin[6] 540 + mismatchH[GC][A][A] -110
      {"GAAAAAAC", "(......)", 430, 430, LoopKind::hairpin},
      // all-C loop: no extra term in the model (as RNAfold): hairpin[4] 560 + mismatchH[GC][C][C] -70
      {"GCCCCC", "(....)", 490, 490, LoopKind::hairpin},
      // hairpin of 35: hairpin[30] 770 + (int)(107.856 ln(35/30)) 16 + mismatchH[GC][A][A] -110
      {"GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC", "(...................................)", 676, 676, LoopKind::hairpin},
      // bulge of 1: bulge[1] 380 + stack[GC][CG] -330
      {"GAGGAAACCC", "(.((...)))", 260, 50, LoopKind::bulge},
      // bulge of 3: bulge[3] 320 + terminal AU 50 (A-U side); exterior A-U: terminal AU 50
      {"AAAAGGAAACCU", "(...((...)))", 630, 370, LoopKind::bulge},
      // 1x1: int11[GC][CG][A][A] 90
      {"GAGGAAACCAC", "(.((...)).)", 300, 90, LoopKind::interior},
      // 1x2: int21[GC][CG][A][A][A] 250
      {"GAGGAAACCAAC", "(.((...))..)", 460, 250, LoopKind::interior},
      // 2x2: int22[GC][CG][A][A][A][A] 130
      {"GAAGGAAACCAAC", "(..((...))..)", 340, 130, LoopKind::interior},
      // 2x3: interior[5] 200 + ninio 60 + mismatch23I[GC][A][A] 0 + mismatch23I[CG][A][A] 0
      {"GAAGGAAACCAAAC", "(..((...))...)", 470, 260, LoopKind::interior},
      // 1x3: interior[4] 110 + ninio min(300, 2*60) 120 + mismatch1nI 0 + 0
      {"GAGGAAACCAAAC", "(.((...))...)", 440, 230, LoopKind::interior},
      // 2x4 generic: interior[6] 200 + ninio 120 + mismatchI[GC][A][G] -80 + mismatchI[CG][A][A] 0
      {"GAAGGAAACCAAAGC", "(..((...))....)", 450, 240, LoopKind::interior},
      // multiloop (d2): closing 930 + intern -90 + mismatchM of C-G read inside [G2..A17] -160;
      // branches: -90 + mismatchM (A9 / G1 around G2-C8) -140, -90 + (A9, A17 around G10-C16) -150
      {"GGGAAACCAGGAAACCAC", "(((...)).((...)).)", 630, 210, LoopKind::multi},
      // exterior d2: mismatch of G2-C10 with A1 and A11: -150
      {"AGGGAAACCCA", ".(((...))).", -270, -150, LoopKind::exterior},
      // 3' dangle only (A after C9): -170
      {"GGGAAACCCA", "(((...))).", -290, -170, LoopKind::exterior},
      // 5' dangle only (A before G2): -20
      {"AGGGAAACCC", ".(((...)))", -140, -20, LoopKind::exterior},
  };
  for (const auto& c : cases) {
    const EnergyEvaluation e = evaluate_structure(c.sequence, c.structure);
    EXPECT_EQ(e.energy, c.energy) << c.sequence << " " << c.structure;
    EXPECT_EQ(loop_energy(e, c.kind), c.loop) << c.sequence << " " << c.structure << " " << loop_kind_name(c.kind);
  }
}

TEST(FoldEnergy, TablesSymmetricAsTranscribed) {
  const EnergyParams& p = turner2004();
  for (int a = 1; a <= 7; ++a) {
    for (int b = 1; b <= 7; ++b) {
      EXPECT_EQ(p.stack[a][b], p.stack[b][a]);
      for (int x = 0; x < 5; ++x) {
        for (int y = 0; y < 5; ++y) ASSERT_EQ(p.int11[a][b][x][y], p.int11[b][a][y][x]) << a << b << x << y;
      }
    }
  }
  for (int a = 1; a <= 6; ++a) {
    for (int b = 1; b <= 6; ++b) {
      for (int k = 0; k < 625; ++k) {
        const int w = k / 125, x = (k / 25) % 5, y = (k / 5) % 5, z = k % 5;
        ASSERT_EQ(p.int22[a][b][w][x][y][z], p.int22[b][a][y][z][w][x]) << a << b << w << x << y << z;
      }
    }
  }
  EXPECT_EQ(p.ml_closing, 930);
  EXPECT_EQ(p.ml_intern, -90);
  EXPECT_EQ(p.terminal_au, 50);
  EXPECT_EQ(p.tetraloops.size(), 16u);
}

TEST(FoldEnergy, InputRules) {
  // lower case and T read as U; N cannot pair but is a neighbour (exterior mismatch row "E")
  EXPECT_EQ(evaluate_structure("gggaaaccc", "(((...)))").energy, -120);
  EXPECT_EQ(evaluate_structure("GGGAAACCCT", "(((...))).").energy, evaluate_structure("GGGAAACCCU", "(((...))).").energy);
  EXPECT_EQ(seqnn::test::error_of([] { evaluate_structure("GGGNAACCN", "(((...)))"); }),
            "pair (1, 9) G-N is not a canonical pair (AU, GC, GU)");
  EXPECT_EQ(seqnn::test::error_of([] { evaluate_structure("GGGAACCC", "(((..)))"); }),
            "pair (3, 6) closes a hairpin of fewer than 3 bases");
  EXPECT_EQ(seqnn::test::error_of([] { evaluate_structure("GGGAAACCC", "(((...))"); }),
            "structure length 8 != sequence length 9");
  EXPECT_EQ(seqnn::test::error_of([] { evaluate_structure("GGGAAACCC", "(((...))]"); }),
            "unknown character ']' at position 9 (expected . ( ))");
  EXPECT_EQ(seqnn::test::error_of([] { encode_sequence("GG-A"); }), "invalid character '-' at sequence position 3");
}

TEST(FoldEnergy, RnafoldArchiveIIStructuresEvaluateToTheirEnergy) {
  const std::string path = seqnn::test::shared_data("rna/ArchiveII_RNAfold-2.7.1_mfe.txt");
  if (path.empty()) GTEST_SKIP() << "../shared/data/rna/ArchiveII_RNAfold-2.7.1_mfe.txt is absent";
  const auto recs = test::read_rnafold_mfe(path, 5);  // 675 of the 3,375 (all of them agree: bench/bench_rna_fold.sh)
  ASSERT_GT(recs.size(), 600u);
  int agree = 0;
  for (const auto& r : recs) {
    const int e = evaluate_structure(r.sequence, r.structure).energy;
    agree += e == r.energy;
    EXPECT_EQ(e, r.energy) << r.id;
  }
  EXPECT_EQ(agree, static_cast<int>(recs.size()));
}

}  // namespace
}  // namespace seqnn::rna::fold
