// The shared table reader: formats, compression, RFC 4180 quoting, line ends, errors.
#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <zlib.h>

#include "seqnn/util/error.h"
#include "seqnn/util/table.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows read_rows(const std::string& path, const TableReadOptions& options = {}) {
  TableReader t(path, options);
  Rows rows{t.header()};
  std::vector<std::string> f;
  while (t.next(f)) rows.push_back(f);
  return rows;
}

TEST(UtilTable, FormatByExtension) {
  EXPECT_EQ(table_format_of("a.csv"), TableFormat::kCsv);
  EXPECT_EQ(table_format_of("a.csv.gz"), TableFormat::kCsv);
  EXPECT_EQ(table_format_of("a.csv.bgz"), TableFormat::kCsv);
  EXPECT_EQ(table_format_of("a.tsv"), TableFormat::kTsv);
  EXPECT_EQ(table_format_of("a.txt.gz"), TableFormat::kTsv);
  EXPECT_EQ(table_format_of("csv"), TableFormat::kTsv);
}

TEST(UtilTable, TsvPlainGzipBgzipAndCrlf) {
  test::TempDir dir;
  const std::string text = "id\tx\ty\r\na\t1\t\r\n\r\nb\t\"2\"\t3\n";
  const Rows expect = {{"id", "x", "y"}, {"a", "1", ""}, {"b", "\"2\"", "3"}};  // TSV quotes are literal
  test::write_text(dir.file("t.tsv"), text);
  test::write_gzip(dir.file("t.tsv.gz"), text);
  test::write_bgzip(dir.file("t.tsv.bgz"), text, 2);
  EXPECT_EQ(read_rows(dir.file("t.tsv")), expect);
  EXPECT_EQ(read_rows(dir.file("t.tsv.gz")), expect);
  EXPECT_EQ(read_rows(dir.file("t.tsv.bgz")), expect);
  TableReader t(dir.file("t.tsv"));
  std::vector<std::string> f;
  ASSERT_TRUE(t.next(f));
  EXPECT_EQ(t.line(), 2);
  ASSERT_TRUE(t.next(f));
  EXPECT_EQ(t.line(), 4);  // the blank line 3 is skipped but counted
  EXPECT_EQ(t.where(), dir.file("t.tsv") + ":4");
  EXPECT_FALSE(t.next(f));
}

TEST(UtilTable, CsvRfc4180Quoting) {
  test::TempDir dir;
  test::write_text(dir.file("q.csv"),
                   "\xEF\xBB\xBFname,\"note\"\r\n"
                   "a,\"x, y\"\r\n"
                   "b,\"say \"\"hi\"\"\"\n"
                   "c,\"two\r\nlines\"\n"
                   "d,\"\"\n"
                   "e,plain\n");
  TableReader t(dir.file("q.csv"));
  EXPECT_EQ(t.header(), (std::vector<std::string>{"name", "note"}));  // BOM dropped, header unquoted
  Rows rows;
  std::vector<int64_t> lines;
  std::vector<std::string> f;
  while (t.next(f)) {
    rows.push_back(f);
    lines.push_back(t.line());
  }
  EXPECT_EQ(rows, (Rows{{"a", "x, y"}, {"b", "say \"hi\""}, {"c", "two\nlines"}, {"d", ""}, {"e", "plain"}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 3, 4, 6, 7}));
}

TEST(UtilTable, ColumnsByName) {
  test::TempDir dir;
  test::write_text(dir.file("c.tsv"), "id\tsequence\n");
  TableReader t(dir.file("c.tsv"));
  EXPECT_EQ(t.column("sequence"), 1u);
  EXPECT_EQ(t.find_column("nope"), -1);
  EXPECT_EQ(test::error_of([&] { t.column("nope"); }), dir.file("c.tsv") + ":1: no column 'nope' in the header (id,sequence)");
}

