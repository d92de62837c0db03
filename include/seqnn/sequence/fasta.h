#pragma once
// FASTA input through htslib: FastaReader streams records from plain, gzip or bgzip files;
// IndexedFasta fetches regions at random from files with a .fai index (and .gzi for bgzip).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seqnn {

struct FastaRecord {
  std::string name;         // header up to the first whitespace
  std::string description;  // rest of the header line
  std::string sequence;     // line breaks removed, case kept
  int64_t line = 0;         // 1-based line of the header (for error messages)
};

class FastaReader {
 public:
  explicit FastaReader(const std::string& path);  // throws seqnn::Error if it cannot be opened
  ~FastaReader();
  FastaReader(const FastaReader&) = delete;
  FastaReader& operator=(const FastaReader&) = delete;

  // Reads the next record; false at the end of the file. Throws on malformed input
  // (sequence before the first header, empty name).
  bool next(FastaRecord& record);
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

// Number of records: from the .fai when there is one, otherwise by scanning headers.
int64_t count_fasta_records(const std::string& path);

class IndexedFasta {
 public:
  // Loads (or, if missing and the file is plain or bgzip, builds) the .fai/.gzi index.
  explicit IndexedFasta(const std::string& path);
  ~IndexedFasta();
  IndexedFasta(const IndexedFasta&) = delete;
  IndexedFasta& operator=(const IndexedFasta&) = delete;

  const std::string& path() const { return path_; }
  std::vector<std::string> names() const;
  bool has(const std::string& chrom) const;
  // Name under which chrom is stored: itself, or with/without a "chr" prefix ("20" <-> "chr20",
  // "MT" <-> "chrM"). Empty when none of them exists.
  std::string resolve(const std::string& chrom) const;
  int64_t length(const std::string& chrom) const;  // throws for unknown names

  // Sequence of [start, end) (0-based, half open). Positions outside the chromosome are filled
  // with `pad` and counted in *padded (if not null). Throws for unknown chromosomes.
  std::string fetch(const std::string& chrom, int64_t start, int64_t end, char pad = 'N',
                    int64_t* padded = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

}  // namespace seqnn
