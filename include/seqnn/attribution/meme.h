#pragma once
// Motif files in the MEME minimal format (https://meme-suite.org/meme/doc/meme-format.html):
//
//   MEME version 4
//   ALPHABET= ACGT                         (optional; ACGT when absent)
//   strands: + -                           (optional)
//   Background letter frequencies          (optional; uniform when absent)
//   A 0.25 C 0.25 G 0.25 T 0.25
//   MOTIF ID [ALT_NAME]
//   letter-probability matrix: alength= 4 w= 6 nsites= 20 E= 0
//    0.01 0.97 0.01 0.01                   (w rows of alength probabilities)
//   URL ...                                (optional)
//
// Plain C++ (no LibTorch). Bad input is one seqnn::Error naming file:line and the problem.
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn {

struct Motif {
  std::string id;    // the word after MOTIF
  std::string name;  // the alternative name (may be empty)
  std::vector<std::vector<double>> columns;  // w columns of alength letter probabilities
  double nsites = 0;
  std::string evalue;  // as written ("0", "4.1e-009"); empty when absent
  std::string url;
  int64_t line = 0;  // 1-based line of the MOTIF line (0 for motifs made in memory)

  int64_t width() const { return static_cast<int64_t>(columns.size()); }
};

struct MotifFile {
  std::string letters = "ACGT";  // the ALPHABET= letters, in column order
  std::string strands;           // "+ -", "+" or "" when the file does not say
  std::vector<double> background;  // one frequency per letter (uniform when the file has none)
  std::vector<Motif> motifs;
};

// Reads a MEME file. Errors (file:line): a first line that is not "MEME version N", an
// alphabet this reader does not take (the MEME 5 ALPHABET ... END ALPHABET block), a matrix row
// with the wrong number of values, a value that is not a probability, a row that does not sum
// to 1 (within 0.02), fewer or more rows than w=, an alength= that is not the alphabet's size,
// a duplicate motif id, a file without motifs.
MotifFile read_meme(const std::string& path);
// The same from text (path names the source in messages).
MotifFile parse_meme(const std::string& text, const std::string& path);

// MEME minimal format text of a motif file (written atomically by write_meme).
std::string format_meme(const MotifFile& file);
void write_meme(const std::string& path, const MotifFile& file);

// The consensus letters of a motif: the most probable letter of each column.
std::string motif_consensus(const Motif& motif, const std::string& letters);

}  // namespace seqnn
