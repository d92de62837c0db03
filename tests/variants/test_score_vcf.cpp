// score_vcf, SkipLog and the score-variants helpers: seqnn score-variants as a library call.
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/files.h"
#include "seqnn/variants/score_vcf.h"
#include "seqnn/variants/skip_log.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::TempDir;

namespace {

// chr1 of 1000 random bases, and a VCF over it: `good` matching SNVs and one REF mismatch.
struct SmallCase {
  TempDir dir;
  std::string chrom = random_sequences(1, 1000, Alphabet::dna(), 77)[0];
  std::string genome = dir.file("g.fa"), vcf = dir.file("v.vcf");
  explicit SmallCase(int good) {
    seqnn::test::write_text(genome, ">chr1\n" + chrom + "\n");
    std::string text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    for (int i = 0; i < good; ++i) text += snv(300 + 10 * i, base(300 + 10 * i));
    text += snv(600, base(600) == 'A' ? 'C' : 'A');  // wrong REF
    seqnn::test::write_text(vcf, text);
  }
  char base(int64_t pos) const { return chrom[static_cast<size_t>(pos - 1)]; }
  std::string snv(int64_t pos, char ref) const {
    const char alt = ref == 'G' ? 'T' : 'G';
    return "chr1\t" + std::to_string(pos) + "\t.\t" + std::string(1, ref) + "\t" + std::string(1, alt) + "\t.\t.\t.\n";
  }
};

VcfScoringOptions options(const std::string& out, int64_t chunk) {
  VcfScoringOptions o;
  o.scoring.length = 200;
  o.scoring.predict.batch_size = 3;
  o.chunk = chunk;
  o.out = out;
  o.input_name = "v.vcf";
  o.show_progress = false;
  return o;
}

}  // namespace

TEST(ScoreVcf, ChunkedScoresEqualOneScorerCallAndSkipsAreListed) {
  SmallCase c(5);
  Model m = Model::load(fixture("deepsea_small.pt"));
  IndexedFasta genome(c.genome);
  VcfReader vcf(c.vcf);
  VcfScoringOptions o = options(c.dir.file("s.tsv"), 2);
  o.scoring.targets = {"task3", "0"};
  VcfScoringResult r = score_vcf(m, genome, vcf, o);
  EXPECT_EQ(r.read, 6);
  EXPECT_EQ(r.scored, 5);
  EXPECT_EQ(r.skipped, 1);
  EXPECT_EQ(r.targets, (std::vector<std::string>{"task3", "task0"}));
  EXPECT_EQ(r.files, (std::vector<std::string>{c.dir.file("s.tsv")}));
  EXPECT_NE(r.skip_report.find("skipped 1 variants (1 REF mismatch), listed in " + c.dir.file("s.skipped.tsv")),
            std::string::npos) << r.skip_report;
  EXPECT_TRUE(seqnn::test::exists(c.dir.file("s.skipped.tsv")));

  // The same variants in one chunk, straight through the scorer.
  VcfReader again(c.vcf);
  std::vector<Variant> all;
  Variant v;
  while (again.next(v)) all.push_back(v);
  VariantScorer scorer(m, genome, o.scoring);
  ScoredChunk direct = scorer.score(all);
  auto lines = split(seqnn::test::read_text(c.dir.file("s.tsv")), '\n');
  ASSERT_GE(lines.size(), 6u);
  EXPECT_EQ(lines[0], "chrom\tpos\tid\tref\talt\tpadded\tdiff.task3\tdiff.task0");
  for (int64_t i = 0; i < 5; ++i) {
    auto fields = split(lines[static_cast<size_t>(i + 1)], '\t');
    EXPECT_NEAR(std::stod(fields[6]), direct.scores[0][i][0].item<double>(), 1e-5);
    EXPECT_NEAR(std::stod(fields[7]), direct.scores[0][i][1].item<double>(), 1e-5);
  }
}

