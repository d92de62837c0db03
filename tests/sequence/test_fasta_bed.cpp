#include <htslib/bgzf.h>
#include <zlib.h>

#include "seqnn/sequence/bed.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::TempDir;

namespace {

const char kThreeChromosomes[] =
    ">chr1 first chromosome\nACGTACGTAC\nGGGGCCCCAA\n>chr2\nTTTTT\n\n>chrM\nNNACG\n";

std::vector<FastaRecord> read_records(const std::string& path) {
  FastaReader reader(path);
  std::vector<FastaRecord> out;
  FastaRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST(Fasta, ReadsPlainGzipAndBgzipAlike) {
  TempDir dir;
  seqnn::test::write_text(dir.file("a.fa"), kThreeChromosomes);
  test::write_gzip(dir.file("a.fa.gz"), kThreeChromosomes);
  test::write_bgzip(dir.file("b.fa.gz"), kThreeChromosomes);
  for (const auto& name : {"a.fa", "a.fa.gz", "b.fa.gz"}) {
    auto recs = read_records(dir.file(name));
    ASSERT_EQ(recs.size(), 3u) << name;
    EXPECT_EQ(recs[0].name, "chr1");
    EXPECT_EQ(recs[0].description, "first chromosome");
    EXPECT_EQ(recs[0].sequence, "ACGTACGTACGGGGCCCCAA");
    EXPECT_EQ(recs[1].sequence, "TTTTT");
    EXPECT_EQ(recs[2].line, 7);
    EXPECT_EQ(count_fasta_records(dir.file(name)), 3);
  }
}

TEST(Fasta, ErrorsNameFileAndLine) {
  TempDir dir;
  seqnn::test::write_text(dir.file("bad.fa"), "ACGT\n>x\nAC\n");
  try {
    read_records(dir.file("bad.fa"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.fa:1:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(FastaReader(dir.file("missing.fa")), Error);
}

TEST(Fasta, NamesEndAtAnyWhiteSpaceAndABomIsNotAHeaderLost) {
  // Found by the fasta fuzz target: a "\r\r\n" line end left '\r' in the name (and the sequence);
  // a header followed only by blanks threw std::out_of_range; count_fasta_records missed the first
  // record of a file with a byte-order mark.
  TempDir dir;
  seqnn::test::write_text(dir.file("cr.fa"), ">a\r\r\nAC\r\r\nGT\n>b \t\n>c\vdesc\nA\n");
  auto recs = read_records(dir.file("cr.fa"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].name, "a");
  EXPECT_EQ(recs[0].sequence, "ACGT");
  EXPECT_EQ(recs[1].name, "b");
  EXPECT_EQ(recs[1].description, "");
  EXPECT_EQ(recs[2].name, "c");
  EXPECT_EQ(recs[2].description, "desc");
  seqnn::test::write_text(dir.file("bom.fa"), "\xEF\xBB\xBF>x\nAC\n>y\nGT\n");
  EXPECT_EQ(read_records(dir.file("bom.fa")).size(), 2u);
  EXPECT_EQ(count_fasta_records(dir.file("bom.fa")), 2);
}

TEST(IndexedFasta, AnIndexHtslibCannotFetchFromIsRefused) {
  // Found by the fasta fuzz target: a NUL in a header made htslib index 0 bases per line, and its
  // fetch then divided by zero (SIGFPE).
  TempDir dir;
  seqnn::test::write_text(dir.file("nul.fa"), std::string(">c\0D\x12RR\n\xaa\xbb\xbb\xb8\nM-\x12", 16));
  const std::string msg = seqnn::test::error_of([&] { IndexedFasta g(dir.file("nul.fa")); });
  EXPECT_NE(msg.find("nul.fa.fai: line 1: the index entry for 'c' is unusable"), std::string::npos) << msg;
}

TEST(IndexedFasta, FetchesWithPaddingFromPlainAndBgzip) {
  TempDir dir;
  seqnn::test::write_text(dir.file("g.fa"), kThreeChromosomes);
  test::write_bgzip(dir.file("g.fa.gz"), kThreeChromosomes);
  for (const auto& name : {"g.fa", "g.fa.gz"}) {
    IndexedFasta g(dir.file(name));  // builds .fai (and .gzi)
    EXPECT_EQ(g.length("chr1"), 20);
    EXPECT_EQ(g.fetch("chr1", 2, 6), "GTAC");
    EXPECT_EQ(g.fetch("chr1", 8, 14), "ACGGGG");  // across a line break
    int64_t padded = 0;
    EXPECT_EQ(g.fetch("chr2", -2, 3, 'N', &padded), "NNTTT");
    EXPECT_EQ(padded, 2);
    EXPECT_EQ(g.fetch("chr2", 3, 8, 'N', &padded), "TTNNN");
    EXPECT_EQ(padded, 3);
    EXPECT_EQ(g.fetch("chr2", 6, 8, 'N', &padded), "NN");
    EXPECT_EQ(padded, 2);
    // Chromosome naming: "1" finds "chr1", "M"/"MT" finds "chrM".
    EXPECT_EQ(g.resolve("1"), "chr1");
    EXPECT_EQ(g.resolve("MT"), "chrM");
    EXPECT_EQ(g.resolve("chr9"), "");
    EXPECT_THROW(g.fetch("chr9", 0, 1), Error);
  }
  EXPECT_TRUE(seqnn::test::exists(dir.file("g.fa.gz.gzi")));
}

TEST(IndexedFasta, PlainGzipCannotBeIndexed) {
  TempDir dir;
  test::write_gzip(dir.file("p.fa.gz"), kThreeChromosomes);
  try {
    IndexedFasta g(dir.file("p.fa.gz"));
    ADD_FAILURE() << "plain gzip indexed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("recompress with 'bgzip'"), std::string::npos) << e.what();
  }
}

TEST(IndexedFasta, ACorruptIndexIsBlamedNotTheCompression) {
  TempDir dir;
  test::write_bgzip(dir.file("g.fa.gz"), kThreeChromosomes);
  { IndexedFasta g(dir.file("g.fa.gz")); }  // writes .fai and .gzi
  seqnn::test::write_text(dir.file("g.fa.gz.fai"), std::string("\x01\x02garbage\tno\n", 14));
  try {
    IndexedFasta g(dir.file("g.fa.gz"));
    ADD_FAILURE() << "a corrupt .fai was accepted";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cannot use its index " + dir.file("g.fa.gz") + ".fai"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("recompress"), std::string::npos) << msg;
  }
}

TEST(Bed, ParsesAndValidates) {
  TempDir dir;
  seqnn::test::write_text(dir.file("a.bed"),
                          "track name=x\n# comment\nchr1\t2\t6\tpeakA\nchr2 0 5\n\nchr1\t0\t20\tp\t0\t.\t1\t1\t1\t3\n");
  BedReader r(dir.file("a.bed"));
  BedInterval iv;
  ASSERT_TRUE(r.next(iv));
  EXPECT_EQ(iv.chrom, "chr1");
  EXPECT_EQ(iv.start, 2);
  EXPECT_EQ(iv.end, 6);
  EXPECT_EQ(iv.name, "peakA");
  EXPECT_EQ(iv.line, 3);
  ASSERT_TRUE(r.next(iv));
  EXPECT_EQ(iv.name, "chr2:0-5");
  ASSERT_TRUE(r.next(iv));
  ASSERT_TRUE(iv.summit.has_value());
  EXPECT_EQ(*iv.summit, 3);
  EXPECT_FALSE(r.next(iv));

  seqnn::test::write_text(dir.file("bad.bed"), "chr1\t10\t5\n");
  BedReader bad(dir.file("bad.bed"));
  try {
    bad.next(iv);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.bed:1: end (5) < start (10)"), std::string::npos) << e.what();
  }
  seqnn::test::write_text(dir.file("bad2.bed"), "chr1\tx\t5\n");
  BedReader bad2(dir.file("bad2.bed"));
  EXPECT_THROW(bad2.next(iv), Error);
}

TEST(Bed, SummitsPastTheIntervalAndAbsurdCoordinatesAreRefused) {
  // Found by the bed fuzz target: start + a summit near 2^63 overflowed (UBSan).
  TempDir dir;
  auto err = [&](const std::string& line) {
    seqnn::test::write_text(dir.file("x.bed"), line);
    return seqnn::test::error_of([&] { count_bed_records(dir.file("x.bed")); });
  };
  EXPECT_EQ(err("20\t100\t200\tp\t0\t+\t1\t-1\t-1\t9223372036854775807\n"),
            dir.file("x.bed") + ":1: summit (column 10) 9223372036854775807 is past the interval's end (length 100)");
  EXPECT_EQ(err("20\t100\t99999999999999\n"), dir.file("x.bed") + ":1: end 99999999999999 is larger than any chromosome");
  EXPECT_EQ(err("20\t100\t200\tp\t0\t+\t1\t-1\t-1\t100\n"), "no error");
}

TEST(Bed, WindowsAreCentredAndPaddedOffTheChromosome) {
  TempDir dir;
  seqnn::test::write_text(dir.file("g.fa"), kThreeChromosomes);
  IndexedFasta g(dir.file("g.fa"));
  BedInterval iv;
  iv.chrom = "chr1";
  iv.start = 4;
  iv.end = 8;  // centre 6
  Window w = make_window(g, iv, 4);
  EXPECT_EQ(w.start, 4);
  EXPECT_EQ(w.sequence, "ACGT");
  EXPECT_EQ(w.padded, 0);
  Window odd = make_window(g, iv, 5);  // [4, 9)
  EXPECT_EQ(odd.start, 4);
  EXPECT_EQ(odd.sequence, "ACGTA");
  iv.start = 0;
  iv.end = 2;  // centre 1: window [-3, 5)
  Window left = make_window(g, iv, 8);
  EXPECT_EQ(left.start, -3);
  EXPECT_EQ(left.sequence, "NNNACGTA");
  EXPECT_EQ(left.padded, 3);
  iv.summit = 18;  // summit centre: 0 + 18 -> window [14, 22)
  Window s = make_window(g, iv, 8, WindowCentre::kSummit);
  EXPECT_EQ(s.sequence, "CCCCAANN");
  EXPECT_EQ(s.padded, 2);
  iv.chrom = "chrX";
  EXPECT_THROW(make_window(g, iv, 8), Error);
}

TEST(SequenceSource, BedSourceStreamsWindowsInChunks) {
  TempDir dir;
  seqnn::test::write_text(dir.file("g.fa"), kThreeChromosomes);
  seqnn::test::write_text(dir.file("r.bed"), "chr1\t0\t4\ta\nchr2\t0\t5\tb\nchr1\t10\t14\tc\n");
  auto src = bed_source(dir.file("r.bed"), dir.file("g.fa"), 6);
  EXPECT_EQ(src->total(), 3);
  SequenceChunk chunk;
  ASSERT_TRUE(src->next(2, chunk));
  ASSERT_EQ(chunk.sequences.size(), 2u);
  EXPECT_EQ(chunk.sequences[0], "NACGTA");
  EXPECT_EQ(chunk.labels.rows[0], (std::vector<std::string>{"a", "chr1", "-1", "5", "1"}));
  EXPECT_EQ(chunk.padded_windows, 2);
  ASSERT_TRUE(src->next(2, chunk));
  EXPECT_EQ(chunk.sequences.size(), 1u);
  EXPECT_FALSE(src->next(2, chunk));
}

TEST(RealData, Chr20WindowsFromBgzipGenome) {
  std::string genome = seqnn::test::shared_data("dna/grch37_chr20/GRCh37.chr20.fa.gz");
  SKIP_WITHOUT_SHARED_DATA(genome);
  IndexedFasta g(genome);
  EXPECT_EQ(g.length("20"), 63025520);
  EXPECT_EQ(g.resolve("chr20"), "20");
  // The chromosome starts with 60,000 N (telomere); a window at the end runs off it.
  int64_t padded = 0;
  std::string tail = g.fetch("chr20", 63025520 - 500, 63025520 + 500, 'N', &padded);
  EXPECT_EQ(tail.size(), 1000u);
  EXPECT_EQ(padded, 500);
  std::string mid = g.fetch("20", 30000000, 30001000);
  EXPECT_EQ(mid.find_first_not_of("ACGTNacgtn"), std::string::npos);
}

TEST(Fasta, ControlCharactersInANameAreRefusedWhereTheRecordIsRead) {
  // Issue 15: a NUL in a name was copied into the TSV outputs that name the record.
  TempDir dir;
  seqnn::test::write_text(dir.file("nul.fa"), std::string(">ok\nAC\n>na\0me\nGT\n", 17));
  EXPECT_EQ(seqnn::test::error_of([&] { read_records(dir.file("nul.fa")); }),
            dir.file("nul.fa") + ":3: record name 'na\\x00me' holds the control character \\x00 at byte 3 (names are copied into outputs)");
  seqnn::test::write_text(dir.file("esc.fa"), ">a\x1b[31m\nAC\n");
  EXPECT_NE(seqnn::test::error_of([&] { read_records(dir.file("esc.fa")); }).find(":1: record name"), std::string::npos);
  seqnn::test::write_text(dir.file("utf8.fa"), ">\xc2\xb5-seq desc\x01ok\nAC\n");  // UTF-8 names and odd descriptions are fine
  EXPECT_EQ(read_records(dir.file("utf8.fa")).at(0).name, "\xc2\xb5-seq");
}

TEST(IndexedFasta, AGenomeHtslibCannotIndexIsExplained) {
  // "recompress with bgzip" was said of every file htslib could not index, a byte-order mark,
  // an empty file and a non-FASTA file included.
  TempDir dir;
  seqnn::test::write_text(dir.file("bom.fa"), "\xEF\xBB\xBF>chr1\nACGT\n");
  seqnn::test::write_text(dir.file("empty.fa"), "");
  seqnn::test::write_text(dir.file("text.fa"), "hello\nworld\n");
  auto message = [](const std::string& path) { return seqnn::test::error_of([&] { IndexedFasta g(path); }); };
  EXPECT_EQ(message(dir.file("bom.fa")), dir.file("bom.fa") + ": starts with a UTF-8 byte-order mark, which htslib's FASTA index "
                                                              "cannot skip (remove the first 3 bytes)");
  EXPECT_EQ(message(dir.file("empty.fa")), dir.file("empty.fa") + ": empty file (no sequences to index)");
  EXPECT_EQ(message(dir.file("text.fa")),
            dir.file("text.fa") + ": not a FASTA file (it does not start with a '>' header), so it cannot be indexed");
}
