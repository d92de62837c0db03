// Readers, and `seqnn rna train | predict | eval` end to end on tiny data; the ArchiveII
// RNAfold baseline (mean F1 0.589, precision 0.563, recall 0.622 in ../shared/data/README.md)
// checks the F1 code against an independent figure.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>

#include "rna/rna_test_util.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/rna/s1_train.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

TEST(RnaIo, TablesCsvQuotesAndFasta) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("a.tsv"), "id\tsequence\tstructure\tmfe\nr1\tGGGAAACCC\t(((...)))\t-1\nr2\tacgu\t....\t0\n");
  auto t = read_rna_table(dir.file("a.tsv"));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].structure.num_pairs(), 3);
  EXPECT_EQ(t[1].sequence, "ACGU");
  seqnn::test::write_text(dir.file("b.csv"), "id,sequence,structure,base_pairs,len\nx,GGGAAACCC,(((...))),\"[[1, 9], [2, 8]]\",9\n");
  EXPECT_EQ(read_rna_table(dir.file("b.csv"))[0].structure.to_dot_bracket(), "(((...)))");
  seqnn::test::write_text(dir.file("c.csv"), "id,sequence,base_pairs\nx,GGGAAACCC,\"[[1, 9], [2, 8]]\"\n");
  EXPECT_EQ(read_rna_table(dir.file("c.csv"))[0].structure.to_dot_bracket(), "((.....))");
  seqnn::test::write_text(dir.file("d.fa"), ">s1 RNAfold\nGGGAAA\nCCC\n(((...))) (-1.20)\n>s2\nAAAA\n....\n");
  auto f = read_structures(dir.file("d.fa"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].id, "s1");
  EXPECT_EQ(f[0].structure.to_dot_bracket(), "(((...)))");

  seqnn::test::write_text(dir.file("e.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\t(((...))\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("e.tsv")); }), dir.file("e.tsv") + ":2: unbalanced '(' at position 1");
  seqnn::test::write_text(dir.file("f.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\t(((...))).\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("f.tsv")); }), dir.file("f.tsv") + ":2: sequence length 9 != structure length 10");
  seqnn::test::write_text(dir.file("g.tsv"), "id\tsequence\tstructure\nr1\tGGGA7ACCC\t(((...)))\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("g.tsv")); }), dir.file("g.tsv") + ":2: invalid character '7' at sequence position 5");
  seqnn::test::write_text(dir.file("h.tsv"), "id\tseq\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("h.tsv")); }), dir.file("h.tsv") + ":1: no 'sequence' column in the header");
}

TEST(RnaIo, SplitIsDeterministicAndDisjoint) {
  std::vector<RnaRecord> recs(100);
  for (size_t k = 0; k < recs.size(); ++k) recs[k].id = std::to_string(k);
  auto [tr, va] = split_records(recs, 0.05, 5555);
  auto [tr2, va2] = split_records(recs, 0.05, 5555);
  ASSERT_EQ(tr.size(), 95u);
  ASSERT_EQ(va.size(), 5u);
  for (size_t k = 0; k < 5; ++k) EXPECT_EQ(va[k].id, va2[k].id);
  for (const auto& v : va) {
    for (const auto& t : tr) EXPECT_NE(v.id, t.id);
  }
}

// Writes `n` random structured sequences (canonical G-C pairs) as a TSV.
std::string write_random_table(const seqnn::test::TempDir& dir, int n, int64_t L) {
  std::string text = "id\tsequence\tstructure\n";
  for (int k = 0; k < n; ++k) {
    std::string db = test::random_dot_bracket(L, 77 + static_cast<uint64_t>(k));
    std::string seq = test::random_rna(L, 900 + static_cast<uint64_t>(k));
    for (size_t p = 0; p < db.size(); ++p) {
      if (db[p] == '(') seq[p] = 'G';
      if (db[p] == ')') seq[p] = 'C';
    }
    text += "s" + std::to_string(k) + "\t" + seq + "\t" + db + "\n";
  }
  seqnn::test::write_text(dir.file("data.tsv"), text);
  std::string fa;
  for (const auto& line : split(text, '\n')) {
    const auto f = split(line, '\t');
    if (f.size() == 3 && f[0] != "id") fa += ">" + f[0] + "\n" + f[1] + "\n";
  }
  seqnn::test::write_text(dir.file("data.fa"), fa);
  return dir.file("data.tsv");
}

TEST(RnaCli, TrainPredictEvalEndToEnd) {
  seqnn::test::TempDir dir;
  const std::string data = write_random_table(dir, 40, 24);
  const std::string train = "rna train --data " + data + " --num-filters 4,4 --filter-width 3,3 --hidden 4 --epochs 2 "
                            "--batch-size 8 --validation-fraction 0.2 --threads 1 --seed 3 -q --out ";
  auto r = seqnn::test::run_cli(train + dir.file("run1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("best epoch"), std::string::npos) << r.output;
  const std::string csv = seqnn::test::read_text(dir.file("run1/metrics.csv"));
  const std::string header = split(csv, '\n')[0];
  std::string expect;
  for (const auto& n : s1_metric_names()) expect += n + ",";
  EXPECT_EQ(header, expect + "tv,epoch");
  EXPECT_EQ(split(csv, '\n').size(), 6u);  // header, 2 epochs x (train, val), final newline
  EXPECT_TRUE(seqnn::test::exists(dir.file("run1/model_epoch_2.pt")));
  EXPECT_TRUE(seqnn::test::exists(dir.file("run1/model_best.pt")));
  // Same seed, same numbers.
  ASSERT_EQ(seqnn::test::run_cli(train + dir.file("run2")).exit_code, 0);
  EXPECT_EQ(seqnn::test::read_text(dir.file("run2/metrics.csv")), csv);
  // `seqnn train --arch s1` with the notebook's flags is the same training as `rna train`.
  r = seqnn::test::run_cli("train --arch s1 --data " + data + " --result " + dir.file("via_train") +
                           " --num-filters 4 4 --filter-width 3 --dense-units 4 --epochs 2 --batch-size 8 "
                           "--val-fraction 0.2 --seed 3 --threads 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(seqnn::test::read_text(dir.file("via_train/metrics.csv")), csv);
  EXPECT_NE(seqnn::test::read_text(dir.file("via_train/config.json")).find("\"s1\""), std::string::npos);
  r = seqnn::test::run_cli("train --data " + data + " --result " + dir.file("x") + " --threads 1 -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--data and --loss-weights are for --arch s1"), std::string::npos) << r.output;
  // Fine-tuning keeps the trained model's architecture (a different default is ignored) and
  // starts from its weights: with lr 0 nothing but batch-norm statistics can change.
  const std::string tune = "rna train --data " + data + " --epochs 1 --batch-size 8 --validation-fraction 0.2 "
                           "--threads 1 --seed 3 -q --init " + dir.file("run1/model_best.pt");
  r = seqnn::test::run_cli(tune + " --lr 0 --out " + dir.file("tuned"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const size_t at = r.output.find("S1 with ");
  ASSERT_NE(at, std::string::npos) << r.output;
  const S1Model before = S1Model::load(dir.file("run1/model_best.pt")), after = S1Model::load(dir.file("tuned/model_best.pt"));
  EXPECT_EQ(after.config().to_json(), before.config().to_json());
  const auto pb = before.parameters(), pa = after.parameters();
  ASSERT_EQ(pb.size(), pa.size());
  for (size_t k = 0; k < pb.size(); ++k) EXPECT_TRUE(pb[k].equal(pa[k])) << "parameter " << k;
  r = seqnn::test::run_cli(tune + " --num-filters 4 --filter-width 3 --out " + dir.file("tuned2"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("excludes"), std::string::npos) << r.output;

  r = seqnn::test::run_cli("rna predict -q --threads 1 --model " + dir.file("run1/model_best.pt") + " --fasta " + dir.file("data.fa") +
                    " --out " + dir.file("pred.tsv") + " --png " + dir.file("png") + " --truth " + data + " --min-pixel-prob 0.3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("mean base-pair F1"), std::string::npos) << r.output;
  EXPECT_EQ(split(seqnn::test::read_text(dir.file("pred.tsv")), '\n').size(), 42u);
  EXPECT_TRUE(seqnn::test::exists(dir.file("pred.boxes.tsv")));
  EXPECT_TRUE(seqnn::test::exists(dir.file("png/s0.png")));
  r = seqnn::test::run_cli("rna eval -q --truth " + data + " --pred " + dir.file("pred.tsv") + " --boxes " + dir.file("pred.boxes.tsv") +
                    " --out " + dir.file("eval.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("box sensitivity"), std::string::npos) << r.output;
  // The truth as its own prediction scores F1 = 1.
  r = seqnn::test::run_cli("rna eval -q --truth " + data + " --pred " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("F1 1.0000"), std::string::npos) << r.output;
}

TEST(RnaCli, BadInputGivesOneLineErrors) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("bad.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\t(((...)))\nr2\tGGGAAACCC\t((..)\n");
  auto r = seqnn::test::run_cli("rna train -q --data " + dir.file("bad.tsv") + " --out " + dir.file("o"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "seqnn rna: error: " + dir.file("bad.tsv") + ":3: unbalanced '(' at position 1\n");
  r = seqnn::test::run_cli("rna train -q --data " + dir.file("bad.tsv") + " --out " + dir.file("o") + " --num-filters 4,4 --filter-width 3");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("2 filter counts but 1 filter widths"), std::string::npos) << r.output;
  r = seqnn::test::run_cli("rna predict -q --model " + dir.file("none.pt") + " --fasta " + dir.file("bad.tsv") + " --out " + dir.file("p.tsv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(seqnn::test::exists(dir.file("p.tsv")));
}

TEST(RnaRealData, RnafoldBaselineF1OnArchiveII) {
  const std::string truth = seqnn::test::shared_data("rna/ArchiveII.csv");
  const std::string pred = seqnn::test::shared_data("rna/ArchiveII_RNAfold-2.7.1_mfe.txt");
  SKIP_WITHOUT_SHARED_DATA(truth);
  SKIP_WITHOUT_SHARED_DATA(pred);
  auto r = seqnn::test::run_cli("rna eval -q --truth " + truth + " --pred " + pred);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3375 structures"), std::string::npos) << r.output;
  // Independently: a Python loop over the same files gives 0.563031, 0.622142, 0.589007.
  EXPECT_NE(r.output.find("mean precision 0.5630, recall 0.6221, F1 0.5890"), std::string::npos) << r.output;
}

TEST(RnaRealData, Chr20TableParsesAndDecomposes) {
  const std::string path = seqnn::test::shared_data("rna/chr20_len64_mfefreq0.1.tsv.gz");
  SKIP_WITHOUT_SHARED_DATA(path);
  auto recs = read_rna_table(path, 500);
  ASSERT_EQ(recs.size(), 500u);
  int64_t stems = 0;
  for (const auto& r : recs) {
    EXPECT_EQ(r.sequence.size(), 64u);
    EXPECT_GE(r.structure.num_pairs(), 1);
    for (const auto& b : decompose(r.structure).boxes) stems += b.type == BoxType::kStem;
  }
  EXPECT_GT(stems, 500);
}

}  // namespace
}  // namespace seqnn::rna
