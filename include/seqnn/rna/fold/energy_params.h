#pragma once
// Nearest-neighbour energy parameters (Turner 2004, 37 C) in RNAfold's conventions: integer
// energies in dcal/mol, pair types CG=1 GC=2 GU=3 UG=4 AU=5 UA=6 (7 = non-standard, never formed
// here), bases A=1 C=2 G=3 U=4 and 0 for anything else (N and IUPAC codes: unpairable, but still a
// neighbour in mismatch and dangle terms, as in RNAfold). The numbers are data
// (src/rna/fold/turner2004_params.inc, source recorded there), parsed once.
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn::rna::fold {

constexpr int kInf = 10000000;  // "forbidden" (hairpins of fewer than 3 bases, ...)
constexpr int kMaxLoop = 30;    // largest interior loop (unpaired bases on both sides together)
constexpr int kMinHairpin = 3;  // fewest unpaired bases in a hairpin

struct SpecialHairpin {
  std::string sequence;  // closing pair included: 5 (tri), 6 (tetra) or 8 (hexa) letters
  int energy = 0;        // the loop's whole free energy (replaces size + mismatch terms)
};

struct EnergyParams {
  int stack[8][8];
  int hairpin[kMaxLoop + 1], bulge[kMaxLoop + 1], interior[kMaxLoop + 1];
  int mismatch_hairpin[8][5][5], mismatch_interior[8][5][5], mismatch_interior_1n[8][5][5];
  int mismatch_interior_23[8][5][5], mismatch_multi[8][5][5], mismatch_exterior[8][5][5];
  int dangle5[8][5], dangle3[8][5];
  int int11[8][8][5][5];
  int int21[8][8][5][5][5];
  int int22[8][8][5][5][5][5];  // entries with a base 0 hold the largest A/C/G/U value (as RNAfold)
  int ml_base = 0, ml_closing = 0, ml_intern = 0;
  int ninio = 0, max_ninio = 0;
  int terminal_au = 0;
  double lxc = 107.856;  // loop extrapolation beyond 30: lxc * ln(n / 30), truncated to dcal/mol
  std::vector<SpecialHairpin> triloops, tetraloops, hexaloops;
};

// The Turner 2004 set (parsed on first use; thread-safe).
const EnergyParams& turner2004();

// Base code of a letter (upper or lower case, T = U): A=1 C=2 G=3 U=4, anything else 0.
int base_code(char c);
// Pair type of two base codes (0 when the bases cannot pair; -1 = no base).
inline int pair_type(int a, int b) {
  static constexpr int8_t kTable[5][5] = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 5}, {0, 0, 0, 1, 0}, {0, 0, 2, 0, 3}, {0, 6, 0, 4, 0}};
  return (a < 0 || b < 0) ? 0 : kTable[a][b];
}

// A sequence ready for folding: upper case, T->U, codes 1-based (codes[0] and codes[n+1] are -1,
// "no neighbour").
struct EncodedSequence {
  std::string letters;        // upper case, U for T, length n
  std::vector<int8_t> codes;  // n + 2 entries
  int n = 0;
  int base(int i) const { return codes[static_cast<size_t>(i)]; }  // 1-based
  int type(int i, int j) const { return pair_type(codes[static_cast<size_t>(i)], codes[static_cast<size_t>(j)]); }
};
// Letters other than A C G U T (either case) are kept as written (upper-cased) and cannot pair;
// an empty sequence or a character that is not a letter is an error (seqnn::Error).
EncodedSequence encode_sequence(const std::string& sequence);

}  // namespace seqnn::rna::fold
