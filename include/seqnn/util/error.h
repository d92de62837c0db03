#pragma once
// seqnn reports bad input with one exception type whose message is a single line naming the
// file, the line (or record) and the problem, e.g. "regions.bed:12: end (90) < start (100)".
// The CLI prints what() and exits non-zero; library users can catch it the same way.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace seqnn {

class Error : public std::runtime_error {
 public:
  // The message is kept on one line whatever it quotes: line breaks and other control characters
  // (from a corrupt file's bytes, say) are written as escapes (\n, \x01), and text past 2,000
  // characters is cut with a note of how much was left out.
  explicit Error(const std::string& message);
};

// `text` as it appears in an Error: control characters and bytes that are not UTF-8 escaped,
// cut after `max` characters.
std::string one_line(const std::string& text, size_t max = 2000);

// "where: problem", or "file:line: problem" when a line number (>= 1) is given.
[[noreturn]] void fail(const std::string& where, const std::string& problem);
[[noreturn]] void fail_at(const std::string& file, int64_t line, const std::string& problem);

// The first line of a (possibly multi-line, e.g. TorchScript) error message, trimmed.
std::string first_line(const std::string& message);
// The line of a LibTorch error message that says what went wrong: its first line, except for a
// TorchScript interpreter traceback, whose first line only says that an operation failed and
// whose last line holds the cause ("mat1 and mat2 shapes cannot be multiplied (2x52 and 40x3)",
// the Python exception name dropped).
std::string error_cause(const std::string& message);

}  // namespace seqnn
