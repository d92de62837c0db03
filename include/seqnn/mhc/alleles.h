#pragma once
// MHC class I allele names and pseudo-sequences (docs/mhc.md).
//
// Names: "HLA-A*02:01" (IMGT), "HLA-A02:01" (NetMHCpan's MHC_pseudo.dat) and "HLA-A0201" (the
// Kim 2014 benchmark CSVs) name one allele. They are compared by allele_key(): upper case
// without '*' and ':'.
//
// Pseudo-sequences: the residues of the MHC groove that contact the peptide (34 in NetMHCpan's
// convention, Nielsen et al. 2007), one fixed-length string per allele.
#include <cstdint>
#include <map>
#include <string>

namespace seqnn::mhc {

// "HLA-A*02:01", "HLA-A02:01", "hla-a0201" -> "HLA-A0201".
std::string allele_key(const std::string& name);
// The IMGT spelling of an HLA name given in any of the spellings above ("HLA-A*02:01"; a name
// without field separators gets one after the first two digits: "HLA-A0201" -> "HLA-A*02:01");
// other species' names are returned as given.
std::string display_allele(const std::string& name);

class PseudoSequences {
 public:
  // NetMHCpan's MHC_pseudo.dat: "NAME SEQUENCE" per line, separated by white space. Blank lines
  // and names starting with '#' are skipped. Every sequence must have the first one's length
  // and only amino-acid letters. Errors are "file:line: problem".
  static PseudoSequences read(const std::string& path);

  // Adds one allele (`where` names it in errors: a length that differs, a letter that is not an
  // amino acid, a second sequence for the same key).
  void add(const std::string& name, const std::string& sequence, const std::string& where);
  // The pseudo-sequence of an allele in any spelling, or nullptr.
  const std::string* find(const std::string& allele) const;
  // find(), or the error "where: allele 'A' has no pseudo-sequence in SOURCE".
  const std::string& require(const std::string& allele, const std::string& where) const;

  const std::map<std::string, std::string>& entries() const { return entries_; }  // name -> sequence
  int64_t size() const { return static_cast<int64_t>(entries_.size()); }
  int64_t length() const { return length_; }
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::map<std::string, std::string> entries_;
  std::map<std::string, std::string> by_key_;  // allele_key -> name
  int64_t length_ = 0;
  std::string source_ = "the pseudo-sequence table";
};

}  // namespace seqnn::mhc
