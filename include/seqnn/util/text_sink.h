#pragma once
// Text outputs written plain or bgzip-compressed (BGZF, the block gzip htslib reads), and read
// back in the units they were written in.
//
// A TextSink writes through an AtomicFile (so a bgzipped output belongs to the run's OutputGroup
// and to a resumable run like any other file). flush() ends a BGZF block: each flush is a block
// boundary, so a resumed run appends whole blocks, and text written in the same flush units gives
// the same bytes — which is how `seqnn merge` rebuilds the unsharded .vcf.gz of a sharded run.
// A bgzipped VCF gets its CSI index (as `bcftools view -W` writes) beside it on commit.
#include <memory>
#include <string>

namespace seqnn {

class AtomicFile;

class TextSink {
 public:
  enum class Index { kNone, kVcfCsi };
  TextSink(const std::string& path, bool bgzip, Index index = Index::kNone);
  ~TextSink();
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  bool resumed() const;
  void write(const std::string& text);
  void flush();  // ends the current BGZF block (plain: the text reaches the file)
  // Ends the file (the BGZF end-of-file block), writes the index when asked, and commits both.
  void commit();
  // After commit(): the index's path, or "" with index_problem() saying why none was written (a
  // VCF whose records are not sorted by position cannot be indexed; the VCF itself is kept).
  const std::string& index_path() const { return index_path_; }
  const std::string& index_problem() const { return index_problem_; }

 private:
  void compress_block(size_t bytes);
  void write_index(const std::string& data_file);
  std::unique_ptr<AtomicFile> file_;
  std::string path_;
  bool bgzip_;
  Index index_;
  std::string pending_, index_path_, index_problem_;
};

// Reads a file a TextSink wrote, one flush unit at a time: for BGZF, the text of consecutive
// blocks up to and including one shorter than a full block; for plain text, whole lines of about
// a few MiB (the leading '#' header lines always in the first unit). Errors name the file.
class TextUnitReader {
 public:
  explicit TextUnitReader(const std::string& path);
  ~TextUnitReader();
  TextUnitReader(const TextUnitReader&) = delete;
  TextUnitReader& operator=(const TextUnitReader&) = delete;
  bool next(std::string& unit);  // false at the end

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string csi_index_path(const std::string& vcf_gz);  // "<file>.csi"

}  // namespace seqnn
