#include "seqnn/util/table.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/strings.h"

namespace seqnn {

TableFormat table_format_of(const std::string& path) {
  std::string name = path;
  for (const char* suffix : {".gz", ".bgz"}) {
    if (ends_with(name, suffix)) name.resize(name.size() - std::strlen(suffix));
  }
  return ends_with(name, ".csv") ? TableFormat::kCsv : TableFormat::kTsv;
}

// gzread passes plain files through and reads concatenated gzip members, so bgzip needs no
// special case.
struct TextLineReader::Source {
  gzFile file = nullptr;
  std::vector<char> buffer = std::vector<char>(1 << 16);
  size_t begin = 0, end = 0;
  bool eof = false;
  ~Source() {
    if (file) gzclose(file);
  }
};

TextLineReader::TextLineReader(const std::string& path, const std::string& what)
    : path_(path), source_(std::make_unique<Source>()) {
  require_readable(path, what);
  source_->file = gzopen(path.c_str(), "rb");
  if (!source_->file) fail(path, "cannot open " + what + ": " + std::strerror(errno));
}

TextLineReader::~TextLineReader() = default;

// zlib's gzread ends a gzip stream cut short (a truncated download) as if it were the end of the
// file, and says so only through gzerror (Z_BUF_ERROR): without this check the lines before the
// cut would be read as the whole table.
void TextLineReader::require_complete_stream() const {
  int code = Z_OK;
  gzerror(source_->file, &code);
  if (code == Z_BUF_ERROR) {
    fail(path_, "the compressed data end early after line " + std::to_string(line_number_) +
                    " (a truncated gzip/bgzip file)");
  }
}

bool TextLineReader::next(std::string& line) {
  Source& s = *source_;
  line.clear();
  bool any = false;
  while (true) {
    if (s.begin == s.end) {
      if (s.eof) break;
      const int n = gzread(s.file, s.buffer.data(), static_cast<unsigned>(s.buffer.size()));
      if (n < 0) {
        int code = 0;
        fail(path_, std::string("cannot read: ") + gzerror(s.file, &code));
      }
      if (n == 0) {
        require_complete_stream();
        s.eof = true;
        break;
      }
      s.begin = 0;
      s.end = static_cast<size_t>(n);
    }
    any = true;
    const char* start = s.buffer.data() + s.begin;
    const void* newline = std::memchr(start, '\n', s.end - s.begin);
    if (newline) {
      const size_t len = static_cast<size_t>(static_cast<const char*>(newline) - start);
      line.append(start, len);
      s.begin += len + 1;
      break;
    }
    line.append(start, s.end - s.begin);
    s.begin = s.end;
  }
  if (!any) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (++line_number_ == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  return true;
}

TableReader::TableReader(const std::string& path, const TableReadOptions& options)
    : lines_(path, "table"), format_(options.format == TableFormat::kByExtension ? table_format_of(path) : options.format) {
  if (!options.header) return;
  std::vector<std::string> names;
  if (!next(names)) fail(path, "empty file (a header row is required)");
  header_ = std::move(names);
  header_line_ = record_line_;
}

int64_t TableReader::find_column(const std::string& name) const {
  for (size_t k = 0; k < header_.size(); ++k) {
    if (header_[k] == name) return static_cast<int64_t>(k);
  }
  return -1;
}

size_t TableReader::column(const std::string& name) const {
  const int64_t k = find_column(name);
  // The header is quoted short: a binary file given as a table has a "header" of any length.
  if (k < 0) fail_at(path(), header_line_, "no column '" + name + "' in the header (" + one_line(join(header_, ','), 200) + ")");
  return static_cast<size_t>(k);
}

std::string TableReader::where() const { return path() + ":" + std::to_string(record_line_); }

void TableReader::fail_here(const std::string& problem) const { fail_at(path(), record_line_, problem); }

bool TableReader::next_nonblank_line(std::string& line) {
  while (lines_.next(line)) {
    if (!line.empty()) return true;
  }
  return false;
}

bool TableReader::next(std::vector<std::string>& fields) {
  std::string line;
  if (!next_nonblank_line(line)) return false;
  record_line_ = lines_.line_number();
  fields.clear();
  if (format_ == TableFormat::kCsv) {
    split_csv(std::move(line), fields);
  } else {
    split_tsv(line, fields);
  }
  if (!header_.empty() && fields.size() != header_.size()) {
    fail_here(std::to_string(fields.size()) + " fields, the header has " + std::to_string(header_.size()));
  }
  return true;
}

void TableReader::split_tsv(const std::string& line, std::vector<std::string>& fields) const {
  fields = split(line, '\t');
}

// RFC 4180. A quoted field may run over line ends; the record then continues on the next line.
void TableReader::split_csv(std::string line, std::vector<std::string>& fields) {
  fields.emplace_back();
  size_t k = 0;
  bool at_field_start = true;
  while (true) {
    if (k == line.size()) return;
    const char c = line[k];
    if (c == ',') {
      fields.emplace_back();
      at_field_start = true;
      ++k;
      continue;
    }
    if (c != '"') {
      fields.back() += c;
      at_field_start = false;
      ++k;
      continue;
    }
    if (!at_field_start) {
      fail_here("quote inside unquoted field " + std::to_string(fields.size()) +
                " (enclose the whole field in quotes and double the inner quote)");
    }
    // Quoted field: read to the closing quote, across line ends when needed.
    ++k;
    while (true) {
      if (k == line.size()) {
        std::string more;
        if (!lines_.next(more)) fail_here("unterminated quoted field " + std::to_string(fields.size()));
        fields.back() += '\n';
        line = std::move(more);
        k = 0;
        continue;
      }
      if (line[k] == '"') {
        if (k + 1 < line.size() && line[k + 1] == '"') {
          fields.back() += '"';
          k += 2;
          continue;
        }
        ++k;
        break;
      }
      fields.back() += line[k++];
    }
    if (k < line.size() && line[k] != ',') {
      fail_here("text after the closing quote of field " + std::to_string(fields.size()));
    }
    at_field_start = false;
  }
}

}  // namespace seqnn
