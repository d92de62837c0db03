// The seqnn command line end to end: outputs, summaries, and one-line errors with no output left.
#include "seqnn/inference/predict.h"
#include "seqnn/models/model.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::run_cli;
using seqnn::test::TempDir;

namespace {

std::string fasta_of(const std::vector<std::string>& seqs) {
  std::string text;
  for (size_t i = 0; i < seqs.size(); ++i) text += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  return text;
}

// A one-line error: the message is on a single line starting with "seqnn <cmd>: error:".
void expect_one_line_error(const seqnn::test::CliResult& r, const std::string& needle) {
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << "more than one line: " << r.output;
}

}  // namespace

TEST(Cli, HelpOnEveryCommand) {
  for (const std::string cmd : {"", "info", "predict", "simulate", "init-model", "ism", "score-variants"}) {
    auto r = run_cli(cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << cmd;
  }
  auto info = run_cli("info");
  EXPECT_EQ(info.exit_code, 0);
  EXPECT_NE(info.output.find("blas"), std::string::npos);
  EXPECT_NE(info.output.find("libtorch"), std::string::npos);
}

TEST(Cli, PredictFastaMatchesLibraryPredict) {
  TempDir dir;
  auto seqs = random_sequences(23, 200, Alphabet::dna(), 9);
  seqnn::test::write_text(dir.file("in.fa"), fasta_of(seqs));
  auto r = run_cli("predict --model " + fixture("deepsea_small.pt") + " --fasta " + dir.file("in.fa") +
                   " --out " + dir.file("out.npy") + " --batch-size 5 --chunk 7 --device cpu --threads 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seqnn predict: 23 sequences"), std::string::npos) << r.output;
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor expected = predict(m, one_hot_encode(seqs, Alphabet::dna())).tensor();
  EXPECT_TENSOR_NEAR(load_npy(dir.file("out.npy")), expected, 1e-6);
  std::string rows = seqnn::test::read_text(dir.file("out.rows.tsv"));
  EXPECT_EQ(rows.substr(0, 8), "name\ns0\n");

  auto tsv = run_cli("predict -m " + fixture("deepsea_small.pt") + " -f " + dir.file("in.fa") + " -o " +
                     dir.file("out.tsv") + " --device cpu -q");
  ASSERT_EQ(tsv.exit_code, 0) << tsv.output;
  std::string text = seqnn::test::read_text(dir.file("out.tsv"));
  EXPECT_EQ(text.substr(0, text.find('\n')), "name\ttask0\ttask1\ttask2\ttask3\ttask4\ttask5\ttask6\ttask7\ttask8\ttask9\ttask10\ttask11");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 24);
}

TEST(Cli, PredictBedWindowsReportsPadding) {
  TempDir dir;
  auto chrom = random_sequences(1, 1000, Alphabet::dna(), 4)[0];
  seqnn::test::write_text(dir.file("g.fa"), ">chr7\n" + chrom + "\n");
  seqnn::test::write_text(dir.file("r.bed"), "chr7\t400\t500\tmid\n7\t0\t10\tleft\nchr7\t990\t1000\tright\n");
  auto r = run_cli("predict -m " + fixture("deepsea_small.pt") + " --bed " + dir.file("r.bed") + " --genome " +
                   dir.file("g.fa") + " -o " + dir.file("o.tsv") + " --device cpu -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 windows ran off their chromosome (190 bases padded with N)"), std::string::npos) << r.output;
  std::string text = seqnn::test::read_text(dir.file("o.tsv"));
  EXPECT_NE(text.find("left\t7\t-95\t105\t95\t"), std::string::npos) << text;
  // The window of "mid" is predicted exactly as the library does on the same bases.
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor y = predict(m, one_hot_encode(std::vector<std::string>{chrom.substr(350, 200)}, Alphabet::dna())).tensor();
  char expect[64];
  std::snprintf(expect, sizeof expect, "mid\tchr7\t350\t550\t0\t%.7g\t", y[0][0].item<double>());
  EXPECT_NE(text.find(expect), std::string::npos) << text;
}

