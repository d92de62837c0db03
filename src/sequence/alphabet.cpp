#include "seqnn/sequence/alphabet.h"

#include <cctype>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

const char kDnaAmbiguity[] = "NRYSWKMBDHV";
const char kProteinUnknown[] = "XBZJUO*";

}  // namespace

Alphabet::Alphabet(std::string name, std::string letters, std::string unknown_chars, bool with_gap)
    : name_(std::move(name)), letters_(std::move(letters)), with_gap_(with_gap) {
  lut_.fill(kInvalid);
  for (char c : unknown_chars) {
    lut_[static_cast<uint8_t>(std::toupper(c))] = kUnknown;
    lut_[static_cast<uint8_t>(std::tolower(c))] = kUnknown;
  }
  for (size_t i = 0; i < letters_.size(); ++i) {
    char c = letters_[i];
    lut_[static_cast<uint8_t>(std::toupper(c))] = static_cast<int8_t>(i);
    lut_[static_cast<uint8_t>(std::tolower(c))] = static_cast<int8_t>(i);
  }
  int8_t gap = kUnknown;
  if (with_gap_) {
    gap = static_cast<int8_t>(letters_.size());
    letters_ += '-';
  }
  lut_[static_cast<uint8_t>('-')] = gap;
  lut_[static_cast<uint8_t>('.')] = gap;
  if (letters_.rfind("ACGT", 0) == 0) complement_ = "TGCA-";
  if (letters_.rfind("ACGU", 0) == 0) complement_ = "UGCA-";
}

const Alphabet& Alphabet::dna() {
  static const Alphabet a("dna", "ACGT", kDnaAmbiguity, false);
  return a;
}
const Alphabet& Alphabet::rna() {
  static const Alphabet a("rna", "ACGU", kDnaAmbiguity, false);
  return a;
}
const Alphabet& Alphabet::protein() {
  static const Alphabet a("protein", "ACDEFGHIKLMNPQRSTVWY", kProteinUnknown, false);
  return a;
}

Alphabet Alphabet::from_name(const std::string& name) {
  std::string base = name;
  bool gap = false;
  const std::string suffix = "+gap";
  if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
    gap = true;
    base.resize(base.size() - suffix.size());
  }
  if (base == "dna") return Alphabet(name, "ACGT", kDnaAmbiguity, gap);
  if (base == "rna") return Alphabet(name, "ACGU", kDnaAmbiguity, gap);
  if (base == "protein") return Alphabet(name, "ACDEFGHIKLMNPQRSTVWY", kProteinUnknown, gap);
  fail("alphabet '" + name + "'", "unknown alphabet (choose dna, rna or protein, optionally with +gap)");
}

int Alphabet::complement_channel(int channel) const {
  if (!complement_) fail("alphabet " + name_, "has no complement");
  if (with_gap_ && channel == size() - 1) return channel;
  return 3 - channel;  // A<->T, C<->G in ACGT/ACGU order
}

char Alphabet::complement(char c) const {
  if (!complement_) fail("alphabet " + name_, "has no complement");
  const bool lower = std::islower(static_cast<unsigned char>(c)) != 0;
  char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  char out;
  switch (u) {
    case 'A': out = complement_[0] == 'T' ? 'T' : 'U'; break;
    case 'T': case 'U': out = 'A'; break;
    case 'C': out = 'G'; break;
    case 'G': out = 'C'; break;
    case 'R': out = 'Y'; break;
    case 'Y': out = 'R'; break;
    case 'K': out = 'M'; break;
    case 'M': out = 'K'; break;
    case 'B': out = 'V'; break;
    case 'V': out = 'B'; break;
    case 'D': out = 'H'; break;
    case 'H': out = 'D'; break;
    default: out = u; break;  // N, S, W, gaps are their own complements
  }
  return lower ? static_cast<char>(std::tolower(static_cast<unsigned char>(out))) : out;
}

}  // namespace seqnn
