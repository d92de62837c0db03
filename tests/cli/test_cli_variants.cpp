// seqnn ism and seqnn score-variants end to end, checked against windows and mutants built
// independently in the test and run through the model directly.
#include <htslib/bgzf.h>

#include <map>
#include <sstream>

#include "seqnn/inference/predict.h"
#include "seqnn/models/model.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::run_cli;
using seqnn::test::TempDir;

namespace {

constexpr int64_t kL = 200;  // deepsea_small's input length

// A 1000-base random chromosome "chr1" and a VCF naming it "1" (names must be reconciled).
struct VariantCase {
  TempDir dir;
  std::string chrom_seq;
  std::string genome, vcf;
  VariantCase() {
    chrom_seq = random_sequences(1, 1000, Alphabet::dna(), 77)[0];
    genome = dir.file("g.fa");
    seqnn::test::write_text(genome, ">chr1\n" + chrom_seq + "\n");
    vcf = dir.file("v.vcf");
  }
  char base(int64_t pos1) const { return chrom_seq[static_cast<size_t>(pos1 - 1)]; }
  char other(int64_t pos1) const { return base(pos1) == 'A' ? 'C' : 'A'; }
  std::string header() const {
    return "##fileformat=VCFv4.2\n##contig=<ID=1,length=1000>\n"
           "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  }
  std::string line(int64_t pos, const std::string& ref, const std::string& alt, const std::string& id = ".") const {
    return "1\t" + std::to_string(pos) + "\t" + id + "\t" + ref + "\t" + alt + "\t50\tPASS\tDP=7\n";
  }
  // The reference and alternative windows by the documented rule, built with plain strings.
  std::pair<std::string, std::string> windows(int64_t pos, const std::string& ref, const std::string& alt) const {
    const int64_t p = pos - 1, s = p - kL / 2;
    auto g = [&](int64_t i) { return i < 0 || i >= 1000 ? 'N' : chrom_seq[static_cast<size_t>(i)]; };
    std::string r, a;
    for (int64_t i = s; i < s + kL; ++i) r += g(i);
    for (int64_t i = s; i < p; ++i) a += g(i);
    a += alt;
    for (int64_t i = p + static_cast<int64_t>(ref.size()); static_cast<int64_t>(a.size()) < kL; ++i) a += g(i);
    return {r, a.substr(0, kL)};
  }
};

std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(seqnn::test::read_text(path));
  std::string line;
  while (std::getline(in, line)) rows.push_back(split(line, '\t'));
  return rows;
}

at::Tensor predict_seqs(Model& m, const std::vector<std::string>& seqs) {
  return predict(m, one_hot_encode(seqs, Alphabet::dna())).tensor();
}

}  // namespace

