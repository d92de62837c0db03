#include "seqnn/util/error.h"

#include <algorithm>
#include <cstdio>

namespace seqnn {
namespace {

// Length of the valid UTF-8 sequence starting at text[at], or 0 when the bytes there are not one
// (a corrupt file's bytes quoted in a message would otherwise reach the terminal raw).
size_t utf8_sequence_length(const std::string& text, size_t at) {
  const unsigned char lead = static_cast<unsigned char>(text[at]);
  const size_t n = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (n == 0 || at + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char c = static_cast<unsigned char>(text[at + k]);
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return n;
}

void append_hex(std::string& out, unsigned char c) {
  char hex[8];
  std::snprintf(hex, sizeof(hex), "\\x%02x", c);
  out += hex;
}

// True for the lines of a LibTorch message that only frame the cause (TorchScript tracebacks).
bool is_traceback_header(const std::string& line) {
  return line.rfind("The following operation failed in the TorchScript interpreter", 0) == 0 ||
         line.rfind("Traceback of TorchScript", 0) == 0;
}

std::string trimmed(const std::string& line) {
  const size_t b = line.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = line.find_last_not_of(" \t\r");
  return line.substr(b, e - b + 1);
}

}  // namespace

std::string one_line(const std::string& text, size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max) + 16);
  size_t shown = 0;
  for (; shown < text.size() && out.size() < max; ++shown) {
    const unsigned char c = static_cast<unsigned char>(text[shown]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      append_hex(out, c);
    } else if (c >= 0x80) {
      const size_t n = utf8_sequence_length(text, shown);
      if (n == 0) {
        append_hex(out, c);
      } else {
        out.append(text, shown, n);
        shown += n - 1;
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  if (shown < text.size()) out += "... (" + std::to_string(text.size() - shown) + " more characters)";
  return out;
}

Error::Error(const std::string& message) : std::runtime_error(one_line(message)) {}

void fail(const std::string& where, const std::string& problem) {
  throw Error(where.empty() ? problem : where + ": " + problem);
}

void fail_at(const std::string& file, int64_t line, const std::string& problem) {
  throw Error(file + ":" + std::to_string(line) + ": " + problem);
}

std::string first_line(const std::string& message) {
  size_t begin = message.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = message.find('\n', begin);
  std::string line = message.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

std::string error_cause(const std::string& message) {
  const std::string first = first_line(message);
  if (!is_traceback_header(first)) return first;
  // A TorchScript interpreter traceback: the frames come first, the exception ("RuntimeError:
  // mat1 and mat2 shapes cannot be multiplied (2x52 and 40x3)") last.
  std::string last;
  size_t begin = 0;
  while (begin <= message.size()) {
    size_t end = message.find('\n', begin);
    if (end == std::string::npos) end = message.size();
    const std::string line = trimmed(message.substr(begin, end - begin));
    if (!line.empty()) last = line;
    begin = end + 1;
  }
  for (const char* prefix : {"RuntimeError: ", "ValueError: ", "IndexError: ", "TypeError: ", "AssertionError: "}) {
    if (last.rfind(prefix, 0) == 0) return last.substr(std::char_traits<char>::length(prefix));
  }
  return last;
}

}  // namespace seqnn
