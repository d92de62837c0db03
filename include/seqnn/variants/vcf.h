#pragma once
// Variants from VCF/BCF (plain, bgzip or BCF) through htslib, one ALT allele at a time:
// multi-allelic records are split into one Variant per ALT.
#include <cstdint>
#include <memory>
#include <string>

namespace seqnn {

struct Variant {
  std::string chrom;     // as written in the VCF
  int64_t pos = 0;       // 1-based POS
  std::string id;        // ID column, "." when absent
  std::string ref;       // REF allele (uppercase)
  std::string alt;       // this ALT allele (uppercase)
  int alt_index = 1;     // 1-based index of this ALT within its record
  int n_alts = 1;        // number of ALT alleles in the record
  int64_t record = 0;    // 1-based index of the data record in the file (for messages)
  // Empty when the variant can be scored; otherwise why it cannot, e.g.
  // "symbolic ALT <DEL> cannot be scored", "ALT '*' (spanning deletion) cannot be scored",
  // "invalid base 'X' in REF", "no ALT allele". Such variants are returned (so callers can count
  // and list them), never silently dropped.
  std::string problem;
  // QUAL, FILTER and INFO as written (VCF text), or as htslib formats them (BCF), for annotated
  // VCF output.
  std::string qual = ".", filter = ".", info = ".";

  bool is_snv() const { return ref.size() == 1 && alt.size() == 1; }
  // "chrom:pos:ref:alt", the identity used in outputs and messages.
  std::string key() const;
};

class VcfReader {
 public:
  // Throws seqnn::Error naming the file when it cannot be opened or has no valid header.
  explicit VcfReader(const std::string& path);
  ~VcfReader();
  VcfReader(const VcfReader&) = delete;
  VcfReader& operator=(const VcfReader&) = delete;

  // Next variant (one ALT); false at the end. Throws seqnn::Error naming file and record on
  // unreadable records.
  bool next(Variant& variant);
  const std::string& path() const { return path_; }
  // The header text (for writing an annotated VCF).
  std::string header_text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

}  // namespace seqnn