TEST(CliScoreVariants, TsvMatchesDirectPredictionAndSkipsMismatches) {
  VariantCase c;
  std::string body = c.header();
  body += c.line(500, std::string(1, c.base(500)), std::string(1, c.other(500)), "snv");
  body += c.line(510, std::string(1, c.other(510)), "G", "mismatch");  // REF does not match
  body += c.line(520, std::string(1, c.base(520)), "<DEL>", "symbolic");
  body += c.line(530, c.chrom_seq.substr(529, 3), std::string(1, c.base(530)), "del");  // 2-base deletion
  body += c.line(540, std::string(1, c.base(540)), std::string(1, c.base(540)) + "TTT", "ins");
  body += c.line(20, std::string(1, c.base(20)), std::string(1, c.other(20)), "edge");  // window runs off
  body += c.line(600, std::string(1, c.base(600)), "A,C,G,T", "multi");
  seqnn::test::write_text(c.vcf, body);
  const std::string out = c.dir.file("s.tsv");
  auto r = run_cli("score-variants -m " + fixture("deepsea_small.pt") + " -g " + c.genome + " -v " + c.vcf + " -o " + out +
                   " --scores ref alt diff log2fc --batch-size 3 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("REF mismatch"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 windows padded"), std::string::npos) << r.output;

  auto rows = read_tsv(out);
  ASSERT_EQ(rows[0][0], "chrom");
  ASSERT_EQ(rows[0][6], "ref.task0");  // the fixture names its outputs task0..task11
  // snv, del, ins, edge, and multi split into 3 scorable ALTs (the REF-identical one is not a variant).
  ASSERT_EQ(rows.size(), 1u + 4u + 3u);
  auto skipped = read_tsv(c.dir.file("s.skipped.tsv"));
  ASSERT_EQ(skipped.size(), 4u);  // header, mismatch, symbolic, multi's ALT == REF
  EXPECT_EQ(skipped[1][2], "mismatch");
  EXPECT_EQ(skipped[2][2], "symbolic");
  EXPECT_EQ(skipped[3][2], "multi");

  Model m = Model::load(fixture("deepsea_small.pt"));
  std::vector<std::string> refs, alts;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto [rw, aw] = c.windows(std::stoll(rows[i][1]), rows[i][3], rows[i][4]);
    refs.push_back(rw);
    alts.push_back(aw);
  }
  at::Tensor pr = predict_seqs(m, refs), pa = predict_seqs(m, alts);
  for (size_t i = 1; i < rows.size(); ++i) {
    const int64_t v = static_cast<int64_t>(i - 1);
    for (int64_t t = 0; t < 12; ++t) {
      const double ref = pr[v][t].item<double>(), alt = pa[v][t].item<double>();
      EXPECT_NEAR(std::stod(rows[i][6 + t]), ref, 1e-5);
      EXPECT_NEAR(std::stod(rows[i][6 + 24 + t]), alt - ref, 1e-5) << rows[i][2];
      EXPECT_NEAR(std::stod(rows[i][6 + 36 + t]), std::log2((alt + 1e-6) / (ref + 1e-6)), 1e-4);
    }
  }
  EXPECT_EQ(rows[4][2], "edge");
  EXPECT_EQ(rows[4][5], "81");  // positions -81..-1 padded
}

TEST(CliScoreVariants, TargetsRcVcfAndNpyOutputs) {
  VariantCase c;
  std::string body = c.header();
  for (int64_t pos : {300, 400, 450}) body += c.line(pos, std::string(1, c.base(pos)), std::string(1, c.other(pos)));
  seqnn::test::write_text(c.vcf, body);
  const std::string base = "score-variants -m " + fixture("deepsea_small.pt") + " -g " + c.genome + " -v " + c.vcf + " -q";
  ASSERT_EQ(run_cli(base + " -o " + c.dir.file("all.tsv") + " --rc mean").exit_code, 0);
  auto sub = run_cli(base + " -o " + c.dir.file("sub.tsv") + " --rc mean --target 3 0");
  ASSERT_EQ(sub.exit_code, 0) << sub.output;
  auto all = read_tsv(c.dir.file("all.tsv")), part = read_tsv(c.dir.file("sub.tsv"));
  ASSERT_EQ(part[0].size(), 8u);
  EXPECT_EQ(part[0][6], "diff.task3");
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(part[i][6], all[i][6 + 3]);
    EXPECT_EQ(part[i][7], all[i][6 + 0]);
  }
  // --rc mean is the mean of both strands' predictions (reverse complement built from strings).
  Model m = Model::load(fixture("deepsea_small.pt"));
  auto [rw, aw] = c.windows(300, std::string(1, c.base(300)), std::string(1, c.other(300)));
  at::Tensor ref = (predict_seqs(m, {rw}) + predict_seqs(m, {reverse_complement(rw)})) / 2;
  at::Tensor alt = (predict_seqs(m, {aw}) + predict_seqs(m, {reverse_complement(aw)})) / 2;
  EXPECT_NEAR(std::stod(all[1][6 + 5]), (alt - ref)[0][5].item<double>(), 1e-5);

  ASSERT_EQ(run_cli(base + " -o " + c.dir.file("s.vcf.gz") + " --target 1").exit_code, 0);
  BGZF* f = bgzf_open(c.dir.file("s.vcf.gz").c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string text(1 << 16, '\0');
  text.resize(static_cast<size_t>(bgzf_read(f, text.data(), text.size())));
  bgzf_close(f);
  EXPECT_NE(text.find("##INFO=<ID=SEQNN_diff_task1,Number=1,Type=Float"), std::string::npos) << text;
  EXPECT_NE(text.find("##contig=<ID=1,length=1000>"), std::string::npos);
  EXPECT_NE(text.find("\t50\tPASS\tDP=7;SEQNN_padded=0;SEQNN_diff_task1="), std::string::npos) << text;
  int records = 0;
  for (const auto& line : split(text, '\n')) records += !line.empty() && line[0] != '#';
  EXPECT_EQ(records, 3);

  ASSERT_EQ(run_cli(base + " -o " + c.dir.file("s.npy") + " --scores diff abs_diff --mc-samples 4").exit_code, 0);
  EXPECT_EQ(load_npy(c.dir.file("s.diff.npy")).sizes(), (std::vector<int64_t>{3, 12}));
  at::Tensor sd = load_npy(c.dir.file("s.diff_sd.npy"));
  EXPECT_EQ(sd.sizes(), (std::vector<int64_t>{3, 12}));
  EXPECT_GT(sd.min().item<double>(), 0.0);  // dropout active
  EXPECT_TRUE(seqnn::test::exists(c.dir.file("s.rows.tsv")));
}