TEST(ScoreVcf, EmptyVcfIsAnErrorAndLeavesNoOutput) {
  SmallCase c(0);
  seqnn::test::write_text(c.vcf, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
  Model m = Model::load(fixture("deepsea_small.pt"));
  IndexedFasta genome(c.genome);
  VcfReader vcf(c.vcf);
  EXPECT_EQ(error_of([&] { score_vcf(m, genome, vcf, options(c.dir.file("s.tsv"), 4)); }), "v.vcf: no variants");
  EXPECT_FALSE(seqnn::test::exists(c.dir.file("s.tsv")));
}

TEST(SkipLog, CountsKindsKeepsFiveExamplesAndWritesOnlyWhenNeeded) {
  TempDir dir;
  {
    SkipLog none(dir.file("none.tsv"));
    none.close();
    EXPECT_EQ(none.report(), "");
  }
  EXPECT_FALSE(seqnn::test::exists(dir.file("none.tsv")));
  SkipLog log(dir.file("skip.tsv"));
  std::vector<SkippedVariant> skipped;
  for (int i = 0; i < 6; ++i) {
    Variant v;
    v.chrom = "1";
    v.pos = 10 + i;
    v.ref = "A";
    v.alt = "C";
    v.record = i + 1;
    skipped.push_back({v, i < 4 ? "REF A does not match the genome (G)" : "chromosome '1' is not in the genome g.fa"});
  }
  log.add(skipped);
  log.close();
  EXPECT_EQ(log.total(), 6);
  const std::string report = log.report();
  EXPECT_EQ(report.substr(0, report.find('\n')),
            "seqnn score-variants: skipped 6 variants (4 REF mismatch, 2 unknown chromosome), listed in " + dir.file("skip.tsv") + ":");
  EXPECT_EQ(std::count(report.begin(), report.end(), '\n'), 7);  // header, five examples, "..."
  EXPECT_EQ(split(seqnn::test::read_text(dir.file("skip.tsv")), '\n').size(), 7u + 1u);
}

TEST(ScoreVcf, WindowLengthAndOutputStem) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  EXPECT_EQ(variant_window_length(0, m.info()), 200);
  EXPECT_EQ(variant_window_length(200, m.info()), 200);
  EXPECT_NE(error_of([&] { variant_window_length(100, m.info()); }).find("--length 100 does not match"), std::string::npos);
  EXPECT_EQ(output_stem("out/s.vcf.gz"), "out/s");
  EXPECT_EQ(output_stem("s.npy"), "s");
  EXPECT_EQ(output_stem("s.txt"), "s.txt");
}

TEST(ScoreVcf, AllelesLongerThanTheWindowAreSkippedNotScored) {
  // A 250-base deletion in a 200-base window: neither window holds the variant whole.
  SmallCase c(1);
  const std::string del = c.chrom.substr(399, 250), ins = std::string(1, c.base(450)) + std::string(250, 'A');
  seqnn::test::write_text(c.vcf, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                                 "chr1\t400\tdel\t" + del + "\t" + del.substr(0, 1) + "\t.\t.\t.\n"
                                 "chr1\t450\tins\t" + ins.substr(0, 1) + "\t" + ins + "\t.\t.\t.\n" +
                                 c.snv(300, c.base(300)));
  Model m = Model::load(fixture("deepsea_small.pt"));
  IndexedFasta genome(c.genome);
  VcfReader vcf(c.vcf);
  std::vector<Variant> all;
  for (Variant v; vcf.next(v);) all.push_back(v);
  VariantScorer scorer(m, genome, options(c.dir.file("s.tsv"), 10).scoring);
  const ScoredChunk chunk = scorer.score(all);
  ASSERT_EQ(chunk.skipped.size(), 2u);
  EXPECT_EQ(chunk.skipped[0].reason, "an allele of 250 bases is longer than the window (200)");
  EXPECT_EQ(chunk.skipped[1].reason, "an allele of 251 bases is longer than the window (200)");
  EXPECT_EQ(chunk.variants.size(), 1u);
}
