#include "seqnn/sequence/shuffle.h"

#include <torch/torch.h>

#include <map>
#include <random>

#include "seqnn/util/error.h"
#include "seqnn/util/seed_mix.h"

namespace seqnn {
namespace {

// Uniform in [0, n) (multiply-shift; the same on every platform).
size_t draw(std::mt19937_64& rng, size_t n) {
  return static_cast<size_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

// One shuffle of `s` (letters 0..V-1) given each letter's exits (targets, in sequence order).
std::vector<int> shuffle_once(const std::vector<int>& s, const std::vector<std::vector<int>>& exits, std::mt19937_64& rng) {
  const size_t V = exits.size();
  const int last = s.back();
  // Wilson's algorithm: a uniform random arborescence towards `last`; next_exit[u] is the index
  // (in exits[u]) of u's last exit.
  std::vector<char> in_tree(V, 0);
  std::vector<size_t> next_exit(V, 0);
  in_tree[static_cast<size_t>(last)] = 1;
  for (size_t start = 0; start < V; ++start) {
    if (exits[start].empty()) continue;
    for (size_t u = start; !in_tree[u]; u = static_cast<size_t>(exits[u][next_exit[u]])) {
      next_exit[u] = draw(rng, exits[u].size());
    }
    for (size_t u = start; !in_tree[u]; u = static_cast<size_t>(exits[u][next_exit[u]])) in_tree[u] = 1;
  }
  // Each letter's exits in a random order, the tree edge last (the last letter has none fixed).
  std::vector<std::vector<int>> order(V);
  for (size_t u = 0; u < V; ++u) {
    std::vector<int> e = exits[u];
    if (e.empty()) continue;
    const bool fixed = static_cast<int>(u) != last;
    if (fixed) {
      std::swap(e[next_exit[u]], e.back());
    }
    const size_t free = fixed ? e.size() - 1 : e.size();
    for (size_t i = free; i > 1; --i) std::swap(e[i - 1], e[draw(rng, i)]);  // Fisher-Yates
    order[u] = std::move(e);
  }
  std::vector<int> out;
  out.reserve(s.size());
  std::vector<size_t> used(V, 0);
  int u = s.front();
  out.push_back(u);
  for (size_t i = 1; i < s.size(); ++i) {
    const size_t uu = static_cast<size_t>(u);
    u = order[uu][used[uu]++];
    out.push_back(u);
  }
  return out;
}

}  // namespace

std::vector<std::vector<int>> dinucleotide_shuffle_letters(const std::vector<int>& letters, int64_t k, uint64_t seed) {
  if (k < 0) throw Error("dinucleotide shuffle: the number of shuffles must not be negative");
  std::vector<std::vector<int>> out;
  if (letters.size() <= 2) {  // no other sequence has the same dinucleotides
    out.assign(static_cast<size_t>(k), letters);
    return out;
  }
  // Letters as dense indices 0..V-1, in order of first appearance.
  std::map<int, int> index;
  std::vector<int> symbol, s;
  for (int c : letters) {
    auto it = index.find(c);
    if (it == index.end()) {
      it = index.emplace(c, static_cast<int>(symbol.size())).first;
      symbol.push_back(c);
    }
    s.push_back(it->second);
  }
  std::vector<std::vector<int>> exits(symbol.size());
  for (size_t i = 0; i + 1 < s.size(); ++i) exits[static_cast<size_t>(s[i])].push_back(s[i + 1]);
  std::mt19937_64 rng(splitmix64(seed));
  for (int64_t j = 0; j < k; ++j) {
    std::vector<int> t = shuffle_once(s, exits, rng);
    for (int& c : t) c = symbol[static_cast<size_t>(c)];
    out.push_back(std::move(t));
  }
  return out;
}

at::Tensor dinucleotide_shuffle(const at::Tensor& x, int64_t k, uint64_t seed) {
  if (x.dim() != 2) throw Error("dinucleotide shuffle: expected one one-hot sequence (A, L), got shape " + c10::str(x.sizes()));
  const int64_t A = x.size(0), L = x.size(1);
  // Letter per column: the channel that is set, or A for an all-zero (unknown) column.
  at::Tensor cpu = x.to(torch::kCPU);
  at::Tensor any = cpu.ne(0).any(0);
  at::Tensor arg = cpu.ne(0).to(torch::kByte).argmax(0);
  auto any_a = any.accessor<bool, 1>();
  auto arg_a = arg.accessor<int64_t, 1>();
  std::vector<int> letters(static_cast<size_t>(L));
  for (int64_t l = 0; l < L; ++l) letters[static_cast<size_t>(l)] = any_a[l] ? static_cast<int>(arg_a[l]) : static_cast<int>(A);
  const auto shuffles = dinucleotide_shuffle_letters(letters, k, seed);
  // The l-th letter of a shuffle is copied from a column of the original with that letter (whole
  // columns, so soft one-hot values stay as they were).
  std::map<int, int64_t> column_of;
  for (int64_t l = 0; l < L; ++l) column_of.emplace(letters[static_cast<size_t>(l)], l);
  at::Tensor out = torch::zeros({k, A, L}, cpu.options());
  std::vector<int64_t> from(static_cast<size_t>(L));
  for (int64_t j = 0; j < k; ++j) {
    const auto& t = shuffles[static_cast<size_t>(j)];
    for (int64_t l = 0; l < L; ++l) from[static_cast<size_t>(l)] = column_of.at(t[static_cast<size_t>(l)]);
    out[j].copy_(cpu.index_select(1, torch::tensor(from, torch::kLong)));
  }
  return out.to(x.device());
}

at::Tensor dinucleotide_shuffles(const at::Tensor& X, int64_t k, uint64_t seed, int64_t first_index) {
  if (X.dim() != 3) throw Error("dinucleotide shuffle: expected one-hot sequences (N, A, L), got shape " + c10::str(X.sizes()));
  std::vector<at::Tensor> out;
  for (int64_t i = 0; i < X.size(0); ++i) {
    out.push_back(dinucleotide_shuffle(X[i], k, splitmix64(seed) ^ splitmix64(static_cast<uint64_t>(first_index + i) + 1)));
  }
  return torch::stack(out);
}

}  // namespace seqnn