TEST(CliScoreVariants, BadInputsLeaveNoCompleteOutput) {
  VariantCase c;
  seqnn::test::write_text(c.vcf, c.header() + c.line(300, std::string(1, c.base(300)), "T") + "1\tabc\t.\tA\tC\t.\t.\t.\n");
  const std::string out = c.dir.file("s.tsv");
  auto r = run_cli("score-variants -m " + fixture("deepsea_small.pt") + " -g " + c.genome + " -v " + c.vcf + " -o " + out + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("record 2"), std::string::npos) << r.output;
  EXPECT_FALSE(seqnn::test::exists(out));
  EXPECT_FALSE(seqnn::test::exists(out + ".partial"));
  auto t = run_cli("score-variants -m " + fixture("deepsea_small.pt") + " -g " + c.genome + " -v " + c.vcf + " -o " + out +
                   " --target nosuch -q");
  EXPECT_NE(t.output.find("--target: 'nosuch'"), std::string::npos) << t.output;
  auto k = run_cli("score-variants -m " + fixture("flatten_dense.pt") + " -g " + c.genome + " -v " + c.vcf + " -o " + out +
                   " --mc-samples 3 -q");
  EXPECT_NE(k.exit_code, 0);
  EXPECT_NE(k.output.find("dropout"), std::string::npos) << k.output;
}

TEST(CliIsm, MatchesBruteForceMutantsAndWritesAllModes) {
  TempDir dir;
  auto seqs = random_sequences(3, kL, Alphabet::dna(), 5);
  std::string fasta;
  for (size_t i = 0; i < seqs.size(); ++i) fasta += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  seqnn::test::write_text(dir.file("x.fa"), fasta);
  const std::string base = "ism -m " + fixture("deepsea_small.pt") + " -f " + dir.file("x.fa") + " --start 90 --end 110 -q";
  auto r = run_cli(base + " --mode diff --target 2 7 --chunk 2 --batch-size 7 -o " + dir.file("d.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  at::Tensor d = load_npy(dir.file("d.npy"));
  ASSERT_EQ(d.sizes(), (std::vector<int64_t>{3, 20, 4, 2}));
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor ref = predict_seqs(m, seqs);
  const std::string acgt = "ACGT";
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t p = 90; p < 110; p += 7) {
      for (int64_t a = 0; a < 4; ++a) {
        std::string mut = seqs[static_cast<size_t>(i)];
        mut[static_cast<size_t>(p)] = acgt[static_cast<size_t>(a)];
        at::Tensor y = predict_seqs(m, {mut});
        EXPECT_NEAR(d[i][p - 90][a][0].item<double>(), (y[0][2] - ref[i][2]).item<double>(), 1e-5);
        EXPECT_NEAR(d[i][p - 90][a][1].item<double>(), (y[0][7] - ref[i][7]).item<double>(), 1e-5);
      }
    }
  }
  ASSERT_EQ(run_cli(base + " --mode attribution --target 2 -o " + dir.file("a.npy")).exit_code, 0);
  EXPECT_EQ(load_npy(dir.file("a.npy")).sizes(), (std::vector<int64_t>{3, 4, 20}));
  ASSERT_EQ(run_cli(base + " --mode raw -o " + dir.file("r.npy")).exit_code, 0);
  EXPECT_EQ(load_npy(dir.file("r.mutants.npy")).sizes(), (std::vector<int64_t>{3, 20, 4, 12}));
  EXPECT_EQ(load_npy(dir.file("r.reference.npy")).sizes(), (std::vector<int64_t>{3, 12}));
  auto mc = run_cli(base + " --target 0 --mc-samples 3 -o " + dir.file("m.npy"));
  ASSERT_EQ(mc.exit_code, 0) << mc.output;
  EXPECT_EQ(load_npy(dir.file("m.diff_sd.npy")).sizes(), (std::vector<int64_t>{3, 20, 4, 1}));
  EXPECT_EQ(read_tsv(dir.file("m.rows.tsv")).size(), 4u);
}

