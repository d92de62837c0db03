#include "seqnn/rna/structure.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>

#include "seqnn/util/error.h"

namespace seqnn::rna {
namespace {

constexpr char kOpen[] = "([{<";
constexpr char kClose[] = ")]}>";
constexpr int kLayers = 4;

int bracket_layer(const char* set, char c) {
  for (int k = 0; k < kLayers; ++k) {
    if (set[k] == c) return k;
  }
  return -1;
}

bool crosses(const BasePair& a, const BasePair& b) {
  return (a.i < b.i && b.i < a.j && a.j < b.j) || (b.i < a.i && a.i < b.j && b.j < a.j);
}

std::string pos_text(int64_t i) { return "position " + std::to_string(i + 1); }

}  // namespace

Structure::Structure(int64_t length)
    : partner_(static_cast<size_t>(std::max<int64_t>(length, 0)), -1),
      layer_(static_cast<size_t>(std::max<int64_t>(length, 0)), -1) {}

void Structure::add_pair(int64_t i, int64_t j, int layer, const std::string& where) {
  if (i > j) std::swap(i, j);
  if (i < 0 || j >= length()) {
    fail(where, "pair (" + std::to_string(i + 1) + ", " + std::to_string(j + 1) + ") is outside 1.." +
                    std::to_string(length()));
  }
  if (i == j) fail(where, "base " + std::to_string(i + 1) + " is paired with itself");
  for (int64_t b : {i, j}) {
    if (partner_[static_cast<size_t>(b)] >= 0) {
      fail(where, "base " + std::to_string(b + 1) + " is in two pairs (with " +
                      std::to_string(partner_[static_cast<size_t>(b)] + 1) + " and " +
                      std::to_string((b == i ? j : i) + 1) + ")");
    }
  }
  partner_[static_cast<size_t>(i)] = j;
  partner_[static_cast<size_t>(j)] = i;
  layer_[static_cast<size_t>(i)] = layer_[static_cast<size_t>(j)] = layer;
}

Structure Structure::from_dot_bracket(const std::string& text, const std::string& where) {
  Structure s(static_cast<int64_t>(text.size()));
  std::vector<int64_t> stack[kLayers];
  for (int64_t p = 0; p < s.length(); ++p) {
    const char c = text[static_cast<size_t>(p)];
    if (c == '.') continue;
    if (int k = bracket_layer(kOpen, c); k >= 0) {
      stack[k].push_back(p);
    } else if (int k2 = bracket_layer(kClose, c); k2 >= 0) {
      if (stack[k2].empty()) fail(where, "unbalanced '" + std::string(1, c) + "' at " + pos_text(p));
      s.add_pair(stack[k2].back(), p, k2, where);
      stack[k2].pop_back();
    } else {
      fail(where, "unknown character '" + std::string(1, c) + "' at " + pos_text(p) + " (expected . ( ) [ ] { } < >)");
    }
  }
  for (int k = 0; k < kLayers; ++k) {
    if (!stack[k].empty()) {
      fail(where, "unbalanced '" + std::string(1, kOpen[k]) + "' at " + pos_text(stack[k].back()));
    }
  }
  return s;
}

Structure Structure::from_pairs(int64_t length, const std::vector<BasePair>& pairs, const std::string& where) {
  std::vector<BasePair> sorted;
  for (auto p : pairs) sorted.push_back(p.i < p.j ? p : BasePair{p.j, p.i});
  std::sort(sorted.begin(), sorted.end());
  Structure s(length);
  std::vector<std::vector<BasePair>> layers;
  for (const auto& p : sorted) {
    size_t k = 0;
    for (; k < layers.size(); ++k) {
      if (std::none_of(layers[k].begin(), layers[k].end(), [&](const BasePair& q) { return crosses(p, q); })) break;
    }
    if (k == layers.size()) layers.emplace_back();
    if (k >= static_cast<size_t>(kLayers)) fail(where, "more than 4 crossing layers of pairs (dot-bracket cannot show them)");
    s.add_pair(p.i, p.j, static_cast<int>(k), where);
    layers[k].push_back(p);
  }
  return s;
}

Structure Structure::from_pair_list_text(int64_t length, const std::string& text, const std::string& where) {
  // Accepts any text whose numbers come in (i, j) order: "[[1, 5], [2, 4]]", "1 5; 2 4", "[]".
  std::vector<int64_t> numbers;
  for (size_t p = 0; p < text.size();) {
    const char c = text[p];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t end = p;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end - p > 12) fail(where, "position '" + text.substr(p, end - p) + "' in a base-pair list is too large");
      numbers.push_back(std::stoll(text.substr(p, end - p)));
      p = end;
    } else if (c == '[' || c == ']' || c == ',' || c == ' ' || c == ';' || c == '(' || c == ')' || c == '\t') {
      ++p;
    } else {
      fail(where, "unexpected character '" + std::string(1, c) + "' in a base-pair list");
    }
  }
  if (numbers.size() % 2 != 0) fail(where, "odd count of numbers in a base-pair list");
  std::vector<BasePair> pairs;
  for (size_t k = 0; k < numbers.size(); k += 2) {
    if (numbers[k] < 1 || numbers[k + 1] < 1) fail(where, "base-pair positions are 1-based (found 0)");
    pairs.push_back({numbers[k] - 1, numbers[k + 1] - 1});
  }
  return from_pairs(length, pairs, where);
}

