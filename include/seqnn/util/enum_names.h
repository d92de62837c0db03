#pragma once
// Name tables for enum-like config values: parsed once, at load, into an enum (so hot code
// switches on enums, never compares strings) and written back out under the same name.
#include <string>
#include <vector>

#include "seqnn/util/error.h"

namespace seqnn {

// One name of an enum-like value, e.g. {Activation::kRelu, "relu"}.
template <typename E>
struct EnumName {
  E value;
  const char* name;
};

// The name of `value` in `names` (a value missing from its table is a programming error).
template <typename E>
const char* enum_name(E value, const std::vector<EnumName<E>>& names) {
  for (const auto& n : names) {
    if (n.value == value) return n.name;
  }
  throw Error("internal error: enum value without a name");
}

// "a, b, c" from a name table (for messages and help texts).
template <typename E>
std::string enum_names(const std::vector<EnumName<E>>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + std::string(n.name);
  return out;
}

// The value named `text`; "where: unknown value 'text' (allowed: a, b)" otherwise.
template <typename E>
E parse_enum(const std::string& text, const std::vector<EnumName<E>>& names, const std::string& where) {
  for (const auto& n : names) {
    if (text == n.name) return n.value;
  }
  fail(where, "unknown value '" + text + "' (allowed: " + enum_names(names) + ")");
}

}  // namespace seqnn
