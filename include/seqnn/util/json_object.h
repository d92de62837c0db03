#pragma once
// Reading JSON config objects (model, VAE and training configs) with one set of rules:
//   * every key must be one the reader allows: "cfg.json: unknown key 'hiden' (allowed: a, b, c)";
//   * an absent key keeps the field's default; a present one must have the field's type:
//     "cfg.json: hidden: expected an integer, got \"64\"";
//   * enum-like values are looked up once, at load, in a name table:
//     "cfg.json: cell: unknown value 'rnn' (allowed: lstm, gru)";
//   * range checks name the key: "cfg.json: conv[0]: filters: must be positive, got 0".
// Every message is "where: key: problem", where `where` is the file (or "file: conv[2]").
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "seqnn/util/enum_names.h"
#include "seqnn/util/error.h"

namespace seqnn {

// Parses JSON text; "where: invalid JSON: ..." on a syntax error.
nlohmann::json parse_json(const std::string& text, const std::string& where);

// The largest layer size (filters, units, hidden, outputs, kernel width, ...) a config may give:
// 2^24, far above any real model, far below what would overflow a weight count.
constexpr int64_t kMaxConfigSize = int64_t{1} << 24;
// The largest sequence length a config may give (input_length): 2^30.
constexpr int64_t kMaxConfigLength = int64_t{1} << 30;

// The most weights a model config may describe: 2^31 (8 GiB of float32), beyond any real
// sequence model. Checked on the config, so a typo (10^12 filters) is refused naming the layer
// before the network is built, not by the allocator.
constexpr double kMaxConfigWeights = 2147483648.0;

class JsonObject {
 public:
  // `j` must be an object: "where: must be a JSON object" otherwise.
  JsonObject(const nlohmann::json& j, std::string where);
  // parse_json, then the object check.
  static JsonObject parse(const std::string& text, const std::string& where);

  const std::string& where() const { return where_; }
  const nlohmann::json& json() const { return json_; }
  bool has(const std::string& key) const { return json_.contains(key); }

  // Every key must be in `allowed`.
  void allow_only(const std::vector<std::string>& allowed) const;

  // Absent: `value` keeps its default. Present: it must have the type of T (integers for integer
  // fields, numbers for floating-point ones, strings, booleans, lists of those).
  template <typename T>
  void read(const std::string& key, T& value) const {
    auto it = json_.find(key);
    if (it == json_.end()) return;
    if (!holds<T>(*it)) fail_key(key, std::string("expected ") + type_name<T>() + ", got " + it->dump());
    value = it->get<T>();
  }
  // An enum-like value by name; absent keeps the default.
  template <typename E>
  void read_enum(const std::string& key, E& value, const std::vector<EnumName<E>>& names) const {
    std::string text;
    if (!has(key)) return;
    read(key, text);
    value = parse_enum(text, names, where_ + ": " + key);
  }
  // A list of objects, each with where "where: key[i]"; absent gives an empty list.
  std::vector<JsonObject> read_objects(const std::string& key) const;

  // Range checks on a value already read; they fail with "where: key: must be ..., got V".
  void require_positive(const std::string& key, int64_t value) const;
  void require_positive(const std::string& key, double value) const;
  void require_at_least(const std::string& key, int64_t value, int64_t minimum) const;
  // lo <= value < hi (e.g. dropout in [0, 1)).
  void require_in_half_open(const std::string& key, double value, double lo, double hi) const;
  // minimum <= value <= maximum, for sizes (filters, units, hidden, lengths): a size beyond any
  // real model (10^12 filters) is refused here, naming the key, before anything is allocated;
  // otherwise the allocator fails later with a message that names neither file nor key.
  void require_size(const std::string& key, int64_t value, int64_t minimum = 1, int64_t maximum = kMaxConfigSize) const;

  [[noreturn]] void fail_key(const std::string& key, const std::string& problem) const;

 private:
  template <typename T>
  static bool holds(const nlohmann::json& v) {
    if constexpr (std::is_same_v<T, bool>) {
      return v.is_boolean();
    } else if constexpr (std::is_integral_v<T>) {
      return v.is_number_integer();
    } else if constexpr (std::is_floating_point_v<T>) {
      return v.is_number();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return v.is_string();
    } else {
      if (!v.is_array()) return false;
      for (const auto& e : v) {
        if (!holds<typename T::value_type>(e)) return false;
      }
      return true;
    }
  }
  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) {
      return "true or false";
    } else if constexpr (std::is_integral_v<T>) {
      return "an integer";
    } else if constexpr (std::is_floating_point_v<T>) {
      return "a number";
    } else if constexpr (std::is_same_v<T, std::string>) {
      return "a string";
    } else if constexpr (std::is_same_v<typename T::value_type, std::string>) {
      return "a list of strings";
    } else if constexpr (std::is_integral_v<typename T::value_type>) {
      return "a list of integers";
    } else {
      return "a list of numbers";
    }
  }

  nlohmann::json json_;
  std::string where_;
};

// Adds up the weights of a config's layers as a reader walks them (biases and batch-norm
// parameters included, as an upper estimate) and fails on the layer that passes
// kMaxConfigWeights: "cfg.json: conv[1]: brings the model to 8e+10 weights (this layer 8e+10),
// more than the 2147483648 seqnn builds".
class WeightCount {
 public:
  explicit WeightCount(const JsonObject& config) : config_(config) {}
  void add(const std::string& key, double weights);

 private:
  const JsonObject& config_;
  double total_ = 0;
};

}  // namespace seqnn
