#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::TempDir;

TEST(Npy, StreamingWriterPatchesRowCount) {
  TempDir dir;
  at::Tensor a = torch::arange(12, torch::kFloat).view({3, 2, 2});
  at::Tensor b = torch::arange(12, 20, torch::kFloat).view({2, 2, 2});
  {
    NpyWriter w(dir.file("x.npy"), at::kFloat, {2, 2});
    w.append(a);
    EXPECT_FALSE(seqnn::test::exists(dir.file("x.npy")));  // not there until closed
    w.append(b);
    EXPECT_THROW(w.append(torch::zeros({1, 3})), Error);
    w.close();
  }
  at::Tensor back = load_npy(dir.file("x.npy"));
  EXPECT_TRUE(torch::equal(back, torch::cat({a, b})));
  // The header is a valid numpy 1.0 header, 64-byte aligned.
  std::string raw = seqnn::test::read_text(dir.file("x.npy"));
  EXPECT_EQ(raw.substr(1, 5), "NUMPY");
  EXPECT_NE(raw.find("'shape': (5, 2, 2)"), std::string::npos);
  EXPECT_EQ((10 + static_cast<uint8_t>(raw[8]) + 256 * static_cast<uint8_t>(raw[9])) % 64, 0);
}

TEST(Npy, ReadsFilesWrittenByNumpy) {
  at::Tensor x = seqnn::test::fixture_npy("flatten_dense_X");
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{5, 4, 10}));
  EXPECT_EQ(x.scalar_type(), at::kFloat);
  EXPECT_TRUE(torch::equal(x.sum(1), torch::ones({5, 10})));
}

TEST(Npy, RoundTripsDtypes) {
  TempDir dir;
  for (auto t : {at::kChar, at::kByte, at::kInt, at::kLong, at::kDouble, at::kBool}) {
    at::Tensor x = torch::randint(0, 2, {4, 3}).to(t);
    save_npy(dir.file("t.npy"), x);
    at::Tensor y = load_npy(dir.file("t.npy"));
    EXPECT_EQ(y.scalar_type(), t);
    EXPECT_TRUE(torch::equal(x, y));
  }
}

TEST(Npy, CorruptHeadersAreOneErrorAndNeverAnAllocation) {
  // Found by the npy fuzz target: a shape entry that is not a number escaped as std::invalid_argument
  // ("stoll"); a shape far larger than the file was allocated before the read failed.
  TempDir dir;
  save_npy(dir.file("ok.npy"), torch::ones({4}, torch::kFloat));
  const std::string good = seqnn::test::read_text(dir.file("ok.npy"));
  auto with_header = [&](const std::string& from, const std::string& to) {
    std::string raw = good;
    raw.replace(raw.find(from), from.size(), to);
    seqnn::test::write_text(dir.file("bad.npy"), raw);
    return seqnn::test::error_of([&] { load_npy(dir.file("bad.npy")); });
  };
  EXPECT_NE(with_header("(4,", "(x,").find("shape entry 'x' is not a size"), std::string::npos);
  EXPECT_NE(with_header("(4,", "(-4,").find("is not a size"), std::string::npos);
  EXPECT_NE(with_header("(4,", "(4000000000000,").find("truncated npy data"), std::string::npos);
  const std::string big = with_header("(4,", "(99999,");
  EXPECT_NE(big.find("bad.npy: truncated npy data ("), std::string::npos) << big;
  EXPECT_NE(big.find(" bytes, the shape needs 399996)"), std::string::npos) << big;
  EXPECT_NE(with_header("False", "Maybe").find("neither True nor False"), std::string::npos);
  EXPECT_NE(with_header("'descr': '<f4'", "'descr': 42   ").find("not a quoted type string"), std::string::npos);
  std::string raw = good;
  raw[6] = 9;
  seqnn::test::write_text(dir.file("v9.npy"), raw);
  EXPECT_NE(seqnn::test::error_of([&] { load_npy(dir.file("v9.npy")); }).find("unsupported npy format version 9"), std::string::npos);
  raw = good;
  raw[8] = raw[9] = static_cast<char>(0xff);  // a header longer than the file
  seqnn::test::write_text(dir.file("long.npy"), raw);
  EXPECT_NE(seqnn::test::error_of([&] { load_npy(dir.file("long.npy")); }).find("truncated npy header"), std::string::npos);
  EXPECT_TRUE(torch::equal(load_npy(dir.file("ok.npy")), torch::ones({4})));
}

