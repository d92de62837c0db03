// Truncated compressed inputs (issue 15 B2/B3): a cut bgzip or gzip file stops the reader with
// one line naming the file, instead of partial results (exit 0) or an htslib assertion (abort).
#include <filesystem>
#include <random>

#include "seqnn/sequence/bed.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/variants/vcf.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

std::string random_fasta(int records, int length, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (int r = 0; r < records; ++r) {
    text += ">s" + std::to_string(r) + "\n";
    for (int i = 0; i < length; ++i) text += "ACGT"[rng() % 4];
    text += "\n";
  }
  return text;
}

void cut_file(const std::string& path, double fraction) {
  std::filesystem::resize_file(path, static_cast<uintmax_t>(std::filesystem::file_size(path) * fraction));
}

int64_t read_all(const std::string& path) {
  FastaReader reader(path);
  FastaRecord r;
  int64_t n = 0;
  while (reader.next(r)) ++n;
  return n;
}

TEST(CompressedStream, CompleteFilesOfEveryKindReadInFull) {
  test::TempDir dir;
  const std::string text = random_fasta(50, 300, 1);
  test::write_text(dir.file("a.fa"), text);
  test::write_gzip(dir.file("a.fa.gz"), text);
  test::write_bgzip(dir.file("b.fa.gz"), text, 4);
  for (const char* f : {"a.fa", "a.fa.gz", "b.fa.gz"}) EXPECT_EQ(read_all(dir.file(f)), 50) << f;
}

TEST(CompressedStream, BgzipWithoutItsEndOfFileBlockIsTruncated) {
  test::TempDir dir;
  test::write_bgzip(dir.file("b.fa.gz"), random_fasta(50, 300, 2), 4);
  cut_file(dir.file("b.fa.gz"), 0.5);
  const std::string e = test::error_of([&] { read_all(dir.file("b.fa.gz")); });
  EXPECT_NE(e.find("b.fa.gz: truncated bgzip file: its end-of-file block is missing"), std::string::npos) << e;
}

TEST(CompressedStream, GzipCutMidStreamIsAnErrorNotAnEarlyEnd) {
  test::TempDir dir;
  test::write_gzip(dir.file("a.fa.gz"), random_fasta(200, 300, 3));
  cut_file(dir.file("a.fa.gz"), 0.6);
  const std::string e = test::error_of([&] { read_all(dir.file("a.fa.gz")); });
  EXPECT_NE(e.find("a.fa.gz: the compressed data end early or are corrupt after line"), std::string::npos) << e;
}

TEST(CompressedStream, AnIndexedGenomeCutShortIsRefusedBeforeHtslibAsserts) {
  test::TempDir dir;
  test::write_bgzip(dir.file("g.fa.gz"), random_fasta(1, 200000, 4), 20);
  { IndexedFasta g(dir.file("g.fa.gz")); }  // writes .fai and .gzi for the whole file
  cut_file(dir.file("g.fa.gz"), 0.5);
  const std::string e = test::error_of([&] { IndexedFasta g(dir.file("g.fa.gz")); });
  EXPECT_NE(e.find("truncated bgzip file"), std::string::npos) << e;
  test::write_text(dir.file("w.bed"), "s0\t199000\t199200\n");
  auto r = test::run_cli("predict -m " + test::fixture("deepsea_small.pt") + " -b " + dir.file("w.bed") + " -g " +
                         dir.file("g.fa.gz") + " -o " + dir.file("p.tsv"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("truncated bgzip file"), std::string::npos) << r.output;
  EXPECT_FALSE(test::exists(dir.file("p.tsv")));
}

TEST(CompressedStream, CutVcfAndBedStopTheRun) {
  test::TempDir dir;
  std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=s0,length=100000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  std::string bed;
  for (int i = 1; i <= 3000; ++i) {
    vcf += "s0\t" + std::to_string(i * 10) + "\t.\tA\tG\t.\t.\t.\n";
    bed += "s0\t" + std::to_string(i * 10) + "\t" + std::to_string(i * 10 + 5) + "\n";
  }
  for (const bool bgzip : {true, false}) {
    const std::string v = dir.file(bgzip ? "v.vcf.gz" : "v2.vcf.gz"), b = dir.file(bgzip ? "b.bed.gz" : "b2.bed.gz");
    if (bgzip) {
      test::write_bgzip(v, vcf, 6);
      test::write_bgzip(b, bed, 6);
    } else {
      test::write_gzip(v, vcf);
      test::write_gzip(b, bed);
    }
    cut_file(v, 0.5);
    cut_file(b, 0.5);
    const std::string ev = test::error_of([&] {
      VcfReader reader(v);
      Variant x;
      while (reader.next(x)) {
      }
    });
    EXPECT_TRUE(ev.find("truncated bgzip file") != std::string::npos || ev.find("end early or are corrupt") != std::string::npos)
        << (bgzip ? "bgzip" : "gzip") << " VCF: " << ev;
    const std::string eb = test::error_of([&] {
      BedReader reader(b);
      BedInterval iv;
      while (reader.next(iv)) {
      }
    });
    EXPECT_TRUE(eb.find("truncated bgzip file") != std::string::npos || eb.find("end early or are corrupt") != std::string::npos)
        << (bgzip ? "bgzip" : "gzip") << " BED: " << eb;
  }
}

TEST(CompressedStream, AUtf8ByteOrderMarkIsNotPartOfTheFirstLine) {
  test::TempDir dir;
  test::write_text(dir.file("a.fa"), "\xEF\xBB\xBF>s1 first\r\nACGT\r\n>s2\r\nGG\r\n");
  FastaReader reader(dir.file("a.fa"));
  FastaRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.name, "s1");
  EXPECT_EQ(r.sequence, "ACGT");
  test::write_text(dir.file("a.bed"), "\xEF\xBB\xBF" "chr1\t10\t20\r\n");
  BedReader bed(dir.file("a.bed"));
  BedInterval iv;
  ASSERT_TRUE(bed.next(iv));
  EXPECT_EQ(iv.chrom, "chr1");
  EXPECT_EQ(iv.end, 20);
}

}  // namespace
}  // namespace seqnn
