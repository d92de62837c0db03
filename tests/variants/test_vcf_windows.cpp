#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <memory>
#include <string>
#include <vector>

#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/variants/variant_windows.h"
#include "seqnn/variants/vcf.h"
#include "test_helpers.h"

// Named one by one (no using-directive), so the file reads the same in a unity batch.
using seqnn::Error;
using seqnn::IndexedFasta;
using seqnn::make_variant_windows;
using seqnn::Variant;
using seqnn::VcfReader;
using seqnn::test::TempDir;

namespace {

// Records are numbered 1..9; the expectations in Vcf.* tests refer to them by number.
const char kVcf[] =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=chr1,length=20>\n"
    "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    "chr1\t11\trs1\tg\tt\t.\tPASS\tDP=3\n"
    "chr1\t5\t.\tTGC\tT,TG\t.\t.\t.\n"
    "chr1\t7\tdel1\tC\t<DEL>\t.\t.\t.\n"
    "chr1\t8\t.\tA\t*\t.\t.\t.\n"
    "chr1\t9\t.\tA\tG]chr1:3]\t.\t.\t.\n"
    "chr1\t10\t.\tC\tX\t.\t.\t.\n"
    "chr1\t12\t.\tT\t.\t.\t.\t.\n"
    "chr1\t13\t.\tR\tA\t.\t.\t.\n"
    "chr1\t14\t.\tA\tG,<*>\t.\t.\t.\n";

// chr1, 0-based:   0123456789 0123456789
//                  ACGTTGCAAC GTCAGTACCA
// "2" is soft-masked (lowercase) and named without the "chr" prefix.
const char kSmallGenome[] = ">chr1\nACGTTGCAAC\nGTCAGTACCA\n>2\nacgtnacgt\n";

// Converts a VCF to BCF with htslib directly, so BCF input is tested against the same records.
void write_bcf(const std::string& vcf, const std::string& bcf) {
  htsFile* in = hts_open(vcf.c_str(), "r");
  ASSERT_NE(in, nullptr);
  bcf_hdr_t* hdr = bcf_hdr_read(in);
  ASSERT_NE(hdr, nullptr);
  htsFile* out = hts_open(bcf.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(bcf_hdr_write(out, hdr), 0);
  bcf1_t* rec = bcf_init();
  while (bcf_read(in, hdr, rec) == 0) ASSERT_EQ(bcf_write(out, hdr, rec), 0);
  bcf_destroy(rec);
  bcf_hdr_destroy(hdr);
  hts_close(out);
  hts_close(in);
}

std::vector<Variant> read_variants(const std::string& path) {
  VcfReader reader(path);
  std::vector<Variant> out;
  Variant v;
  while (reader.next(v)) out.push_back(v);
  return out;
}

Variant make_variant(const std::string& chrom, int64_t pos, const std::string& ref, const std::string& alt) {
  Variant v;
  v.chrom = chrom;
  v.pos = pos;
  v.ref = ref;
  v.alt = alt;
  return v;
}

}  // namespace

// Outside the anonymous namespace: the TEST_F classes below derive from it.
class VariantWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seqnn::test::write_text(dir_.file("g.fa"), kSmallGenome);
    genome_ = std::make_unique<IndexedFasta>(dir_.file("g.fa"));
  }
  seqnn::VariantWindows windows(const std::string& chrom, int64_t pos, const std::string& ref,
                         const std::string& alt, int64_t length) {
    return make_variant_windows(*genome_, make_variant(chrom, pos, ref, alt), length);
  }
  TempDir dir_;
  std::unique_ptr<IndexedFasta> genome_;
};

// ---------------------------------------------------------------- VCF reading

