#include "seqnn/util/error.h"

#include <algorithm>
#include <cstdio>

namespace seqnn {

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
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
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

}  // namespace seqnn