TEST(Cli, BadInputsGiveOneLineErrorsAndNoOutput) {
  TempDir dir;
  const std::string model = fixture("deepsea_small.pt");
  auto seqs = random_sequences(3, 200, Alphabet::dna(), 1);
  seqnn::test::write_text(dir.file("ok.fa"), fasta_of(seqs));
  std::string bad = fasta_of(seqs);
  bad[bad.find('\n', 30) + 5] = 'Z';  // an invalid base in record 2 (line 4)
  seqnn::test::write_text(dir.file("badchar.fa"), bad);
  seqnn::test::write_text(dir.file("short.fa"), fasta_of({seqs[0], seqs[1].substr(0, 150)}));
  seqnn::test::write_text(dir.file("model.pt"), "not a model");
  const std::string out = " -o " + dir.file("o.tsv") + " -q";

  expect_one_line_error(run_cli("predict -m " + model + " -f " + dir.file("missing.fa") + out), "missing.fa");
  expect_one_line_error(run_cli("predict -m " + model + " -f " + dir.file("badchar.fa") + out),
                        "badchar.fa:3 (s1): invalid character 'Z'");
  expect_one_line_error(run_cli("predict -m " + model + " -f " + dir.file("short.fa") + out),
                        "short.fa:3 (s1): sequence length 150 does not match the model's input length 200");
  expect_one_line_error(run_cli("predict -m " + dir.file("model.pt") + " -f " + dir.file("ok.fa") + out),
                        "model.pt: cannot load model");
  expect_one_line_error(run_cli("predict -m " + model + " -f " + dir.file("ok.fa") + out + " --device tpu"),
                        "unknown device");
  expect_one_line_error(run_cli("predict -m " + model + " -f " + dir.file("ok.fa") + " -o " + dir.file("o.xlsx")),
                        "unsupported output format");
  EXPECT_FALSE(seqnn::test::exists(dir.file("o.tsv")));
  EXPECT_FALSE(seqnn::test::exists(dir.file("o.tsv.partial")));
}

TEST(Cli, SimulateAndInitModelThenPredict) {
  TempDir dir;
  auto sim = run_cli("simulate --n 50 --length 200 --seed 3 -o " + dir.file("r.fa"));
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  auto again = run_cli("simulate --n 50 --length 200 --seed 3 -o " + dir.file("r2.fa"));
  EXPECT_EQ(seqnn::test::read_text(dir.file("r.fa")), seqnn::test::read_text(dir.file("r2.fa")));
  auto init = run_cli("init-model -c " + fixture("basset_small.json") + " --seed 2 -o " + dir.file("m.seqnn"));
  ASSERT_EQ(init.exit_code, 0) << init.output;
  auto pred = run_cli("predict -m " + dir.file("m.seqnn") + " -f " + dir.file("r.fa") + " -o " + dir.file("p.npy") +
                      " --device auto -q");
  ASSERT_EQ(pred.exit_code, 0) << pred.output;
  EXPECT_EQ(load_npy(dir.file("p.npy")).sizes(), (std::vector<int64_t>{50, 5}));
}

TEST(Cli, InitModelBuildsEveryNativeType) {
  // init-model read CNN configs only; a recurrent config was refused as "unknown key 'cell'".
  TempDir dir;
  seqnn::test::write_text(dir.file("rnn.json"), R"({"type": "rnn", "embedding": 0, "cell": "gru", "hidden": 2, "layers": 1, "outputs": 1})");
  auto init = run_cli("init-model -c " + dir.file("rnn.json") + " -o " + dir.file("rnn.pt"));
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_NE(init.output.find("51 parameters"), std::string::npos) << init.output;  // GRU 3*(2*4+2*2+2*2) + dense 2+1
  seqnn::test::write_text(dir.file("p.fa"), ">a\nACGTAC\n>b\nAC\n");
  auto pred = run_cli("predict -m " + dir.file("rnn.pt") + " -f " + dir.file("p.fa") + " -o " + dir.file("p.tsv") + " -q");
  ASSERT_EQ(pred.exit_code, 0) << pred.output;
  seqnn::test::write_text(dir.file("bad.json"), R"({"type": "transformer"})");
  expect_one_line_error(run_cli("init-model -c " + dir.file("bad.json") + " -o " + dir.file("bad.pt")), "transformer");
  EXPECT_FALSE(seqnn::test::exists(dir.file("bad.pt")));
}

TEST(RealData, PredictOnChr20WindowsSmoke) {
  std::string genome = seqnn::test::shared_data("dna/grch37_chr20/GRCh37.chr20.fa.gz");
  SKIP_WITHOUT_SHARED_DATA(genome);
  TempDir dir;
  const std::string config = std::string(SEQNN_FIXTURES_DIR) + "/../../configs/small_cnn.json";
  ASSERT_EQ(run_cli("init-model -c " + config + " -o " + dir.file("m.seqnn")).exit_code, 0);
  auto sim = run_cli("simulate --genome " + genome + " --n 300 --length 1000 --seed 5 -o " + dir.file("w.bed"));
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  auto r = run_cli("predict -m " + dir.file("m.seqnn") + " --bed " + dir.file("w.bed") + " --genome " + genome +
                   " -o " + dir.file("p.tsv") + " --chunk 64 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("300 sequences of length 1000"), std::string::npos) << r.output;
  std::string text = seqnn::test::read_text(dir.file("p.tsv"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 301);
  EXPECT_EQ(text.substr(0, text.find('\n')), "name\tchrom\tstart\tend\tpadded\ttask_a\ttask_b\ttask_c\ttask_d");
}
