#include "seqnn/util/json_object.h"

#include <algorithm>
#include <cstdio>

namespace seqnn {
namespace {

std::string bound_text(double v) {
  std::string s = std::to_string(v);
  // std::to_string writes six decimals; trim the zeros so "0.500000" reads "0.5".
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace

nlohmann::json parse_json(const std::string& text, const std::string& where) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for numbers like 1E999999
    fail(where, std::string("invalid JSON: ") + first_line(e.what()));
  }
}

JsonObject::JsonObject(const nlohmann::json& j, std::string where) : json_(j), where_(std::move(where)) {
  if (!json_.is_object()) fail(where_, "must be a JSON object, got " + json_.dump());
}

JsonObject JsonObject::parse(const std::string& text, const std::string& where) {
  return JsonObject(parse_json(text, where), where);
}

void JsonObject::allow_only(const std::vector<std::string>& allowed) const {
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(where_, "unknown key '" + it.key() + "' (allowed: " + list + ")");
  }
}

std::vector<JsonObject> JsonObject::read_objects(const std::string& key) const {
  std::vector<JsonObject> out;
  auto it = json_.find(key);
  if (it == json_.end()) return out;
  if (!it->is_array()) fail_key(key, "expected a list of objects, got " + it->dump());
  for (size_t i = 0; i < it->size(); ++i) out.emplace_back((*it)[i], where_ + ": " + key + "[" + std::to_string(i) + "]");
  return out;
}

void JsonObject::require_positive(const std::string& key, int64_t value) const {
  if (value <= 0) fail_key(key, "must be positive, got " + std::to_string(value));
}

void JsonObject::require_positive(const std::string& key, double value) const {
  if (!(value > 0)) fail_key(key, "must be positive, got " + bound_text(value));
}

void JsonObject::require_at_least(const std::string& key, int64_t value, int64_t minimum) const {
  if (value < minimum) fail_key(key, "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
}

void JsonObject::require_in_half_open(const std::string& key, double value, double lo, double hi) const {
  if (!(value >= lo && value < hi)) {
    fail_key(key, "must be in [" + bound_text(lo) + ", " + bound_text(hi) + "), got " + bound_text(value));
  }
}

void JsonObject::require_size(const std::string& key, int64_t value, int64_t minimum, int64_t maximum) const {
  if (value < minimum) {
    fail_key(key, minimum == 1 ? "must be positive, got " + std::to_string(value)
                               : "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
  }
  if (value > maximum) {
    fail_key(key, std::to_string(value) + " is too large (at most " + std::to_string(maximum) + ")");
  }
}

void JsonObject::fail_key(const std::string& key, const std::string& problem) const { fail(where_ + ": " + key, problem); }

void WeightCount::add(const std::string& key, double weights) {
  total_ += weights;
  if (total_ <= kMaxConfigWeights) return;
  char text[160];
  std::snprintf(text, sizeof text, "brings the model to %.3g weights (this layer %.3g), more than the %.0f seqnn builds",
                total_, weights, kMaxConfigWeights);
  config_.fail_key(key, text);
}

}  // namespace seqnn
