#include "seqnn/mhc/alleles.h"

#include <cctype>
#include <sstream>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/util/error.h"
#include "seqnn/util/table.h"

namespace seqnn::mhc {

std::string allele_key(const std::string& name) {
  std::string key;
  for (char c : name) {
    if (c != '*' && c != ':') key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return key;
}

std::string display_allele(const std::string& name) {
  std::string plain;  // upper case, without '*' (wherever it is: "*HLA-A01" is no allele of its own)
  for (char c : name) {
    if (c != '*') plain += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (plain.rfind("HLA-", 0) != 0) return name;
  std::string rest = plain.substr(4);
  size_t digit = 0;
  while (digit < rest.size() && !std::isdigit(static_cast<unsigned char>(rest[digit]))) ++digit;
  if (digit == rest.size()) return name;
  std::string fields = rest.substr(digit);
  // "0201" -> "02:01" (the first field of an HLA class I name has two digits).
  if (fields.find(':') == std::string::npos && fields.size() >= 4) fields = fields.substr(0, 2) + ":" + fields.substr(2);
  return "HLA-" + rest.substr(0, digit) + "*" + fields;
}

void PseudoSequences::add(const std::string& name, const std::string& sequence, const std::string& where) {
  if (sequence.empty()) fail(where, "allele '" + name + "' has an empty pseudo-sequence");
  const Alphabet& protein = Alphabet::protein();
  for (size_t i = 0; i < sequence.size(); ++i) {
    if (protein.index(sequence[i]) < 0) {
      fail(where, "pseudo-sequence of '" + name + "' has '" + std::string(1, sequence[i]) + "' at position " +
                      std::to_string(i + 1) + ", not one of the 20 amino acids");
    }
  }
  if (length_ == 0) length_ = static_cast<int64_t>(sequence.size());
  if (static_cast<int64_t>(sequence.size()) != length_) {
    fail(where, "pseudo-sequence of '" + name + "' has " + std::to_string(sequence.size()) + " residues, the others " +
                    std::to_string(length_));
  }
  const std::string key = allele_key(name);
  auto it = by_key_.find(key);
  if (it != by_key_.end() && entries_.at(it->second) != sequence) {
    fail(where, "allele '" + name + "' has a second, different pseudo-sequence (first as '" + it->second + "')");
  }
  by_key_[key] = name;
  entries_[name] = sequence;
}

PseudoSequences PseudoSequences::read(const std::string& path) {
  PseudoSequences table;
  table.source_ = path;
  TextLineReader lines(path, "pseudo-sequence table");
  std::string line;
  while (lines.next(line)) {
    std::istringstream in(line);
    std::string name, sequence, extra;
    if (!(in >> name) || name[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(lines.line_number());
    if (!(in >> sequence) || (in >> extra)) fail(where, "expected 'ALLELE PSEUDO-SEQUENCE'");
    table.add(name, sequence, where);
  }
  if (table.entries_.empty()) fail(path, "no pseudo-sequences");
  return table;
}

const std::string* PseudoSequences::find(const std::string& allele) const {
  auto it = by_key_.find(allele_key(allele));
  return it == by_key_.end() ? nullptr : &entries_.at(it->second);
}

const std::string& PseudoSequences::require(const std::string& allele, const std::string& where) const {
  if (const std::string* s = find(allele)) return *s;
  fail(where, "allele '" + allele + "' has no pseudo-sequence in " + source_);
}

}  // namespace seqnn::mhc
