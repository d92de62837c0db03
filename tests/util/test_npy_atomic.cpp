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
