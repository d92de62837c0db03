#include "seqnn/rna/fold/energy_params.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <sstream>

#include "seqnn/util/error.h"

namespace seqnn::rna::fold {
namespace {

const char kTurner2004Text[] =
#include "rna/fold/turner2004_params.inc"
    ;

// Section name -> its numbers (INF as kInf) and, for the special hairpins, its words.
struct ParSection {
  std::vector<int> numbers;
  std::vector<std::string> words;
};

std::map<std::string, ParSection> par_split_sections(const std::string& text) {
  std::map<std::string, ParSection> out;
  std::istringstream in(text);
  std::string line, current;
  while (std::getline(in, line)) {
    const size_t c = line.find("/*");
    if (c != std::string::npos) line.erase(c, line.find("*/", c) + 2 - c);
    std::istringstream words(line);
    std::string w;
    if (!(words >> w)) continue;
    if (w == "#") {
      words >> current;
      continue;
    }
    ParSection& s = out[current];
    do {
      if (w == "INF") {
        s.numbers.push_back(kInf);
      } else if (std::isdigit(static_cast<unsigned char>(w[0])) || w[0] == '-') {
        s.numbers.push_back(std::atoi(w.c_str()));
      } else {
        s.words.push_back(w);
      }
    } while (words >> w);
  }
  return out;
}

const std::vector<int>& par_numbers(const std::map<std::string, ParSection>& s, const std::string& name, size_t count) {
  auto it = s.find(name);
  if (it == s.end()) throw Error("turner2004 parameters: no section '" + name + "'");
  if (it->second.numbers.size() != count) {
    throw Error("turner2004 parameters: section '" + name + "' has " + std::to_string(it->second.numbers.size()) +
                " numbers, expected " + std::to_string(count));
  }
  return it->second.numbers;
}

std::vector<SpecialHairpin> par_special(const std::map<std::string, ParSection>& s, const std::string& name, size_t length) {
  auto it = s.find(name);
  if (it == s.end() || it->second.words.size() != it->second.numbers.size()) {
    throw Error("turner2004 parameters: bad section '" + name + "'");
  }
  std::vector<SpecialHairpin> out;
  for (size_t k = 0; k < it->second.words.size(); ++k) {
    if (it->second.words[k].size() != length) throw Error("turner2004 parameters: bad loop " + it->second.words[k]);
    out.push_back({it->second.words[k], it->second.numbers[k]});
  }
  return out;
}

// int22 entries that involve a base other than A/C/G/U take the largest value over the A/C/G/U
// bases in those positions (RNAfold's rule for non-standard nucleotides).
void fill_int22_unknown_bases(EnergyParams& p) {
  for (int a = 1; a <= 6; ++a) {
    for (int b = 1; b <= 6; ++b) {
      for (int idx = 0; idx < 625; ++idx) {
        int d[4] = {idx / 125, (idx / 25) % 5, (idx / 5) % 5, idx % 5};
        if (d[0] && d[1] && d[2] && d[3]) continue;
        int best = -kInf;
        for (int c = 0; c < 256; ++c) {
          int e[4];
          bool ok = true;
          for (int k = 0; k < 4; ++k) {
            const int sub = 1 + ((c >> (2 * k)) & 3);
            if (d[k]) {
              if (sub != 1) ok = false;  // enumerate each completion once
              e[k] = d[k];
            } else {
              e[k] = sub;
            }
          }
          if (ok) best = std::max(best, p.int22[a][b][e[0]][e[1]][e[2]][e[3]]);
        }
        p.int22[a][b][d[0]][d[1]][d[2]][d[3]] = best;
      }
    }
  }
}

EnergyParams parse_turner2004() {
  const auto s = par_split_sections(kTurner2004Text);
  EnergyParams p{};
  // Pair type 0 ("no pair") and everything not in the file stays forbidden.
  std::fill(&p.stack[0][0], &p.stack[0][0] + 64, kInf);
  std::fill(&p.int11[0][0][0][0], &p.int11[0][0][0][0] + 8 * 8 * 25, kInf);
  std::fill(&p.int21[0][0][0][0][0], &p.int21[0][0][0][0][0] + 8 * 8 * 125, kInf);
  std::fill(&p.int22[0][0][0][0][0][0], &p.int22[0][0][0][0][0][0] + 8 * 8 * 625, kInf);
  const auto& st = par_numbers(s, "stack", 49);
  for (int a = 0; a < 7; ++a) {
    for (int b = 0; b < 7; ++b) p.stack[a + 1][b + 1] = st[static_cast<size_t>(a * 7 + b)];
  }
  auto mismatch = [&](const std::string& name, int (&m)[8][5][5]) {
    std::fill(&m[0][0][0], &m[0][0][0] + 200, 0);
    const auto& v = par_numbers(s, name, 175);
    for (int t = 0; t < 7; ++t) {
      for (int k = 0; k < 25; ++k) m[t + 1][k / 5][k % 5] = v[static_cast<size_t>(t * 25 + k)];
    }
  };
  mismatch("mismatch_hairpin", p.mismatch_hairpin);
  mismatch("mismatch_interior", p.mismatch_interior);
  mismatch("mismatch_interior_1n", p.mismatch_interior_1n);
  mismatch("mismatch_interior_23", p.mismatch_interior_23);
  mismatch("mismatch_multi", p.mismatch_multi);
  mismatch("mismatch_exterior", p.mismatch_exterior);
  // The file lists exterior/multiloop mismatches and dangles for the pair read from inside the
  // loop, (j, i), with the base 3' of j first; the evaluator indexes them by the stem (i, j) and
  // the bases (i-1, j+1), as RNAfold's compiled tables do. Reindex once here.
  auto reverse_pair = [](int t) { return t == 7 ? 7 : (t % 2 == 1 ? t + 1 : t - 1); };
  auto flip_mismatch = [&](int (&m)[8][5][5]) {
    int copy[8][5][5];
    std::copy(&m[0][0][0], &m[0][0][0] + 200, &copy[0][0][0]);
    for (int t = 1; t <= 7; ++t) {
      for (int a = 0; a < 5; ++a) {
        for (int b = 0; b < 5; ++b) m[t][a][b] = copy[reverse_pair(t)][b][a];
      }
    }
  };
  flip_mismatch(p.mismatch_multi);
  flip_mismatch(p.mismatch_exterior);
  auto dangle = [&](const std::string& name, int (&d)[8][5]) {
    std::fill(&d[0][0], &d[0][0] + 40, 0);
    const auto& v = par_numbers(s, name, 35);
    for (int t = 0; t < 7; ++t) {
      for (int b = 0; b < 5; ++b) d[t + 1][b] = v[static_cast<size_t>(t * 5 + b)];
    }
  };
  dangle("dangle5", p.dangle5);
  dangle("dangle3", p.dangle3);
  auto flip_dangle = [&](int (&d)[8][5]) {
    int copy[8][5];
    std::copy(&d[0][0], &d[0][0] + 40, &copy[0][0]);
    for (int t = 1; t <= 7; ++t) {
      for (int b = 0; b < 5; ++b) d[t][b] = copy[reverse_pair(t)][b];
    }
  };
  flip_dangle(p.dangle5);
  flip_dangle(p.dangle3);
  const auto& i11 = par_numbers(s, "int11", 7 * 7 * 25);
  const auto& i21 = par_numbers(s, "int21", 7 * 7 * 125);
  const auto& i22 = par_numbers(s, "int22", 6 * 6 * 256);
  size_t k11 = 0, k21 = 0, k22 = 0;
  for (int a = 1; a <= 7; ++a) {
    for (int b = 1; b <= 7; ++b) {
      for (int x = 0; x < 25; ++x) p.int11[a][b][x / 5][x % 5] = i11[k11++];
      for (int x = 0; x < 125; ++x) p.int21[a][b][x / 25][(x / 5) % 5][x % 5] = i21[k21++];
    }
  }
  for (int a = 1; a <= 6; ++a) {
    for (int b = 1; b <= 6; ++b) {
      for (int x = 0; x < 256; ++x) p.int22[a][b][1 + x / 64][1 + (x / 16) % 4][1 + (x / 4) % 4][1 + x % 4] = i22[k22++];
    }
  }
  fill_int22_unknown_bases(p);
  const auto& hp = par_numbers(s, "hairpin", 31);
  const auto& bu = par_numbers(s, "bulge", 31);
  const auto& il = par_numbers(s, "interior", 31);
  for (int k = 0; k <= kMaxLoop; ++k) {
    p.hairpin[k] = hp[static_cast<size_t>(k)];
    p.bulge[k] = bu[static_cast<size_t>(k)];
    p.interior[k] = il[static_cast<size_t>(k)];
  }
  const auto& ml = par_numbers(s, "ML_params", 6);
  p.ml_base = ml[0];
  p.ml_closing = ml[2];
  p.ml_intern = ml[4];
  const auto& ni = par_numbers(s, "NINIO", 3);
  p.ninio = ni[0];
  p.max_ninio = ni[2];
  const auto& misc = par_numbers(s, "Misc", 4);
  p.terminal_au = misc[2];
  p.triloops = par_special(s, "Triloops", 5);
  p.tetraloops = par_special(s, "Tetraloops", 6);
  p.hexaloops = par_special(s, "Hexaloops", 8);
  return p;
}

}  // namespace

const EnergyParams& turner2004() {
  static const EnergyParams params = parse_turner2004();
  return params;
}

int base_code(char c) {
  switch (c) {
    case 'A': case 'a': return 1;
    case 'C': case 'c': return 2;
    case 'G': case 'g': return 3;
    case 'U': case 'u': case 'T': case 't': return 4;
    default: return 0;
  }
}

EncodedSequence encode_sequence(const std::string& sequence) {
  if (sequence.empty()) throw Error("empty sequence");
  EncodedSequence e;
  e.n = static_cast<int>(sequence.size());
  e.letters.resize(sequence.size());
  e.codes.assign(sequence.size() + 2, -1);
  for (size_t k = 0; k < sequence.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(sequence[k]);
    if (!std::isalpha(c)) {
      throw Error("invalid character '" + std::string(1, sequence[k]) + "' at sequence position " + std::to_string(k + 1));
    }
    char u = static_cast<char>(std::toupper(c));
    if (u == 'T') u = 'U';
    e.letters[k] = u;
    e.codes[k + 1] = static_cast<int8_t>(base_code(u));
  }
  return e;
}

}  // namespace seqnn::rna::fold
