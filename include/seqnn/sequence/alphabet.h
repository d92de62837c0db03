#pragma once
// Alphabets map characters to one-hot channels. Lookup is a 256-entry table, case-insensitive.
//
// The rule for characters that are not letters of the alphabet (documented in docs/sequences.md):
//   * "unknown" characters get an all-zero column: N and the IUPAC ambiguity codes
//     (RYSWKMBDHV) for DNA/RNA; X, B, Z, J, U, O and '*' for protein;
//   * the gap characters '-' and '.' get the gap channel when the alphabet has one, else an
//     all-zero column;
//   * anything else (digits, punctuation, a U in DNA...) is invalid and raises seqnn::Error
//     naming the character and its position.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace seqnn {

class Alphabet {
 public:
  static constexpr int8_t kUnknown = -1;  // all-zero column
  static constexpr int8_t kInvalid = -2;  // error

  // Built-ins: "dna" (ACGT), "rna" (ACGU), "protein" (ACDEFGHIKLMNPQRSTVWY), each optionally
  // with a trailing gap channel ("dna+gap", "protein+gap").
  static const Alphabet& dna();
  static const Alphabet& rna();
  static const Alphabet& protein();
  static Alphabet from_name(const std::string& name);

  Alphabet(std::string name, std::string letters, std::string unknown_chars, bool with_gap);

  const std::string& name() const { return name_; }
  const std::string& letters() const { return letters_; }  // one char per channel ('-' for gap)
  int size() const { return static_cast<int>(letters_.size()); }
  bool has_gap() const { return with_gap_; }
  bool is_nucleotide() const { return complement_ != nullptr; }

  // Channel of c, or kUnknown / kInvalid.
  int8_t index(char c) const { return lut_[static_cast<uint8_t>(c)]; }
  const std::array<int8_t, 256>& table() const { return lut_; }
  char letter(int channel) const { return letters_.at(static_cast<size_t>(channel)); }

  // Complement of channel i for nucleotide alphabets (A<->T/U, C<->G); the gap maps to itself.
  int complement_channel(int channel) const;
  // Complement of a character (nucleotide alphabets; IUPAC codes are complemented too).
  char complement(char c) const;

 private:
  std::string name_;
  std::string letters_;
  bool with_gap_;
  const char* complement_ = nullptr;  // complement letters in channel order, or null
  std::array<int8_t, 256> lut_{};
};

}  // namespace seqnn
