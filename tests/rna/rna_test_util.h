#pragma once
// Shared pieces of the rna module's tests: stem boxes, random nested structures for brute-force tests.
#include <random>
#include <string>

#include "seqnn/rna/boxes.h"

namespace seqnn::rna::test {

// A stem box of width w whose outer pair is (i, j).
inline Box stem(int64_t i, int64_t j, int64_t w) { return {BoxType::kStem, i, j, w, w}; }

// A random pseudoknot-free dot-bracket of the given length; stems are extended with
// probability `stack` so that stems, bulges, internal and multi-branch loops all occur.
inline void fill_random(std::string& s, int64_t a, int64_t b, std::mt19937_64& rng, double stack) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  while (b - a >= 4) {
    if (u(rng) < 0.35) {
      ++a;
      continue;
    }
    std::uniform_int_distribution<int64_t> pick(a + 4, b);
    int64_t i = a, j = pick(rng);
    const int64_t next = j + 1;
    do {
      s[static_cast<size_t>(i)] = '(';
      s[static_cast<size_t>(j)] = ')';
      ++i;
      --j;
    } while (j - i >= 4 && u(rng) < stack);
    fill_random(s, i, j, rng, stack);
    a = next;
  }
}

inline std::string random_dot_bracket(int64_t length, uint64_t seed, double stack = 0.7) {
  std::mt19937_64 rng(seed);
  std::string s(static_cast<size_t>(length), '.');
  fill_random(s, 0, length - 1, rng, stack);
  return s;
}

inline std::string random_rna(int64_t length, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s;
  for (int64_t k = 0; k < length; ++k) s.push_back("ACGU"[rng() % 4]);
  return s;
}

}  // namespace seqnn::rna::test
