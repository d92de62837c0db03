#pragma once
// Multiple sequence alignments for DeepSequence (a2m, a3m, aligned FASTA), reduced to the focus
// columns the way the original code does it (see docs/deepsequence.md):
//   * the focus sequence is the first record, its header "NAME/start-end";
//   * focus columns are the positions where the focus sequence has an uppercase letter;
//   * '.' reads as '-'; every record is uppercased and cut to the focus columns;
//   * records with a character outside the 20 amino acids and '-' in a focus column are dropped;
//   * the UniProt position of focus column k is start + (index of that column in the focus row).
// Records as long as the focus row are cut by column index (a2m / aligned FASTA, as the original
// does). A record of another length is read as a3m: its lowercase letters and '.' are insertions
// and are removed, and what remains must line up with the focus row's match states (its
// uppercase letters and '-').
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seqnn::ds {

// The 20 amino acids in DeepSequence's order; code 20 is the gap.
inline constexpr const char* kAminoAcids = "ACDEFGHIKLMNPQRSTVWY";
inline constexpr int kAlphabetSize = 20;
inline constexpr uint8_t kGapCode = 20;

// Code of an uppercase amino acid (0..19), kGapCode for '-', or -1 for anything else.
int aa_code(char c);

struct Alignment {
  std::string path;
  std::string focus_name;           // header of the first record up to '/'
  int64_t focus_start = 1;          // "start" of NAME/start-end (1 when absent)
  std::string focus_sequence;       // focus row cut to the focus columns (uppercase)
  std::vector<int64_t> positions;   // UniProt position of each focus column
  std::vector<std::string> names;   // kept records, focus first
  std::vector<std::string> sequences;  // kept records cut to the focus columns ('-' for gaps)
  int64_t records_read = 0;
  int64_t records_dropped = 0;

  int64_t size() const { return static_cast<int64_t>(sequences.size()); }
  int64_t length() const { return static_cast<int64_t>(focus_sequence.size()); }
  // Focus column index of a UniProt position, or -1 when the position is not a focus column.
  int64_t column_of(int64_t position) const;
};

// Throws seqnn::Error naming the file and line for unreadable files, an empty file, a focus row
// without uppercase letters, or an a3m record that does not line up with the focus row.
Alignment read_alignment(const std::string& path);

// (N, L) uint8 codes: 0..19 amino acids, kGapCode for gaps.
at::Tensor encode_codes(const std::vector<std::string>& sequences);
// (N, L, 20) float one-hot of codes; gaps are all-zero rows.
at::Tensor one_hot_codes(const at::Tensor& codes);

}  // namespace seqnn::ds