TEST(CliPredict, McSamplesWriteMeanAndSd) {
  TempDir dir;
  auto seqs = random_sequences(5, kL, Alphabet::dna(), 6);
  std::string fasta;
  for (size_t i = 0; i < seqs.size(); ++i) fasta += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  seqnn::test::write_text(dir.file("x.fa"), fasta);
  const std::string base = "predict -m " + fixture("deepsea_small.pt") + " -f " + dir.file("x.fa") + " --mc-samples 6 -q --batch-size 2";
  ASSERT_EQ(run_cli(base + " --chunk 2 -o " + dir.file("a.npy")).exit_code, 0);
  ASSERT_EQ(run_cli(base + " --chunk 3 -o " + dir.file("b.npy")).exit_code, 0);
  // --chunk is rounded to whole batches, so the masks (and results) do not depend on it.
  EXPECT_TENSOR_NEAR(load_npy(dir.file("a.npy")), load_npy(dir.file("b.npy")), 0.0);
  EXPECT_TENSOR_NEAR(load_npy(dir.file("a.sd.npy")), load_npy(dir.file("b.sd.npy")), 0.0);
  EXPECT_GT(load_npy(dir.file("a.sd.npy")).min().item<double>(), 0.0);
}

TEST(RealData, ScoreChr20VariantsAllRefsMatch) {
  std::string genome = seqnn::test::shared_data("dna/grch37_chr20/GRCh37.chr20.fa.gz");
  SKIP_WITHOUT_SHARED_DATA(genome);
  TempDir dir;
  const std::string config = std::string(SEQNN_FIXTURES_DIR) + "/../../configs/small_cnn.json";
  ASSERT_EQ(run_cli("init-model -c " + config + " -o " + dir.file("m.seqnn")).exit_code, 0);
  for (const char* vcf : {"indels_vt_example.vcf.gz", "gonl_chr20_example.vcf.gz"}) {
    auto r = run_cli("score-variants -m " + dir.file("m.seqnn") + " -g " + genome + " -v " +
                     seqnn::test::shared_data(std::string("dna/grch37_chr20/") + vcf) + " -o " + dir.file("s.tsv") + " -q");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(" 0 skipped"), std::string::npos) << vcf << ": " << r.output;
  }
}

