// RNA tables go through seqnn::TableReader: gzip, CRLF, multi-line quoted CSV fields, strict quotes.
#include <gtest/gtest.h>
#include <zlib.h>

#include "seqnn/rna/rna_io.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

TEST(RnaIoTables, GzipCrlfAndQuotedCsv) {
  seqnn::test::TempDir dir;
  const std::string tsv = "id\tsequence\tstructure\r\nr1\tGGGAAACCC\t(((...)))\r\n";
  gzFile f = gzopen(dir.file("a.tsv.gz").c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, tsv.data(), static_cast<unsigned>(tsv.size()));
  gzclose(f);
  auto t = read_rna_table(dir.file("a.tsv.gz"));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].structure.to_dot_bracket(), "(((...)))");
  EXPECT_EQ(t[0].where, dir.file("a.tsv.gz") + ":2");

  // A quoted field may hold commas and run over two lines.
  seqnn::test::write_text(dir.file("b.csv"), "id,sequence,base_pairs,note\nx,GGGAAACCC,\"[[1, 9], [2, 8]]\",\"two\nlines\"\n"
                                             "y,GGGAAACCC,\"[[1, 9]]\",\n");
  auto b = read_rna_table(dir.file("b.csv"));
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].structure.to_dot_bracket(), "((.....))");
  EXPECT_EQ(b[1].where, dir.file("b.csv") + ":4");

  seqnn::test::write_text(dir.file("c.csv"), "id,sequence,base_pairs\nx,GGGAAACCC,[[1, 9]]\"\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("c.csv")); }).rfind(dir.file("c.csv") + ":2: quote inside", 0), 0u);
  seqnn::test::write_text(dir.file("d.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("d.tsv")); }), dir.file("d.tsv") + ":2: 2 fields, the header has 3");
}

}  // namespace
}  // namespace seqnn::rna
