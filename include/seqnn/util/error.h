#pragma once
// seqnn reports bad input with one exception type whose message is a single line naming the
// file, the line (or record) and the problem, e.g. "regions.bed:12: end (90) < start (100)".
// The CLI prints what() and exits non-zero; library users can catch it the same way.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace seqnn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// "where: problem", or "file:line: problem" when a line number (>= 1) is given.
[[noreturn]] void fail(const std::string& where, const std::string& problem);
[[noreturn]] void fail_at(const std::string& file, int64_t line, const std::string& problem);

// The first line of a (possibly multi-line, e.g. TorchScript) error message, trimmed.
std::string first_line(const std::string& message);

}  // namespace seqnn