TEST(Vcf, ReadsPlainBgzipAndBcfAlike) {
  TempDir dir;
  seqnn::test::write_text(dir.file("a.vcf"), kVcf);
  seqnn::test::write_bgzip(dir.file("a.vcf.gz"), kVcf);
  write_bcf(dir.file("a.vcf"), dir.file("a.bcf"));
  for (const auto& name : {"a.vcf", "a.vcf.gz", "a.bcf"}) {
    auto vs = read_variants(dir.file(name));
    ASSERT_EQ(vs.size(), 11u) << name;
    EXPECT_EQ(vs[0].chrom, "chr1") << name;
    EXPECT_EQ(vs[0].pos, 11) << name;
    EXPECT_EQ(vs[0].id, "rs1") << name;
    EXPECT_EQ(vs[0].ref, "G") << name;  // uppercased from "g"
    EXPECT_EQ(vs[0].alt, "T") << name;
    EXPECT_EQ(vs[0].record, 1) << name;
    EXPECT_EQ(vs[0].problem, "") << name;
    EXPECT_TRUE(vs[0].is_snv()) << name;
    EXPECT_EQ(vs[0].key(), "chr1:11:G:T") << name;
    EXPECT_EQ(vs[1].id, ".") << name;
    EXPECT_EQ(vs[10].key(), "chr1:14:A:<*>") << name;
    EXPECT_EQ(vs[10].record, 9) << name;
    // QUAL, FILTER and INFO survive for the annotated VCF output, from text and from BCF alike.
    EXPECT_EQ(vs[0].filter, "PASS") << name;
    EXPECT_EQ(vs[0].info, "DP=3") << name;
    EXPECT_EQ(vs[0].qual, ".") << name;
    EXPECT_EQ(vs[1].info, ".") << name;
  }
}

TEST(Vcf, SplitsMultiAllelicRecords) {
  TempDir dir;
  seqnn::test::write_text(dir.file("a.vcf"), kVcf);
  auto vs = read_variants(dir.file("a.vcf"));
  ASSERT_EQ(vs.size(), 11u);
  EXPECT_EQ(vs[1].key(), "chr1:5:TGC:T");
  EXPECT_EQ(vs[2].key(), "chr1:5:TGC:TG");
  for (int i : {1, 2}) {
    EXPECT_EQ(vs[i].alt_index, i);
    EXPECT_EQ(vs[i].n_alts, 2);
    EXPECT_EQ(vs[i].record, 2);
    EXPECT_EQ(vs[i].problem, "");
    EXPECT_FALSE(vs[i].is_snv());
  }
  EXPECT_EQ(vs[0].alt_index, 1);
  EXPECT_EQ(vs[0].n_alts, 1);
  EXPECT_EQ(vs[9].alt_index, 1);
  EXPECT_EQ(vs[10].alt_index, 2);
  EXPECT_EQ(vs[10].n_alts, 2);
}

TEST(Vcf, ReportsUnscorableAllelesWithoutDroppingThem) {
  TempDir dir;
  seqnn::test::write_text(dir.file("a.vcf"), kVcf);
  auto vs = read_variants(dir.file("a.vcf"));
  ASSERT_EQ(vs.size(), 11u);
  EXPECT_EQ(vs[3].problem, "symbolic ALT <DEL> cannot be scored");
  EXPECT_EQ(vs[3].id, "del1");
  EXPECT_EQ(vs[4].problem, "ALT '*' (spanning deletion) cannot be scored");
  EXPECT_EQ(vs[5].problem, "symbolic ALT G]chr1:3] cannot be scored");
  EXPECT_EQ(vs[6].problem, "invalid base 'X' in ALT");
  EXPECT_EQ(vs[7].problem, "no ALT allele");
  EXPECT_EQ(vs[7].record, 7);
  EXPECT_EQ(vs[8].problem, "invalid base 'R' in REF");
  EXPECT_EQ(vs[9].problem, "");
  EXPECT_EQ(vs[10].problem, "symbolic ALT <*> cannot be scored");
}

TEST(Vcf, HeaderText) {
  TempDir dir;
  seqnn::test::write_bgzip(dir.file("a.vcf.gz"), kVcf);
  VcfReader reader(dir.file("a.vcf.gz"));
  std::string header = reader.header_text();
  EXPECT_EQ(header.rfind("##fileformat=VCFv4.2\n", 0), 0u) << header;
  EXPECT_NE(header.find("##contig=<ID=chr1,length=20>"), std::string::npos) << header;
  EXPECT_NE(header.find("#CHROM\tPOS\tID\tREF\tALT"), std::string::npos) << header;
  EXPECT_EQ(reader.path(), dir.file("a.vcf.gz"));
}

