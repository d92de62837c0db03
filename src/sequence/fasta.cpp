#include "seqnn/sequence/fasta.h"

#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/kstring.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "seqnn/sequence/compressed_stream.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {
namespace {

bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Record names are copied into every output (TSV name columns, FASTA headers): a NUL or another
// control character there would corrupt them, so the record is refused where it is read.
void require_printable_name(const std::string& name, const std::string& path, int64_t line) {
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      fail_at(path, line, "record name '" + name + "' holds the control character " + hex + " at byte " +
                              std::to_string(i + 1) + " (names are copied into outputs)");
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- FastaReader

struct FastaReader::Impl {
  BGZF* fp = nullptr;  // BGZF reads plain, gzip and bgzip files alike
  kstring_t line = {0, 0, nullptr};
  int64_t line_no = 0;
  bool have_pending = false;  // `line` holds a header already read
  ~Impl() {
    if (fp) bgzf_close(fp);
    free(line.s);
  }
  // Returns false at EOF.
  bool read_line(const std::string& path) {
    int r = bgzf_getline(fp, '\n', &line);
    if (r < -1 || (r == -1 && fp->errcode)) require_clean_end(fp, path, "line " + std::to_string(line_no));
    if (r < -1) fail(path, "read error after line " + std::to_string(line_no));
    if (r == -1) return false;
    ++line_no;
    if (line.l && line.s[line.l - 1] == '\r') line.s[--line.l] = '\0';
    if (line_no == 1) strip_utf8_bom(line);
    return true;
  }
};

FastaReader::FastaReader(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
  require_readable(path, "FASTA file");
  impl_->fp = bgzf_open(path.c_str(), "r");
  if (!impl_->fp) fail(path, std::string("cannot open: ") + std::strerror(errno));
  require_complete_bgzf(impl_->fp, path);
}

FastaReader::~FastaReader() = default;

bool FastaReader::next(FastaRecord& record) {
  Impl& s = *impl_;
  if (!s.have_pending) {
    // Skip blank lines before the first header; anything else must be a header.
    while (true) {
      if (!s.read_line(path_)) return false;
      if (s.line.l == 0) continue;
      if (s.line.s[0] != '>') fail_at(path_, s.line_no, "expected a FASTA header starting with '>'");
      break;
    }
  }
  s.have_pending = false;
  std::string header(s.line.s + 1, s.line.l - 1);
  // The name ends at the first white-space character of any kind, as in htslib's faidx (a stray
  // '\r' of a "\r\r\n" line end must not become part of it).
  static const char* const kSpace = " \t\r\v\f";
  const size_t sp = header.find_first_of(kSpace);
  record.name = header.substr(0, sp);
  const size_t desc = sp == std::string::npos ? sp : header.find_first_not_of(kSpace, sp);
  record.description = desc == std::string::npos ? "" : header.substr(desc);
  record.line = s.line_no;
  if (record.name.empty()) fail_at(path_, s.line_no, "FASTA header without a name");
  require_printable_name(record.name, path_, s.line_no);
  record.sequence.clear();
  while (s.read_line(path_)) {
    if (s.line.l && s.line.s[0] == '>') {
      s.have_pending = true;
      break;
    }
    // Strip white space inside sequence lines (some files pad lines with spaces; a "\r\r\n" end).
    for (size_t i = 0; i < s.line.l; ++i) {
      char c = s.line.s[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f') record.sequence.push_back(c);
    }
  }
  return true;
}

int64_t count_fasta_records(const std::string& path) {
  std::string fai = path + ".fai";
  if (file_exists(fai)) {
    std::ifstream in(fai);
    int64_t n = 0;
    std::string line;
    while (std::getline(in, line)) n += !line.empty();
    return n;
  }
  require_readable(path, "FASTA file");
  BGZF* fp = bgzf_open(path.c_str(), "r");
  if (!fp) fail(path, "cannot open");
  kstring_t line = {0, 0, nullptr};
  int64_t n = 0;
  for (int64_t line_no = 1; bgzf_getline(fp, '\n', &line) >= 0; ++line_no) {
    if (line_no == 1) strip_utf8_bom(line);  // as the reader does
    n += (line.l && line.s[0] == '>');
  }
  free(line.s);
  bgzf_close(fp);
  return n;
}

// ---------------------------------------------------------------- IndexedFasta

struct IndexedFasta::Impl {
  faidx_t* fai = nullptr;
  ~Impl() {
    if (fai) fai_destroy(fai);
  }
};

namespace {

// Which part to blame when htslib cannot load or build an index: an index file that is there is
// the likely culprit (corrupt, or made for another file); otherwise the FASTA's compression.
std::string why_no_fasta_index(const std::string& path) {
  for (const char* suffix : {".fai", ".gzi"}) {
    if (file_exists(path + suffix)) {
      return "cannot use its index " + path + suffix +
             " (corrupt, or made for another file: delete it to rebuild, or run 'samtools faidx')";
    }
  }
  // Without an index, the file's first bytes tell why htslib could not build one.
  if (file_starts_with_utf8_bom(path)) {
    return "starts with a UTF-8 byte-order mark, which htslib's FASTA index cannot skip (remove the first 3 bytes)";
  }
  std::ifstream in(path, std::ios::binary);
  char head[2] = {0, 0};
  in.read(head, 2);
  const std::streamsize n = in.gcount();
  if (n == 0) return "empty file (no sequences to index)";
  if (n >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b) {
    return "cannot build a FASTA index (.fai/.gzi): random access needs a plain or bgzip-compressed FASTA "
           "(recompress with 'bgzip' if it is plain gzip)";
  }
  if (head[0] != '>') return "not a FASTA file (it does not start with a '>' header), so it cannot be indexed";
  return "cannot build a FASTA index (.fai): a record is malformed (lines of one record must have one length)";
}

// htslib divides by an index line's bases-per-line when fetching, and fai_build can write 0 there
// for a record it misreads (a NUL byte in the header): such an index is refused, not used.
void require_usable_fasta_index(const std::string& path) {
  std::ifstream in(path + ".fai");
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    std::istringstream fields(line);
    std::string name;
    long long length = -1, offset = -1, bases = -1, width = -1;
    std::getline(fields, name, '\t');
    fields >> length >> offset >> bases >> width;
    if (!fields || length < 0 || (length > 0 && (bases <= 0 || width < bases))) {
      fail(path + ".fai", "line " + std::to_string(n) + ": the index entry for '" + name +
                              "' is unusable (its FASTA record is malformed; fix the record, delete the .fai and retry)");
    }
  }
}

}  // namespace

IndexedFasta::IndexedFasta(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
  require_readable(path, "FASTA file");
  // FAI_CREATE builds a missing index (plain or bgzip files; a plain-gzip file cannot be indexed).
  require_complete_bgzf_file(path);  // an index pointing past a cut makes htslib assert
  impl_->fai = fai_load3(path.c_str(), nullptr, nullptr, FAI_CREATE);
  if (!impl_->fai) fail(path, why_no_fasta_index(path));
  require_usable_fasta_index(path);
}

IndexedFasta::~IndexedFasta() = default;

std::vector<std::string> IndexedFasta::names() const {
  std::vector<std::string> out;
  int n = faidx_nseq(impl_->fai);
  for (int i = 0; i < n; ++i) out.emplace_back(faidx_iseq(impl_->fai, i));
  return out;
}

bool IndexedFasta::has(const std::string& chrom) const { return faidx_has_seq(impl_->fai, chrom.c_str()) != 0; }

std::string IndexedFasta::resolve(const std::string& chrom) const {
  if (has(chrom)) return chrom;
  std::string alt;
  if (chrom.rfind("chr", 0) == 0) {
    alt = chrom.substr(3);
    if (alt == "M" && !has(alt)) alt = "MT";
  } else {
    alt = "chr" + (chrom == "MT" ? std::string("M") : chrom);
  }
  return has(alt) ? alt : "";
}

int64_t IndexedFasta::length(const std::string& chrom) const {
  std::string name = resolve(chrom);
  if (name.empty()) fail(path_, "no sequence named '" + chrom + "'");
  return static_cast<int64_t>(faidx_seq_len(impl_->fai, name.c_str()));
}

std::string IndexedFasta::fetch(const std::string& chrom, int64_t start, int64_t end, char pad,
                                int64_t* padded) const {
  std::string name = resolve(chrom);
  if (name.empty()) fail(path_, "no sequence named '" + chrom + "'");
  if (end < start) fail(path_, "fetch " + chrom + ": end < start");
  const int64_t chrom_len = static_cast<int64_t>(faidx_seq_len(impl_->fai, name.c_str()));
  const int64_t in_start = std::max<int64_t>(start, 0), in_end = std::min<int64_t>(end, chrom_len);
  std::string out(static_cast<size_t>(end - start), pad);
  if (in_start < in_end) {
    hts_pos_t got = 0;
    char* seq = faidx_fetch_seq64(impl_->fai, name.c_str(), in_start, in_end - 1, &got);
    if (!seq || got != in_end - in_start) {
      free(seq);
      fail(path_, "failed to read " + name + ":" + std::to_string(in_start + 1) + "-" + std::to_string(in_end));
    }
    std::memcpy(&out[static_cast<size_t>(in_start - start)], seq, static_cast<size_t>(got));
    free(seq);
  }
  if (padded) *padded = (end - start) - std::max<int64_t>(0, in_end - in_start);
  return out;
}

}  // namespace seqnn
