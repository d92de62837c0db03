// save_archive_atomically: the file appears whole under its name, or not at all.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "seqnn/util/archive_file.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

TEST(UtilArchiveFile, WritesUnderTheFinalNameOrNotAtAll) {
  test::TempDir dir;
  torch::serialize::OutputArchive out;
  out.write("answer", torch::full({2}, 42.0));
  save_archive_atomically(out, dir.file("a.pt"), "model");
  EXPECT_FALSE(test::exists(dir.file("a.pt.partial")));
  torch::serialize::InputArchive in;
  in.load_from(dir.file("a.pt"));
  torch::Tensor t;
  in.read("answer", t);
  EXPECT_EQ(t[1].item<double>(), 42.0);

  const std::string bad = dir.file("no/such/dir/b.pt");
  EXPECT_NE(test::error_of([&] { save_archive_atomically(out, bad, "training state"); })
                .find(bad + ": cannot open for writing: No such file or directory"),
            std::string::npos);
  EXPECT_FALSE(test::exists(bad + ".partial"));
}

TEST(UtilArchiveFile, AMissingFileOrADirectoryIsSaidSo) {
  // LibTorch's own words were "open file failed because of errno 2 on fopen" and, for a
  // directory, a damaged-zip "read error".
  test::TempDir dir;
  torch::serialize::InputArchive archive;
  EXPECT_EQ(test::error_of([&] { load_archive(archive, dir.file("none.pt"), "language model"); }),
            dir.file("none.pt") + ": cannot open language model: No such file or directory");
  EXPECT_EQ(test::error_of([&] { load_archive(archive, dir.path(), "S1 model"); }),
            dir.path() + ": cannot open S1 model: is a directory");
}

}  // namespace
}  // namespace seqnn