TEST(Vcf, MalformedRecordErrorNamesFileAndRecord) {
  const std::string header(kVcf, std::string(kVcf).find("chr1\t11"));
  const std::string good = "chr1\t11\t.\tG\tT\t.\t.\t.\n";
  // htslib 1.16 itself accepts the first three (as POS 0, POS 12 and a record without ALT).
  for (const std::string bad : {"chr1\tabc\t.\tA\tC\t.\t.\t.\n", "chr1\t12x\t.\tA\tC\t.\t.\t.\n",
                                "chr1\t5\t.\tA\n", "chr1\t99999999999999999999\t.\tA\tC\t.\t.\t.\n"}) {
    TempDir dir;
    seqnn::test::write_text(dir.file("bad.vcf"), header + good + bad);
    VcfReader reader(dir.file("bad.vcf"));
    Variant v;
    ASSERT_TRUE(reader.next(v));
    try {
      reader.next(v);
      ADD_FAILURE() << "expected an Error for " << bad;
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind(dir.file("bad.vcf") + ": record 2: ", 0), 0u) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }
}

TEST(Vcf, BinaryGarbageIsNotAVcfRatherThanAnExecFormatError) {
  TempDir dir;
  std::string garbage;
  for (int i = 0; i < 3000; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
  seqnn::test::write_text(dir.file("g.vcf"), garbage);
  try {
    VcfReader reader(dir.file("g.vcf"));
    ADD_FAILURE() << "garbage read as a VCF";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("g.vcf") + ": not a VCF or BCF file (content not recognised)");
  }
}