Structure Structure::from_matrix(const at::Tensor& matrix, const std::string& where) {
  if (matrix.dim() != 2 || matrix.size(0) != matrix.size(1)) fail(where, "pairing matrix must be square (L x L)");
  at::Tensor m = matrix.to(torch::kCPU).to(torch::kDouble).contiguous();
  const int64_t n = m.size(0);
  const double* v = m.data_ptr<double>();
  std::vector<BasePair> pairs;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      const double a = v[i * n + j];
      if (a != 0.0 && a != 1.0) fail(where, "entry (" + std::to_string(i + 1) + ", " + std::to_string(j + 1) + ") is not 0 or 1");
      if (a != v[j * n + i]) fail(where, "matrix is not symmetric at (" + std::to_string(i + 1) + ", " + std::to_string(j + 1) + ")");
      if (a == 1.0 && i == j) fail(where, "base " + std::to_string(i + 1) + " is paired with itself");
      if (a == 1.0 && i < j) pairs.push_back({i, j});
    }
  }
  return from_pairs(n, pairs, where);
}

std::vector<BasePair> Structure::pairs() const {
  std::vector<BasePair> out;
  for (int64_t i = 0; i < length(); ++i) {
    if (partner(i) > i) out.push_back({i, partner(i)});
  }
  return out;
}

std::vector<BasePair> Structure::nested_pairs() const {
  std::vector<BasePair> out;
  for (const auto& p : pairs()) {
    if (layer(p.i) == 0) out.push_back(p);
  }
  return out;
}

std::vector<BasePair> Structure::pseudoknot_pairs() const {
  std::vector<BasePair> out;
  for (const auto& p : pairs()) {
    if (layer(p.i) > 0) out.push_back(p);
  }
  return out;
}

int64_t Structure::num_pairs() const { return static_cast<int64_t>(pairs().size()); }

std::string Structure::to_dot_bracket() const {
  std::string out(static_cast<size_t>(length()), '.');
  for (const auto& p : pairs()) {
    out[static_cast<size_t>(p.i)] = kOpen[layer(p.i)];
    out[static_cast<size_t>(p.j)] = kClose[layer(p.i)];
  }
  return out;
}

std::string Structure::to_pair_list_text() const {
  std::string out = "[";
  for (const auto& p : pairs()) {
    if (out.size() > 1) out += ", ";
    out += "[" + std::to_string(p.i + 1) + ", " + std::to_string(p.j + 1) + "]";
  }
  return out + "]";
}

at::Tensor Structure::to_matrix() const {
  at::Tensor m = torch::zeros({length(), length()}, torch::kFloat);
  auto a = m.accessor<float, 2>();
  for (const auto& p : pairs()) a[p.i][p.j] = a[p.j][p.i] = 1.0f;
  return m;
}

bool is_canonical_pair(char a, char b) {
  auto norm = [](char c) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return c == 'T' ? 'U' : c;
  };
  const char x = norm(a), y = norm(b);
  const std::string pair{x, y};
  return pair == "AU" || pair == "UA" || pair == "GC" || pair == "CG" || pair == "GU" || pair == "UG";
}

}  // namespace seqnn::rna
