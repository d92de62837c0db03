#include "seqnn/util/error.h"

namespace seqnn {

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
