#pragma once
// A toy alignment and a small VAE configuration shared by the DeepSequence tests.
#include <random>
#include <sstream>
#include <string>

namespace seqnn::ds::test_data {

// 60 records from two ancestors with random substitutions and gaps; the focus row has a
// lowercase (non-focus) first column, so focus column 0 is UniProt position 6.
inline std::string toy_alignment() {
  const std::string anc[2] = {"ACDEFGHIKLMN", "ACDQFGRIKLWN"};
  const std::string aa = "ACDEFGHIKLMNPQRSTVWY-";
  std::mt19937 rng(5);
  std::ostringstream out;
  out << ">TOY/5-17\nm" << anc[0] << "\n";
  for (int i = 0; i < 60; ++i) {
    std::string s = anc[i % 2];
    for (char& c : s) {
      if (rng() % 6 == 0) c = aa[rng() % aa.size()];
    }
    out << ">r" << i << "\n." << s << "\n";
  }
  return out.str();
}

inline const char* toy_config() {
  return R"({"encoder": [16], "latent": 2, "decoder": [8, 12], "dictionary": 4, "batch_size": 10})";
}

// Mutants on the toy focus (TOY/5-17, first focus column at 6): four placeable, three not.
inline const char* toy_mutations() { return "mutant,fit\nA6C,0.5\nC7D,-1\nA6C:D8E,-2\nG6A,0\nM5A,1\nXYZ,2\nF10W,notanumber\n"; }

}  // namespace seqnn::ds::test_data