TEST(UtilTable, ErrorsNameFileAndLine) {
  test::TempDir dir;
  auto error_reading = [&](const std::string& name, const std::string& text) {
    test::write_text(dir.file(name), text);
    return test::error_of([&] { read_rows(dir.file(name)); });
  };
  const std::string d = dir.path() + "/";
  EXPECT_EQ(error_reading("n.tsv", "a\tb\n1\t2\n3\n"), d + "n.tsv:3: 1 fields, the header has 2");
  EXPECT_EQ(error_reading("u.csv", "a,b\n1,\"open\n\n"), d + "u.csv:2: unterminated quoted field 2");
  EXPECT_EQ(error_reading("s.csv", "a,b\n1,x\"y\n"),
            d + "s.csv:2: quote inside unquoted field 2 (enclose the whole field in quotes and double the inner quote)");
  EXPECT_EQ(error_reading("t.csv", "a,b\n\"x\"y,1\n"), d + "t.csv:2: text after the closing quote of field 1");
  EXPECT_EQ(error_reading("e.tsv", ""), d + "e.tsv: empty file (a header row is required)");
  EXPECT_EQ(test::error_of([&] { read_rows(d + "missing.tsv"); }), d + "missing.tsv: cannot open table: No such file or directory");
}

TEST(UtilTable, WithoutHeaderAndForcedFormat) {
  test::TempDir dir;
  test::write_text(dir.file("f.txt"), "a,1\nb,2,extra\n");
  TableReadOptions o;
  o.header = false;
  o.format = TableFormat::kCsv;
  EXPECT_EQ(read_rows(dir.file("f.txt"), o), (Rows{{}, {"a", "1"}, {"b", "2", "extra"}}));
}

TEST(UtilTable, TextLinesAcrossBufferRefills) {
  test::TempDir dir;
  std::string text;
  for (int k = 0; k < 5000; ++k) text += std::string(static_cast<size_t>(k % 97), 'x') + std::to_string(k) + "\n";
  text += "last-without-newline";
  test::write_gzip(dir.file("big.gz"), text);
  TextLineReader in(dir.file("big.gz"));
  std::string line;
  int64_t n = 0;
  std::string last;
  while (in.next(line)) {
    if (n < 5000) {
      ASSERT_EQ(line, std::string(static_cast<size_t>(n % 97), 'x') + std::to_string(n));
    }
    last = line;
    ++n;
  }
  EXPECT_EQ(n, 5001);
  EXPECT_EQ(in.line_number(), 5001);
  EXPECT_EQ(last, "last-without-newline");
}

TEST(UtilTable, ATruncatedGzipIsAnErrorNotAShortTable) {
  // zlib reports a gzip stream cut short only through gzerror: the lines before the cut used to
  // read as the whole table (a mutation list one row short, a pseudo-sequence table without
  // its last alleles).
  test::TempDir dir;
  std::string text = "name\tvalue\n";
  for (int i = 0; i < 2000; ++i) text += "row" + std::to_string(i) + "\t" + std::to_string(i * 7 % 13) + "\n";
  test::write_gzip(dir.file("t.tsv.gz"), text);
  const std::string whole = test::read_text(dir.file("t.tsv.gz"));
  test::write_text(dir.file("cut.tsv.gz"), whole.substr(0, whole.size() / 2));
  const std::string msg = test::error_of([&] {
    TableReader t(dir.file("cut.tsv.gz"));
    std::vector<std::string> f;
    while (t.next(f)) {
    }
  });
  EXPECT_EQ(msg.rfind(dir.file("cut.tsv.gz") + ": the compressed data end early after line ", 0), 0u) << msg;
  EXPECT_NE(msg.find("(a truncated gzip/bgzip file)"), std::string::npos) << msg;
  int64_t rows = 0;
  TableReader whole_table(dir.file("t.tsv.gz"));
  for (std::vector<std::string> f; whole_table.next(f);) ++rows;
  EXPECT_EQ(rows, 2000);
}

TEST(UtilTable, AHeaderQuotedInAnErrorIsShortAndOneLine) {
  test::TempDir dir;
  std::string binary(5000, 'x');
  for (size_t i = 0; i < binary.size(); i += 7) binary[i] = static_cast<char>(0x80 + i % 64);
  test::write_text(dir.file("b.tsv"), binary + "\n1\n");
  const std::string msg = test::error_of([&] { TableReader(dir.file("b.tsv")).column("mutant"); });
  EXPECT_EQ(msg.rfind(dir.file("b.tsv") + ":1: no column 'mutant' in the header (", 0), 0u) << msg;
  EXPECT_LT(msg.size(), 600u) << msg;
}

}  // namespace
}  // namespace seqnn