TEST(AtomicFile, UncommittedFileLeavesNothing) {
  TempDir dir;
  {
    AtomicFile f(dir.file("out.txt"));
    f.write("half");
    EXPECT_TRUE(seqnn::test::exists(dir.file("out.txt.partial")));
  }
  EXPECT_FALSE(seqnn::test::exists(dir.file("out.txt")));
  EXPECT_FALSE(seqnn::test::exists(dir.file("out.txt.partial")));
  {
    AtomicFile f(dir.file("out.txt"));
    f.write("done\n");
    f.commit();
  }
  EXPECT_EQ(seqnn::test::read_text(dir.file("out.txt")), "done\n");
  EXPECT_THROW(AtomicFile(dir.file("no/such/dir/x")), Error);
}

namespace seqnn {
namespace {

// Issue 15 B6: a run's several outputs are renamed into place together at the end, or not at all.
TEST(OutputGroup, FilesAppearOnlyWhenTheGroupCommits) {
  test::TempDir dir;
  {
    OutputGroup group;
    AtomicFile a(dir.file("a.npy")), b(dir.file("a.rows.tsv"));
    a.write("x");
    a.commit();
    EXPECT_FALSE(test::exists(dir.file("a.npy"))) << "inside a group, commit only finishes the partial file";
    b.write("y");
    b.commit();
    group.commit();
  }
  EXPECT_EQ(test::read_text(dir.file("a.npy")), "x");
  EXPECT_EQ(test::read_text(dir.file("a.rows.tsv")), "y");
}

TEST(OutputGroup, AFailedRunLeavesNoneOfItsFiles) {
  test::TempDir dir;
  try {
    OutputGroup group;
    {
      OutputGroup inner;  // a nested run joins the outer group
      AtomicFile a(dir.file("s.tsv"));
      a.write("scores");
      a.commit();
      inner.commit();
    }
    AtomicFile b(dir.file("s.skipped.tsv"));
    b.write("skipped");
    throw Error("the run failed before its second output was complete");
  } catch (const Error&) {
  }
  EXPECT_FALSE(test::exists(dir.file("s.tsv")));
  EXPECT_FALSE(test::exists(dir.file("s.tsv.partial")));
  EXPECT_FALSE(test::exists(dir.file("s.skipped.tsv")));
  EXPECT_FALSE(test::exists(dir.file("s.skipped.tsv.partial")));
  AtomicFile c(dir.file("alone.txt"));  // no group: committed at once
  c.write("z");
  c.commit();
  EXPECT_TRUE(test::exists(dir.file("alone.txt")));
}

// predict to .npy writes the predictions and a .rows.tsv; with the disk full while the (long)
// row names are written, neither file may be left behind.
TEST(OutputGroup, PredictWithADiskThatFillsLeavesNoNpyWithoutItsRows) {
  test::TempDir dir;
  std::string fa;
  for (int i = 0; i < 200; ++i) fa += ">" + std::string(400, 'n') + std::to_string(i) + "\n" + std::string(200, 'A') + "\n";
  test::write_text(dir.file("in.fa"), fa);
  auto r = test::run_cli_with_file_limit("predict -m " + test::fixture("deepsea_small.pt") + " -f " + dir.file("in.fa") +
                                             " -o " + dir.file("p.npy") + " -q",
                                         40);
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("write failed"), std::string::npos) << r.output;
  EXPECT_FALSE(test::exists(dir.file("p.npy"))) << r.output;
  EXPECT_FALSE(test::exists(dir.file("p.rows.tsv"))) << r.output;
}

}  // namespace
}  // namespace seqnn
