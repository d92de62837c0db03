// require_readable, read_text_file and ensure_directory.
#include <gtest/gtest.h>

#include <filesystem>

#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

TEST(UtilFiles, RequireReadableAndSlurp) {
  test::TempDir dir;
  const std::string text = std::string("line 1\r\nbinary \0 byte\n", 23);
  test::write_text(dir.file("a.txt"), text);
  EXPECT_NO_THROW(require_readable(dir.file("a.txt"), "notes"));
  EXPECT_EQ(read_text_file(dir.file("a.txt"), "notes"), text);
  test::write_text(dir.file("empty.txt"), "");
  EXPECT_EQ(read_text_file(dir.file("empty.txt"), "notes"), "");
  EXPECT_EQ(test::error_of([&] { read_text_file(dir.file("none.json"), "model config"); }),
            dir.file("none.json") + ": cannot open model config: No such file or directory");
  EXPECT_EQ(test::error_of([&] { require_readable(dir.path(), "model config"); }),
            dir.path() + ": cannot open model config: is a directory");
}

TEST(UtilFiles, EnsureDirectory) {
  test::TempDir dir;
  const std::string nested = dir.file("a/b/c");
  ensure_directory(nested);
  EXPECT_TRUE(std::filesystem::is_directory(nested));
  EXPECT_NO_THROW(ensure_directory(nested));  // already there
  test::write_text(dir.file("plain"), "x");
  EXPECT_EQ(test::error_of([&] { ensure_directory(dir.file("plain")); }),
            dir.file("plain") + ": cannot create directory: a file of that name exists");
  EXPECT_NE(test::error_of([&] { ensure_directory(dir.file("plain/sub")); }).find(dir.file("plain/sub") + ": cannot create directory: "),
            std::string::npos);
}

}  // namespace
}  // namespace seqnn