TEST(Vcf, OpenErrorsNameTheFile) {
  TempDir dir;
  seqnn::test::write_text(dir.file("noheader.vcf"), "chr1\t11\t.\tG\tT\t.\t.\t.\n");
  for (const auto& name : {"missing.vcf", "noheader.vcf"}) {
    try {
      VcfReader reader(dir.file(name));
      FAIL() << "expected an Error for " << name;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

// ---------------------------------------------------------------- windows

TEST_F(VariantWindowTest, SnvEvenLength) {
  // p = 10 (G), s = 10 - 4 = 6: genome[6, 14) = CAACGTCA.
  auto w = windows("chr1", 11, "G", "T", 8);
  EXPECT_EQ(w.start, 6);
  EXPECT_EQ(w.ref_seq, "CAACGTCA");
  EXPECT_EQ(w.alt_seq, "CAACTTCA");
  EXPECT_EQ(w.padded, 0);
  EXPECT_EQ(w.chrom, "chr1");
  EXPECT_EQ(w.genome_ref, "G");
  EXPECT_TRUE(w.ref_matches);
}

TEST_F(VariantWindowTest, SnvOddLength) {
  // p = 10 (G), s = 10 - 3 = 7: genome[7, 14) = AACGTCA.
  auto w = windows("chr1", 11, "G", "T", 7);
  EXPECT_EQ(w.start, 7);
  EXPECT_EQ(w.ref_seq, "AACGTCA");
  EXPECT_EQ(w.alt_seq, "AACTTCA");
  EXPECT_TRUE(w.ref_matches);
}

TEST_F(VariantWindowTest, SnvDiffersOnlyAtTheCentre) {
  for (int64_t length : {1, 2, 5, 6, 9, 10}) {
    auto w = windows("chr1", 11, "G", "C", length);
    ASSERT_EQ(w.ref_seq.size(), static_cast<size_t>(length));
    ASSERT_EQ(w.alt_seq.size(), static_cast<size_t>(length));
    for (int64_t i = 0; i < length; ++i) {
      if (i == length / 2) {
        EXPECT_EQ(w.ref_seq[i], 'G') << "L=" << length;
        EXPECT_EQ(w.alt_seq[i], 'C') << "L=" << length;
      } else {
        EXPECT_EQ(w.ref_seq[i], w.alt_seq[i]) << "L=" << length << " i=" << i;
      }
    }
  }
}

TEST_F(VariantWindowTest, Deletion) {
  // p = 4, REF TGC = genome[4, 7); s = 0. alt = ACGT + T + genome[7, 10) = AAC.
  auto w = windows("chr1", 5, "TGC", "T", 8);
  EXPECT_EQ(w.start, 0);
  EXPECT_EQ(w.ref_seq, "ACGTTGCA");
  EXPECT_EQ(w.alt_seq, "ACGTTAAC");
  EXPECT_EQ(w.genome_ref, "TGC");
  EXPECT_TRUE(w.ref_matches);
  EXPECT_EQ(w.padded, 0);
  // p = 6, REF CAA = genome[6, 9); s = 1. alt = CGTTG + C + genome[9, 13) = CGTC.
  w = windows("chr1", 7, "CAA", "C", 10);
  EXPECT_EQ(w.ref_seq, "CGTTGCAACG");
  EXPECT_EQ(w.alt_seq, "CGTTGCCGTC");
}

TEST_F(VariantWindowTest, Insertion) {
  // p = 6 (C), s = 1. alt = CGTTG + CTT + genome[7, 9) = AA.
  auto w = windows("chr1", 7, "C", "CTT", 10);
  EXPECT_EQ(w.start, 1);
  EXPECT_EQ(w.ref_seq, "CGTTGCAACG");
  EXPECT_EQ(w.alt_seq, "CGTTGCTTAA");
  EXPECT_TRUE(w.ref_matches);
  // An insertion longer than the right half is cut: p = 4, s = 0, ACGT + TGGA fills all 8.
  w = windows("chr1", 5, "T", "TGGAC", 8);
  EXPECT_EQ(w.alt_seq, "ACGTTGGA");
}

TEST_F(VariantWindowTest, RefMismatchIsReportedNotThrown) {
  auto w = windows("chr1", 11, "A", "T", 8);
  EXPECT_FALSE(w.ref_matches);
  EXPECT_EQ(w.genome_ref, "G");
  EXPECT_EQ(w.ref_seq, "CAACGTCA");
  w = windows("chr1", 5, "TGA", "T", 8);  // genome has TGC
  EXPECT_FALSE(w.ref_matches);
  EXPECT_EQ(w.genome_ref, "TGC");
}

TEST_F(VariantWindowTest, PaddedAtChromosomeStart) {
  // p = 1, s = -3: three N's, then genome[0, 5).
  auto w = windows("chr1", 2, "C", "G", 8);
  EXPECT_EQ(w.start, -3);
  EXPECT_EQ(w.ref_seq, "NNNACGTT");
  EXPECT_EQ(w.alt_seq, "NNNAGGTT");
  EXPECT_EQ(w.padded, 3);
}

TEST_F(VariantWindowTest, PaddedAtChromosomeEnd) {
  // p = 19 (last base), s = 16: genome[16, 20) then three N's.
  auto w = windows("chr1", 20, "A", "T", 7);
  EXPECT_EQ(w.ref_seq, "ACCANNN");
  EXPECT_EQ(w.alt_seq, "ACCTNNN");
  EXPECT_EQ(w.padded, 3);
  // A deletion pulls the right flank past the end in the alt window only: p = 13, s = 7,
  // ref = genome[7, 19) (no N), alt = AACGTC + A + genome[16, 21) = ACCA + N.
  w = windows("chr1", 14, "AGT", "A", 12);
  EXPECT_EQ(w.ref_seq, "AACGTCAGTACC");
  EXPECT_EQ(w.alt_seq, "AACGTCAACCAN");
  EXPECT_EQ(w.padded, 1);
}

TEST_F(VariantWindowTest, ReconcilesChromosomeNamesAndCase) {
  auto w = windows("1", 11, "G", "T", 8);
  EXPECT_EQ(w.chrom, "chr1");
  EXPECT_EQ(w.ref_seq, "CAACGTCA");
  // "2" is stored lowercase: REF is compared case-insensitively.
  w = windows("chr2", 2, "C", "T", 3);
  EXPECT_EQ(w.chrom, "2");
  EXPECT_EQ(w.genome_ref, "C");
  EXPECT_TRUE(w.ref_matches);
  EXPECT_EQ(w.ref_seq, "acg");
  EXPECT_EQ(w.alt_seq, "aTg");
}

TEST_F(VariantWindowTest, UnknownChromosomeThrowsNamingGenomeAndVariant) {
  try {
    windows("chrX", 3, "G", "T", 8);
    FAIL() << "expected an Error for chrX";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(dir_.file("g.fa")), std::string::npos) << msg;
    EXPECT_NE(msg.find("chrX:3:G:T"), std::string::npos) << msg;
  }
}

TEST_F(VariantWindowTest, UnscorableVariantThrowsInsteadOfSplicingText) {
  Variant v = make_variant("chr1", 7, "C", "<DEL>");
  v.problem = "symbolic ALT <DEL> cannot be scored";
  try {
    make_variant_windows(*genome_, v, 8);
    FAIL() << "expected an Error for <DEL>";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("chr1:7:C:<DEL>"), std::string::npos) << msg;
    EXPECT_NE(msg.find("symbolic ALT <DEL>"), std::string::npos) << msg;
  }
}

// ---------------------------------------------------------------- real data

namespace {

// Every variant must be a scorable one of the expected kind whose REF matches the genome.
int64_t check_against_genome(const std::string& vcf, const IndexedFasta& genome, bool snvs) {
  int64_t n = 0;
  for (const Variant& v : read_variants(vcf)) {
    EXPECT_EQ(v.problem, "") << v.key();
    EXPECT_EQ(v.is_snv(), snvs) << v.key();
    EXPECT_EQ(v.chrom, "20") << v.key();
    auto w = make_variant_windows(genome, v, 1000);
    EXPECT_TRUE(w.ref_matches) << v.key() << " genome has " << w.genome_ref;
    EXPECT_EQ(w.ref_seq.size(), 1000u);
    EXPECT_EQ(w.alt_seq.size(), 1000u);
    EXPECT_EQ(w.chrom, "20");
    ++n;
  }
  return n;
}

}  // namespace

TEST(RealData, IndelsMatchGrch37Chr20) {
  std::string dir = seqnn::test::shared_data("dna/grch37_chr20");
  SKIP_WITHOUT_SHARED_DATA(dir);
  IndexedFasta genome(dir + "/GRCh37.chr20.fa.gz");
  EXPECT_EQ(check_against_genome(dir + "/indels_vt_example.vcf.gz", genome, false), 194);
}

TEST(RealData, GonlSnvsMatchGrch37Chr20) {
  std::string dir = seqnn::test::shared_data("dna/grch37_chr20");
  SKIP_WITHOUT_SHARED_DATA(dir);
  IndexedFasta genome(dir + "/GRCh37.chr20.fa.gz");
  EXPECT_EQ(check_against_genome(dir + "/gonl_chr20_example.vcf.gz", genome, true), 7);
}

TEST(RealData, ChrPrefixedNamesResolveToTheGenome) {
  std::string dir = seqnn::test::shared_data("dna/grch37_chr20");
  SKIP_WITHOUT_SHARED_DATA(dir);
  IndexedFasta genome(dir + "/GRCh37.chr20.fa.gz");
  EXPECT_EQ(genome.resolve("chr20"), "20");
  VcfReader reader(dir + "/gonl_chr20_example.vcf.gz");
  Variant v;
  ASSERT_TRUE(reader.next(v));
  auto plain = make_variant_windows(genome, v, 1000);
  v.chrom = "chr20";
  auto prefixed = make_variant_windows(genome, v, 1000);
  EXPECT_EQ(prefixed.chrom, "20");
  EXPECT_TRUE(prefixed.ref_matches);
  EXPECT_EQ(prefixed.ref_seq, plain.ref_seq);
  EXPECT_EQ(prefixed.alt_seq, plain.alt_seq);
}

TEST(Vcf, AByteOrderMarkIsNamedAsTheReasonHtslibCannotRead) {
  // htslib does not skip a UTF-8 byte-order mark (an editor's): "not a VCF or BCF file" said
  // nothing of why.
  TempDir dir;
  seqnn::test::write_text(dir.file("bom.vcf"), "\xEF\xBB\xBF##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
  EXPECT_EQ(seqnn::test::error_of([&] { VcfReader v(dir.file("bom.vcf")); }),
            dir.file("bom.vcf") + ": starts with a UTF-8 byte-order mark, which htslib does not read as VCF (remove the first 3 bytes)");
}
