#pragma once
// The one reader for delimited text tables (label TSVs, sequence tables, RNA structure tables,
// mutation CSVs), so every table in seqnn follows the same rules:
//   * Compression: plain, gzip or bgzip, detected from the content (zlib reads all three).
//   * Format: by extension after dropping ".gz"/".bgz": ".csv" is CSV, anything else (".tsv",
//     ".txt", ".tab", ...) is TSV; TableReadOptions::format overrides.
//   * CSV follows RFC 4180: a field may be enclosed in double quotes, and then may contain commas,
//     line breaks and doubled quotes (""). A quote inside an unquoted field, or text after a
//     closing quote, is an error. TSV fields are literal (no quoting; a field cannot hold a tab).
//   * Line ends "\n" or "\r\n"; a UTF-8 byte-order mark at the start is dropped.
//   * Blank lines are skipped. With a header (the default) every record must have as many
//     fields as the header.
// Every error is one line "file:line: problem" (the line a record starts on).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seqnn {

enum class TableFormat { kByExtension, kTsv, kCsv };

// kTsv or kCsv for a path by the extension rule above.
TableFormat table_format_of(const std::string& path);

// Lines of a plain, gzip or bgzip text file, without the line end ("\n" or "\r\n").
class TextLineReader {
 public:
  // `what` names the file in an open error ("cannot open WHAT: ...").
  explicit TextLineReader(const std::string& path, const std::string& what = "text file");
  ~TextLineReader();
  TextLineReader(const TextLineReader&) = delete;
  TextLineReader& operator=(const TextLineReader&) = delete;
  // False at the end of the file.
  bool next(std::string& line);
  int64_t line_number() const { return line_number_; }  // of the line last returned, 1-based
  const std::string& path() const { return path_; }

 private:
  void require_complete_stream() const;

  struct Source;
  std::string path_;
  std::unique_ptr<Source> source_;
  int64_t line_number_ = 0;
};

struct TableReadOptions {
  TableFormat format = TableFormat::kByExtension;
  bool header = true;  // false: no header row, records may differ in field count
};

class TableReader {
 public:
  explicit TableReader(const std::string& path, const TableReadOptions& options = {});
  const std::string& path() const { return lines_.path(); }
  TableFormat format() const { return format_; }
  const std::vector<std::string>& header() const { return header_; }
  int64_t header_line() const { return header_line_; }

  // Index of the header column `name`, or -1.
  int64_t find_column(const std::string& name) const;
  // Index of the header column `name`; an error "file:line: no column 'name' in the header (a, b)".
  size_t column(const std::string& name) const;

  // The next record's fields; false at the end of the file.
  bool next(std::vector<std::string>& fields);
  int64_t line() const { return record_line_; }  // first line of the record last returned
  std::string where() const;                     // "file:line" of that record
  // Throws "file:line: problem" for the record last returned.
  [[noreturn]] void fail_here(const std::string& problem) const;

 private:
  bool next_nonblank_line(std::string& line);
  void split_tsv(const std::string& line, std::vector<std::string>& fields) const;
  void split_csv(std::string line, std::vector<std::string>& fields);

  TextLineReader lines_;
  TableFormat format_;
  std::vector<std::string> header_;
  int64_t header_line_ = 0;
  int64_t record_line_ = 0;
};

}  // namespace seqnn
