// Outputs that must be refused before any work (issue 15, B1/B4/B5): an output that is one of the
// run's inputs (under any spelling), a FIFO or device, and absurd thread counts. The input is
// left byte for byte as it was, and the message is one line naming the path.
#include <sys/stat.h>

#include "test_helpers.h"

using seqnn::test::fixture;
using seqnn::test::read_text;
using seqnn::test::run_cli;
using seqnn::test::TempDir;
using seqnn::test::write_text;

namespace {

void expect_refused(const seqnn::test::CliResult& r, const std::string& needle) {
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << "more than one line: " << r.output;
}

const char* kFasta = ">s0\nACGTACGTAC\n>s1\nGGGGCCCCAA\n";

}  // namespace

TEST(CliBadOutputs, AnOutputThatIsAnInputIsRefusedAndTheInputKept) {
  TempDir dir;
  write_text(dir.file("a.tsv"), kFasta);  // a FASTA named .tsv, as a user once did
  const std::string model = fixture("deepsea_small.pt");
  for (const std::string& out : {dir.file("a.tsv"), dir.path() + "/./a.tsv"}) {
    SCOPED_TRACE(out);
    auto r = run_cli("predict -m " + model + " -f " + dir.file("a.tsv") + " -o " + out + " --device cpu -q");
    expect_refused(r, "is an input of this run");
    EXPECT_EQ(read_text(dir.file("a.tsv")), kFasta);
  }
  // Subcommands of command groups (rna, deepseq) are checked the same way.
  const std::string truth = "id,sequence,structure\nx,GGGAAACCC,(((...)))\n";
  write_text(dir.file("t.csv"), truth);
  write_text(dir.file("p.fa"), ">x\nGGGAAACCC\n(((...)))\n");
  auto eval = run_cli("rna eval -q --truth " + dir.file("t.csv") + " --pred " + dir.file("p.fa") + " --out " + dir.file("t.csv"));
  expect_refused(eval, "is an input of this run");
  EXPECT_EQ(read_text(dir.file("t.csv")), truth);
  // A derived output (ism's OUT.rows.tsv) naming the input is caught as well.
  write_text(dir.file("x.rows.tsv"), ">s0\n" + std::string(200, 'A') + "\n");
  auto ism = run_cli("ism -m " + model + " -f " + dir.file("x.rows.tsv") + " -o " + dir.file("x.npy") +
                     " --start 0 --end 2 --device cpu -q");
  expect_refused(ism, "is an input of this run");
  EXPECT_EQ(read_text(dir.file("x.rows.tsv")), ">s0\n" + std::string(200, 'A') + "\n");
}

TEST(CliBadOutputs, FifosDevicesAndDirectoriesAreNotReplaced) {
  TempDir dir;
  ASSERT_EQ(mkfifo(dir.file("p.fa").c_str(), 0644), 0);
  auto fifo = run_cli("simulate --n 2 --length 10 -o " + dir.file("p.fa"));
  expect_refused(fifo, "not a regular file");
  struct stat st {};
  ASSERT_EQ(stat(dir.file("p.fa").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  expect_refused(run_cli("simulate --n 2 --length 10 -o /dev/full"), "not a regular file");
  expect_refused(run_cli("simulate --n 2 --length 10 -o " + dir.path()), "is a directory");
}

TEST(CliBadOutputs, AbsurdThreadCountsAreRefused) {
  TempDir dir;
  for (const char* t : {"100000", "-1"}) {
    auto r = run_cli("simulate --n 2 --length 10 -o " + dir.file("s.fa") + " --threads " + std::string(t));
    EXPECT_NE(r.exit_code, 0) << t << ": " << r.output;
    EXPECT_NE(r.output.find("--threads"), std::string::npos) << r.output;
  }
  EXPECT_EQ(run_cli("simulate --n 2 --length 10 -o " + dir.file("s.fa") + " --threads 1").exit_code, 0);
}

TEST(CliBadOutputs, AFullDiskIsAnErrorNotACrashOrAShortFile) {
  // Issue 15 B7/B8: LibTorch's archive writer used to abort the process (std::terminate) when
  // the disk filled up, and text outputs to be renamed into place short.
  TempDir dir;
  const std::string config = std::string(SEQNN_SOURCE_DIR) + "/configs/deepsea.json";
  auto model = seqnn::test::run_cli_with_file_limit("init-model -c " + config + " -o " + dir.file("m.pt"), 64);
  expect_refused(model, dir.file("m.pt") + ": write failed");
  EXPECT_FALSE(seqnn::test::exists(dir.file("m.pt")));
  EXPECT_FALSE(seqnn::test::exists(dir.file("m.pt.partial")));
  auto fasta = seqnn::test::run_cli_with_file_limit("simulate --n 2000 --length 500 -o " + dir.file("s.fa"), 64);
  expect_refused(fasta, dir.file("s.fa") + ": write failed");
  EXPECT_FALSE(seqnn::test::exists(dir.file("s.fa")));
}
