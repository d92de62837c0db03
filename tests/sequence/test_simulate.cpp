// Random FASTA and BED inputs: deterministic for a seed, the requested shape, inside the genome.
#include <gtest/gtest.h>

#include <sstream>

#include "seqnn/sequence/simulate.h"
#include "test_helpers.h"

namespace seqnn::test {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

TEST(Simulate, FastaIsDeterministicForASeedAndHasTheAskedShape) {
  TempDir dir;
  SimulateOptions o;
  o.n = 12;
  o.length = 130;
  o.alphabet = "rna";
  o.seed = 4;
  simulate_fasta(o, dir.file("a.fa"));
  simulate_fasta(o, dir.file("b.fa"));
  o.seed = 5;
  simulate_fasta(o, dir.file("c.fa"));
  const std::string a = read_text(dir.file("a.fa"));
  EXPECT_EQ(a, read_text(dir.file("b.fa")));
  EXPECT_NE(a, read_text(dir.file("c.fa")));
  int records = 0;
  std::string seq;
  for (const auto& l : lines(a)) {
    if (l[0] == '>') {
      ++records;
      continue;
    }
    EXPECT_LE(l.size(), 60u);
    seq += l;
  }
  EXPECT_EQ(records, 12);
  EXPECT_EQ(seq.size(), 12u * 130u);
  EXPECT_EQ(seq.find_first_not_of("ACGU"), std::string::npos);
}

TEST(Simulate, BedIntervalsLieInsideTheGenome) {
  TempDir dir;
  write_text(dir.file("g.fa"), ">chrA\n" + std::string(300, 'A') + "\n>chrB\n" + std::string(40, 'C') + "\n>chrC\n" + std::string(120, 'G') + "\n");
  write_text(dir.file("g.fa.fai"), "chrA\t300\t6\t300\t301\nchrB\t40\t313\t40\t41\nchrC\t120\t360\t120\t121\n");
  SimulateOptions o;
  o.n = 200;
  o.length = 100;
  o.seed = 1;
  simulate_bed(o, dir.file("g.fa"), dir.file("w.bed"));
  const auto rows = lines(read_text(dir.file("w.bed")));
  ASSERT_EQ(rows.size(), 200u);
  int on_a = 0;
  for (const auto& r : rows) {
    std::stringstream ss(r);
    std::string chrom, name;
    int64_t start = 0, end = 0;
    ss >> chrom >> start >> end >> name;
    EXPECT_NE(chrom, "chrB") << "chrB is shorter than the interval";
    EXPECT_EQ(end - start, 100);
    EXPECT_GE(start, 0);
    EXPECT_LE(end, chrom == "chrA" ? 300 : 120);
    on_a += chrom == "chrA";
  }
  // chrA offers 201 start positions, chrC 21: about 90 % of the intervals fall on chrA.
  EXPECT_GT(on_a, 160);
  o.length = 500;
  EXPECT_NE(error_of([&] { simulate_bed(o, dir.file("g.fa"), dir.file("x.bed")); }).find("no sequence is at least 500"), std::string::npos);
}

}  // namespace
}  // namespace seqnn::test