TEST(CliScoreVariants, IsmEngineIncrementalEqualsNaiveAndSaysWhyWhenItCannotRun) {
  VariantCase c;
  std::string body = c.header();
  for (int64_t pos : {20, 300, 301, 450, 990}) body += c.line(pos, std::string(1, c.base(pos)), std::string(1, c.other(pos)));
  body += c.line(530, c.chrom_seq.substr(529, 3), std::string(1, c.base(530)), "del");
  body += c.line(540, std::string(1, c.base(540)), std::string(1, c.base(540)) + "TTT", "ins");
  seqnn::test::write_text(c.vcf, body);
  // Chunks of 4 put an indel beside SNVs in the second chunk.
  const std::string base = "score-variants -m " + fixture("deepsea_small.pt") + " -g " + c.genome + " -v " + c.vcf +
                           " --scores ref alt diff --rc mean --batch-size 3 --chunk 4 -q";
  auto naive = run_cli(base + " -o " + c.dir.file("naive.tsv") + " --ism-engine naive");
  auto fast = run_cli(base + " -o " + c.dir.file("fast.tsv") + " --ism-engine incremental");
  ASSERT_EQ(naive.exit_code, 0) << naive.output;
  ASSERT_EQ(fast.exit_code, 0) << fast.output;
  EXPECT_NE(naive.output.find("7 scored (0 on the incremental engine)"), std::string::npos) << naive.output;
  EXPECT_NE(fast.output.find("7 scored (5 on the incremental engine)"), std::string::npos) << fast.output;
  auto a = read_tsv(c.dir.file("naive.tsv")), b = read_tsv(c.dir.file("fast.tsv"));
  ASSERT_EQ(a.size(), 8u);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a[0], b[0]);
  for (size_t i = 1; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size());
    for (size_t k = 0; k < 6; ++k) EXPECT_EQ(a[i][k], b[i][k]);
    for (size_t k = 6; k < a[i].size(); ++k) EXPECT_NEAR(std::stod(a[i][k]), std::stod(b[i][k]), 1e-5) << a[0][k];
  }

  // A model the engine cannot run: auto says why once, incremental refuses.
  const std::string lstm = "score-variants -m " + fixture("ism/lstm_head.pt") + " -g " + c.genome + " -v " + c.vcf +
                           " --length 40 --chunk 2 -q -o " + c.dir.file("lstm.tsv");
  auto autod = run_cli(lstm);
  ASSERT_EQ(autod.exit_code, 0) << autod.output;
  const std::string note = "seqnn score-variants: full forward passes: the model's aten::transpose";
  const size_t at = autod.output.find(note);
  EXPECT_NE(at, std::string::npos) << autod.output;
  EXPECT_EQ(autod.output.find(note, at + 1), std::string::npos) << autod.output;
  auto refused = run_cli(lstm + " --ism-engine incremental");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("the incremental engine cannot run"), std::string::npos) << refused.output;
}

// Issue 15 (weak list): REF == ALT is not a variant; POS 0 or past the chromosome end is a
// coordinate error, not a "REF mismatch"; a BED interval wholly past the end is not all-N.
TEST(ScoreVariantsCli, NonVariantsAndOutOfRangePositionsAreSkippedWithTheirReason) {
  VariantCase c;
  std::string ref100(1, c.base(100));
  seqnn::test::write_text(c.vcf, c.header() + c.line(100, ref100, ref100, "same") + c.line(1001, "A", "C", "over") +
                                     c.line(500, std::string(1, c.base(500)), std::string(1, c.other(500)), "fine"));
  auto r = run_cli("score-variants -m " + fixture("deepsea_small.pt") + " -g " + c.genome + " --vcf " + c.vcf + " -o " +
                   c.dir.file("s.tsv") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 scored"), std::string::npos) << r.output;
  const std::string skipped = seqnn::test::read_text(c.dir.file("s.skipped.tsv"));
  EXPECT_NE(skipped.find("ALT equals REF"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("POS 1001 (REF A) is outside chromosome 1 (length 1000"), std::string::npos) << skipped;
}

TEST(PredictCli, ABedIntervalWhollyPastTheChromosomeEndIsAnError) {
  VariantCase c;
  seqnn::test::write_text(c.dir.file("w.bed"), "chr1\t100\t300\nchr1\t5000\t5200\n");
  auto r = run_cli("predict -m " + fixture("deepsea_small.pt") + " -b " + c.dir.file("w.bed") + " -g " + c.genome + " -o " +
                   c.dir.file("p.tsv") + " -q");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("w.bed:2: interval chr1:5000-5200 starts past the end of the chromosome (length 1000"), std::string::npos)
      << r.output;
  EXPECT_FALSE(seqnn::test::exists(c.dir.file("p.tsv")));
}
