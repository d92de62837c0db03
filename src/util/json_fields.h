#pragma once
// Reading typed fields of JSON configs (native models, DeepSequence): an absent key keeps the
// default, a value of the wrong type is an error naming the config and the field.
#include <nlohmann/json.hpp>

#include <string>

#include "seqnn/util/error.h"

namespace seqnn {

template <typename T>
void read_json_field(const nlohmann::json& j, const char* key, T& value, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return;
  try {
    value = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    fail(where, std::string("field '") + key + "' has the wrong type (" + it->dump() + ")");
  }
}

}  // namespace seqnn
