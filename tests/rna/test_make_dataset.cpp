// rna make-dataset: segments of a genome on their strand, folded by the engine, kept by MFE
// frequency; checked against fold_sequence on the same segments and, on real data, against the
// shared chr20 table that RNAfold -p made.
#include <gtest/gtest.h>

#include <map>

#include "seqnn/rna/fold/fold.h"
#include "seqnn/rna/make_dataset.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/table.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

std::string to_rna(std::string s) {
  for (char& c : s) c = c == 'T' ? 'U' : c;
  return s;
}

TEST(RnaMakeDataset, BedSegmentsOnTheirStrandEqualTheEngine) {
  seqnn::test::TempDir dir;
  const auto chrom = random_sequences(1, 400, Alphabet::dna(), 3)[0];
  std::string with_n = chrom;
  with_n[250] = 'N';
  seqnn::test::write_text(dir.file("g.fa"), ">c1\n" + chrom + "\n>c2\n" + with_n + "\n");
  seqnn::test::write_text(dir.file("r.bed"), "c1\t10\t74\ta\t0\t+\nc1\t100\t164\tb\t0\t-\nc2\t240\t300\n");
  MakeDatasetOptions o;
  o.genome = dir.file("g.fa");
  o.bed = dir.file("r.bed");
  o.out = dir.file("t.tsv");
  o.threshold = 0.0;
  o.progress = false;
  const MakeDatasetResult r = make_rna_dataset(o);
  EXPECT_EQ(r.segments, 2);
  EXPECT_EQ(r.with_n, 1);
  const auto rows = read_rna_table(dir.file("t.tsv"));
  fold::FoldSettings s;
  s.partition = true;
  const std::map<std::string, std::string> want = {{"c1:11-74", to_rna(chrom.substr(10, 64))},
                                                   {"c1:101-164", to_rna(reverse_complement(chrom.substr(100, 64)))}};
  int64_t with_pairs = 0;
  for (const auto& [id, seq] : want) with_pairs += fold::fold_sequence(seq, s).mfe.structure.find('(') != std::string::npos;
  ASSERT_EQ(static_cast<int64_t>(rows.size()), with_pairs);
  for (const auto& row : rows) {
    ASSERT_TRUE(want.count(row.id)) << row.id;
    EXPECT_EQ(row.sequence, want.at(row.id));
    EXPECT_EQ(row.structure.to_dot_bracket(), fold::fold_sequence(row.sequence, s).mfe.structure);
  }
  o.threshold = 1.0;  // no MFE structure of a 64-mer holds the whole ensemble
  o.out = dir.file("none.tsv.gz");
  EXPECT_EQ(make_rna_dataset(o).kept, 0);
  TextLineReader gz(dir.file("none.tsv.gz"), "table");
  std::string line, text;
  while (gz.next(line)) text += line + "\n";
  EXPECT_EQ(text, "id\tsequence\tstructure\tmfe\tmfe_frequency\n");
}

TEST(RnaMakeDataset, RandomSegmentsAreDeterministicPerSeed) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("g.fa"), ">c1\n" + random_sequences(1, 3000, Alphabet::dna(), 5)[0] + "\n");
  MakeDatasetOptions o;
  o.genome = dir.file("g.fa");
  o.random = 30;
  o.len_min = 20;
  o.len_max = 40;
  o.threshold = 0.0;
  o.progress = false;
  o.seed = 9;
  o.out = dir.file("a.tsv");
  EXPECT_EQ(make_rna_dataset(o).segments, 30);
  o.out = dir.file("b.tsv");
  make_rna_dataset(o);
  EXPECT_EQ(seqnn::test::read_text(dir.file("a.tsv")), seqnn::test::read_text(dir.file("b.tsv")));
  for (const auto& row : read_rna_table(dir.file("a.tsv"))) {
    EXPECT_GE(row.sequence.size(), 20u);
    EXPECT_LE(row.sequence.size(), 40u);
  }
  o.bed = dir.file("r.bed");
  EXPECT_NE(seqnn::test::error_of([&] { make_rna_dataset(o); }).find("give --bed or --random N"), std::string::npos);
}

TEST(RnaMakeDataset, RegeneratesTheSharedChr20SliceMadeWithRnafold) {
  const std::string table = seqnn::test::shared_data("rna/chr20_len64_mfefreq0.1.tsv.gz");
  const std::string genome = seqnn::test::shared_data("dna/grch37_chr20/GRCh37.chr20.fa.gz");
  SKIP_WITHOUT_SHARED_DATA(table);
  SKIP_WITHOUT_SHARED_DATA(genome);
  seqnn::test::TempDir dir;
  const auto shared = read_rna_table(table, 300);
  std::string bed;
  for (const auto& r : shared) {
    const auto colon = r.id.find(':'), dash = r.id.find('-');
    bed += r.id.substr(0, colon) + "\t" + std::to_string(std::stoll(r.id.substr(colon + 1, dash - colon - 1)) - 1) + "\t" +
           r.id.substr(dash + 1) + "\n";
  }
  seqnn::test::write_text(dir.file("r.bed"), bed);
  MakeDatasetOptions o;
  o.genome = genome;
  o.bed = dir.file("r.bed");
  o.out = dir.file("t.tsv");
  o.threshold = 0.1;
  o.progress = false;
  make_rna_dataset(o);
  const auto ours = read_rna_table(dir.file("t.tsv"));
  std::map<std::string, std::string> by_id;
  for (const auto& r : ours) by_id[r.id] = r.structure.to_dot_bracket();
  int64_t same = 0;
  for (const auto& r : shared) {
    auto it = by_id.find(r.id);
    same += it != by_id.end() && it->second == r.structure.to_dot_bracket();
  }
  // Every shared segment passes the same filter with the same sequence; the structures agree
  // except where the MFE is degenerate.
  EXPECT_EQ(ours.size(), shared.size());
  EXPECT_GE(same, static_cast<int64_t>(shared.size()) * 97 / 100) << same << " of " << shared.size();
  std::printf("[ info ] %lld of %zu shared chr20 structures regenerated identically\n", static_cast<long long>(same), shared.size());
}

}  // namespace
}  // namespace seqnn::rna
