#pragma once
// splitmix64 (Steele, Lea & Flood 2014): turns related seeds (seed, seed + 1, a row index) into
// unrelated ones, so per-sample or per-sequence generators drawn from one --seed do not correlate.
#include <cstdint>

namespace seqnn {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace seqnn
