#pragma once
// Shared pieces of the folding-engine tests: every secondary structure of a short sequence (for
// brute force), random sequences, and the RNAfold reference files in ../shared/data/rna.
#include <cmath>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "seqnn/rna/fold/energy_params.h"

namespace seqnn::rna::fold::test {

// Calls f(partner table) for every nested structure with canonical pairs and hairpins >= 3
// (0-based partner tables, -1 = unpaired); max_span as FoldOptions::max_span (0 = none).
inline void for_each_structure(const EncodedSequence& s, const std::function<void(const std::vector<int>&)>& f, int max_span = 0) {
  std::vector<int> pt(static_cast<size_t>(s.n), -1);
  std::vector<std::pair<int, int>> pending;  // segments still to fill
  std::function<void(int, int)> rec = [&](int i, int end) {
    if (i >= end) {
      if (pending.empty()) {
        f(pt);
        return;
      }
      const auto seg = pending.back();
      pending.pop_back();
      rec(seg.first, seg.second);
      pending.push_back(seg);
      return;
    }
    rec(i + 1, end);
    for (int j = i + 4; j < end; ++j) {
      if (!s.type(i + 1, j + 1) || (max_span > 0 && j - i + 1 > max_span)) continue;
      pt[static_cast<size_t>(i)] = j;
      pt[static_cast<size_t>(j)] = i;
      pending.push_back({i + 1, j});
      rec(j + 1, end);
      pending.pop_back();
      pt[static_cast<size_t>(i)] = pt[static_cast<size_t>(j)] = -1;
    }
  };
  rec(0, s.n);
}

inline std::string random_rna(int n, std::mt19937_64& rng) {
  std::string s;
  for (int k = 0; k < n; ++k) s += "ACGU"[rng() % 4];
  return s;
}

struct RnafoldRecord {
  std::string id, sequence, structure;
  int energy = 0;  // dcal/mol
};

// ArchiveII_RNAfold-2.7.1_mfe.txt: ">id", sequence, "structure (energy)" per record; every
// `stride`-th record (empty when the file is absent).
inline std::vector<RnafoldRecord> read_rnafold_mfe(const std::string& path, int stride = 1) {
  std::vector<RnafoldRecord> out;
  std::ifstream in(path);
  std::string id, seq, line;
  for (int k = 0; std::getline(in, id) && std::getline(in, seq) && std::getline(in, line); ++k) {
    if (k % stride != 0) continue;
    const size_t sp = line.rfind(" (");
    out.push_back({id.substr(1), seq, line.substr(0, sp), static_cast<int>(std::lround(std::stod(line.substr(sp + 2)) * 100))});
  }
  return out;
}

}  // namespace seqnn::rna::fold::test
