// `seqnn rna fold` end to end: RNAfold's text format, the TSV, --partition's extra lines and
// pair file, --sample, --eval, --span, determinism across thread counts, errors.
#include <gtest/gtest.h>

#include "seqnn/rna/fold/fold.h"
#include "seqnn/rna/fold_run.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

const char* kFoldFasta =
    ">trna\nGCGGAUUUAGCUCAGUUGGGAGAGCGCCAGACUGAAGAUCUGGAGGUCCUGUGUUCGAUCCACAGAAUUCGCACCA\n"
    ">hp\nGGGAAACCC\n>open\nAAAA\n>lower_t\ngggaaaccct\n";

TEST(FoldCli, RnafoldTextAndTsv) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("in.fa"), kFoldFasta);
  auto r = seqnn::test::run_cli("rna fold -f " + dir.file("in.fa") + " -o " + dir.file("out.fold") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seqnn rna fold: 4 sequences (99 nt) folded"), std::string::npos) << r.output;
  const std::string text = seqnn::test::read_text(dir.file("out.fold"));
  EXPECT_NE(text.find(">hp\nGGGAAACCC\n(((...))) ( -1.20)\n"), std::string::npos) << text;
  EXPECT_NE(text.find(">open\nAAAA\n.... (  0.00)\n"), std::string::npos) << text;
  EXPECT_NE(text.find(">lower_t\nGGGAAACCCU\n(((...))). ( -2.40)\n"), std::string::npos) << text;
  EXPECT_EQ(rnafold_energy(-27.8), " (-27.80)");

  r = seqnn::test::run_cli("rna fold -f " + dir.file("in.fa") + " -o " + dir.file("out.tsv") + " --partition -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto lines = split(seqnn::test::read_text(dir.file("out.tsv")), '\n');
  EXPECT_EQ(lines[0], "id\tsequence\tstructure\tmfe\tensemble_energy\tmfe_probability\tcentroid\tdiversity");
  const auto hp = split(lines[2], '\t');
  ASSERT_EQ(hp.size(), 8u);
  EXPECT_EQ(hp[2], "(((...)))");
  EXPECT_EQ(hp[3], "-1.20");
  EXPECT_TRUE(seqnn::test::exists(dir.file("out.pairs.tsv")));
  EXPECT_EQ(split(seqnn::test::read_text(dir.file("out.pairs.tsv")), '\n')[0], "id\ti\tj\tprobability");
}

TEST(FoldCli, PartitionLinesSamplesEvalAndThreads) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("in.fa"), kFoldFasta);
  auto r = seqnn::test::run_cli("rna fold -f " + dir.file("in.fa") + " -o " + dir.file("a.txt") +
                                " --partition --sample 5 --seed 3 --threads 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string a = seqnn::test::read_text(dir.file("a.txt"));
  EXPECT_NE(a.find(" frequency of mfe structure in ensemble "), std::string::npos) << a;
  EXPECT_NE(a.find("; ensemble diversity "), std::string::npos) << a;
  EXPECT_NE(a.find(" d="), std::string::npos) << a;
  const std::string samples = seqnn::test::read_text(dir.file("a.samples.tsv"));
  EXPECT_EQ(split(samples, '\n')[0], "id\tsample\tstructure\tenergy");
  EXPECT_EQ(split(samples, '\n').size(), 4u * 5u + 2u);  // header, rows, trailing empty
  r = seqnn::test::run_cli("rna fold -f " + dir.file("in.fa") + " -o " + dir.file("b.txt") + " --partition --sample 5 --seed 3 --threads 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(seqnn::test::read_text(dir.file("b.txt")), a);
  EXPECT_EQ(seqnn::test::read_text(dir.file("b.samples.tsv")), samples);

  // --eval reads RNAfold's output back and prints the same energies
  r = seqnn::test::run_cli("rna fold -f " + dir.file("in.fa") + " -o " + dir.file("m.txt") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = seqnn::test::run_cli("rna fold --eval -f " + dir.file("m.txt") + " -o " + dir.file("e.txt") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(seqnn::test::read_text(dir.file("e.txt")), seqnn::test::read_text(dir.file("m.txt")));

  // --span: no pair longer than L
  r = seqnn::test::run_cli("rna fold -f " + dir.file("in.fa") + " -o " + dir.file("s.tsv") + " --span 20 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = split(seqnn::test::read_text(dir.file("s.tsv")), '\n');
  const std::string db = split(rows[1], '\t')[2];
  std::vector<size_t> open;
  for (size_t k = 0; k < db.size(); ++k) {
    if (db[k] == '(') open.push_back(k);
    if (db[k] == ')') {
      EXPECT_LE(k - open.back() + 1, 20u);
      open.pop_back();
    }
  }
}

TEST(FoldCli, Errors) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("bad.fa"), ">x\nGGG-AAA\n");
  auto r = seqnn::test::run_cli("rna fold -f " + dir.file("bad.fa") + " -o " + dir.file("o.txt") + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("invalid character"), std::string::npos) << r.output;
  EXPECT_FALSE(seqnn::test::exists(dir.file("o.txt")));
  seqnn::test::write_text(dir.file("s.txt"), ">x\nGGGAAACCC\n(((..)))\n");
  r = seqnn::test::run_cli("rna fold --eval -f " + dir.file("s.txt") + " -o " + dir.file("o.txt") + " -q");
  EXPECT_NE(r.exit_code, 0);
  r = seqnn::test::run_cli("rna fold -f " + dir.file("bad.fa") + " -o " + dir.file("o.txt") + " --span -3");
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace seqnn::rna

namespace seqnn::rna {
namespace {

// --compare: GGGAAACCC folds to (((...))); against a known ((.....)) the prediction has 3 pairs,
// 2 of them true: precision 2/3, recall 1, F1 0.8 (counted by hand).
TEST(FoldCli, CompareScoresTheMfeStructureAgainstTheKnownOne) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("known.fa"), ">hp\nGGGAAACCC\n((.....))\n>open\nAAAAAAA\n.......\n");
  auto r = seqnn::test::run_cli("rna fold --compare -f " + dir.file("known.fa") + " -o " + dir.file("out.tsv") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto lines = split(seqnn::test::read_text(dir.file("out.tsv")), '\n');
  EXPECT_EQ(lines[0], "id\tsequence\tstructure\tmfe\tknown_structure\tprecision\trecall\tf1");
  EXPECT_EQ(lines[1], "hp\tGGGAAACCC\t(((...)))\t-1.20\t((.....))\t0.6667\t1.0000\t0.8000");
  EXPECT_EQ(lines[2], "open\tAAAAAAA\t.......\t0.00\t.......\t1.0000\t1.0000\t1.0000");  // empty vs empty scores 1
  EXPECT_NE(r.output.find("mean base-pair F1 0.9000 vs the known structures"), std::string::npos) << r.output;
  r = seqnn::test::run_cli("rna fold --compare -f " + dir.file("known.fa") + " -o " + dir.file("out.fold") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(seqnn::test::read_text(dir.file("out.fold")).find("(((...))) ( -1.20)\n((.....)) known [F1 0.8000]\n"), std::string::npos);
  r = seqnn::test::run_cli("rna fold --compare --eval -f " + dir.file("known.fa") + " -o " + dir.file("x.tsv") + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--eval and --compare exclude each other"), std::string::npos) << r.output;
}

// --mea: the engine's MEA structure (tested against brute force in test_fold_partition.cpp) in
// the TSV, RNAfold --MEA's "{energy MEA=value}" line in the text format, and its F1 with --compare.
TEST(FoldCli, MeaStructureColumnLineAndScore) {
  seqnn::test::TempDir dir;
  const std::string seq = "GCGGAUUUAGCUCAGUUGGGAGAGCGCCAGACUGAAGAUCUGGAGGUCCUGUGUUCGAUCCACAGAAUUCGCACCA";
  fold::FoldSettings s;
  s.mea = true;
  const fold::FoldResult want = fold::fold_sequence(seq, s);
  // The known structure is the MFE one here: the MFE scores 1, the MEA its overlap with it.
  seqnn::test::write_text(dir.file("known.fa"), ">trna\n" + seq + "\n" + want.mfe.structure + "\n");
  auto r = seqnn::test::run_cli("rna fold --compare --mea 1 -f " + dir.file("known.fa") + " -o " + dir.file("out.tsv") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto lines = split(seqnn::test::read_text(dir.file("out.tsv")), '\n');
  EXPECT_EQ(lines[0], "id\tsequence\tstructure\tmfe\tensemble_energy\tmfe_probability\tcentroid\tdiversity\tmea\t"
                      "known_structure\tprecision\trecall\tf1\tmea_f1");
  const auto row = split(lines[1], '\t');
  ASSERT_EQ(row.size(), 14u);
  EXPECT_EQ(row[8], want.mea.structure);
  EXPECT_EQ(row[12], "1.0000");
  EXPECT_NE(r.output.find("(MEA " + row[13] + ")"), std::string::npos) << r.output;
  seqnn::test::write_text(dir.file("seq.fa"), ">trna\n" + seq + "\n");
  r = seqnn::test::run_cli("rna fold --mea 1 -f " + dir.file("seq.fa") + " -o " + dir.file("out.fold") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string text = seqnn::test::read_text(dir.file("out.fold"));
  EXPECT_NE(text.find("\n" + want.mea.structure + " {"), std::string::npos) << text;
  EXPECT_NE(text.find(" MEA="), std::string::npos) << text;
  EXPECT_NE(text.find("frequency of mfe structure in ensemble"), std::string::npos) << "--mea implies --partition";
  r = seqnn::test::run_cli("rna fold --mea 1 --eval -f " + dir.file("known.fa") + " -o " + dir.file("x.tsv") + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--eval takes no --partition, --sample or --mea"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seqnn::rna
