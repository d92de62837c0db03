#include "seqnn/sequence/bed.h"

#include <htslib/bgzf.h>
#include <htslib/kstring.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "seqnn/sequence/fasta.h"
#include "seqnn/sequence/compressed_stream.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

std::vector<std::string> split_tabs(const char* s, size_t n) {
  std::vector<std::string> out;
  size_t begin = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i == n || s[i] == '\t') {
      out.emplace_back(s + begin, i - begin);
      begin = i + 1;
    }
  }
  return out;
}

// BED files in the wild use spaces too; accept runs of whitespace when there is no tab.
std::vector<std::string> split_fields(const char* s, size_t n) {
  if (std::memchr(s, '\t', n)) return split_tabs(s, n);
  std::vector<std::string> out;
  size_t i = 0;
  while (i < n) {
    while (i < n && s[i] == ' ') ++i;
    size_t b = i;
    while (i < n && s[i] != ' ') ++i;
    if (i > b) out.emplace_back(s + b, i - b);
  }
  return out;
}

int64_t parse_coordinate(const std::string& text, const std::string& what, const std::string& path, int64_t line) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0) fail_at(path, line, what + " '" + text + "' is not an integer");
  if (v < 0) fail_at(path, line, what + " " + text + " is negative");
  // No genome is longer than 2^40 bases; larger values would overflow window arithmetic.
  if (v > (int64_t{1} << 40)) fail_at(path, line, what + " " + text + " is larger than any chromosome");
  return v;
}

bool is_skipped_line(const kstring_t& l) {
  if (l.l == 0 || l.s[0] == '#') return true;
  return std::strncmp(l.s, "track", 5) == 0 || std::strncmp(l.s, "browser", 7) == 0;
}

}  // namespace

struct BedReader::Impl {
  BGZF* fp = nullptr;
  kstring_t line = {0, 0, nullptr};
  int64_t line_no = 0;
  ~Impl() {
    if (fp) bgzf_close(fp);
    free(line.s);
  }
};

BedReader::BedReader(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
  impl_->fp = bgzf_open(path.c_str(), "r");
  if (!impl_->fp) fail(path, std::string("cannot open: ") + std::strerror(errno));
  require_complete_bgzf(impl_->fp, path);
}

BedReader::~BedReader() = default;

bool BedReader::next(BedInterval& iv) {
  Impl& s = *impl_;
  while (true) {
    int r = bgzf_getline(s.fp, '\n', &s.line);
    if (r < -1 || (r == -1 && s.fp->errcode)) require_clean_end(s.fp, path_, "line " + std::to_string(s.line_no));
    if (r < -1) fail(path_, "read error after line " + std::to_string(s.line_no));
    if (r == -1) return false;
    ++s.line_no;
    if (s.line.l && s.line.s[s.line.l - 1] == '\r') s.line.s[--s.line.l] = '\0';
    if (s.line_no == 1) strip_utf8_bom(s.line);
    if (!is_skipped_line(s.line)) break;
  }
  auto f = split_fields(s.line.s, s.line.l);
  if (f.size() < 3) fail_at(path_, s.line_no, "BED record needs at least 3 columns (chrom, start, end), found " + std::to_string(f.size()));
  iv.chrom = f[0];
  iv.start = parse_coordinate(f[1], "start", path_, s.line_no);
  iv.end = parse_coordinate(f[2], "end", path_, s.line_no);
  if (iv.end < iv.start) fail_at(path_, s.line_no, "end (" + f[2] + ") < start (" + f[1] + ")");
  iv.name = f.size() > 3 && !f[3].empty() && f[3] != "." ? f[3]
                                                         : iv.chrom + ":" + f[1] + "-" + f[2];
  iv.summit.reset();
  iv.strand = f.size() >= 6 && (f[5] == "+" || f[5] == "-") ? f[5][0] : '.';
  if (f.size() >= 10) {
    char* end = nullptr;
    long long summit = std::strtoll(f[9].c_str(), &end, 10);
    if (*end != '\0') fail_at(path_, s.line_no, "summit (column 10) '" + f[9] + "' is not an integer");
    if (summit > iv.end - iv.start) {
      fail_at(path_, s.line_no, "summit (column 10) " + f[9] + " is past the interval's end (length " + std::to_string(iv.end - iv.start) + ")");
    }
    if (summit >= 0) iv.summit = summit;
  }
  iv.line = s.line_no;
  return true;
}

int64_t count_bed_records(const std::string& path) {
  BedReader reader(path);
  BedInterval iv;
  int64_t n = 0;
  while (reader.next(iv)) ++n;
  return n;
}

Window make_window(const IndexedFasta& genome, const BedInterval& iv, int64_t length, WindowCentre centre) {
  if (length <= 0) throw Error("window length must be positive");
  int64_t mid = (iv.start + iv.end) / 2;
  if (centre == WindowCentre::kSummit && iv.summit) mid = iv.start + *iv.summit;
  Window w;
  w.chrom = iv.chrom;
  w.start = mid - length / 2;
  w.end = w.start + length;
  w.name = iv.name;
  if (genome.resolve(iv.chrom).empty()) {
    fail(genome.path(), "chromosome '" + iv.chrom + "' (BED line " + std::to_string(iv.line) + ") is not in the genome");
  }
  w.sequence = genome.fetch(iv.chrom, w.start, w.end, 'N', &w.padded);
  return w;
}

}  // namespace seqnn
