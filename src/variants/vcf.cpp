#include "seqnn/variants/vcf.h"

#include <htslib/hts.h>
#include <htslib/kseq.h>  // KS_SEP_LINE
#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "seqnn/sequence/compressed_stream.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {


// First character outside ACGTN, or '\0' when there is none.
char invalid_base(const std::string& allele) {
  for (char c : allele) {
    if (std::strchr("ACGTN", c) == nullptr) return c;
  }
  return '\0';
}

// Breakends (e.g. "G]17:198982]") and symbolic alleles ("<DEL>") describe rearrangements, not
// sequences, so no window can be built for them.
bool is_symbolic(const std::string& alt) {
  return (!alt.empty() && alt.front() == '<') || alt.find_first_of("[]") != std::string::npos;
}

std::string ref_problem(const std::string& ref) {
  if (ref.empty() || ref == ".") return "no REF allele";
  if (char c = invalid_base(ref)) return std::string("invalid base '") + c + "' in REF";
  return "";
}

std::string alt_problem(const std::string& alt) {
  if (alt.empty() || alt == ".") return "no ALT allele";
  if (is_symbolic(alt)) return "symbolic ALT " + alt + " cannot be scored";
  if (alt == "*") return "ALT '*' (spanning deletion) cannot be scored";
  if (char c = invalid_base(alt)) return std::string("invalid base '") + c + "' in ALT";
  return "";
}

// The first 8 columns of a VCF line, as written.
std::vector<std::string> fixed_columns(const char* s, size_t n) {
  std::vector<std::string> cols;
  size_t begin = 0;
  for (size_t i = 0; i <= n && cols.size() < 8; ++i) {
    if (i < n && s[i] != '\t') continue;
    cols.emplace_back(s + begin, i - begin);
    begin = i + 1;
  }
  return cols;
}

// htslib 1.16 accepts short lines and reads a POS such as "abc" or "12x" as a number without any
// error, so the text of a VCF line is checked here, before htslib parses it.
// Returns "" when the line is well formed.
std::string vcf_line_problem(const std::vector<std::string>& cols) {
  if (cols.size() < 8) return "expected at least 8 tab-separated columns, found " + std::to_string(cols.size());
  const std::string& pos = cols[1];
  const bool numeric = !pos.empty() && pos.find_first_not_of("0123456789") == std::string::npos;
  return numeric ? "" : "POS '" + pos + "' is not a non-negative integer";
}

// QUAL, FILTER, INFO of a BCF record, formatted back to text by htslib.
void bcf_annotations(const bcf_hdr_t* hdr, bcf1_t* rec, Variant& v) {
  kstring_t text = {0, 0, nullptr};
  if (vcf_format(hdr, rec, &text) == 0) {
    auto cols = fixed_columns(text.s, text.l);
    if (cols.size() >= 8) {
      v.qual = cols[5];
      v.filter = cols[6];
      v.info = cols[7];
      if (!v.info.empty() && v.info.back() == '\n') v.info.pop_back();
    }
  }
  free(text.s);
}

}  // namespace

std::string Variant::key() const { return chrom + ":" + std::to_string(pos) + ":" + ref + ":" + alt; }

struct VcfReader::Impl {
  htsFile* fp = nullptr;
  bcf_hdr_t* hdr = nullptr;
  bcf1_t* rec = nullptr;
  int64_t record_no = 0;
  // The current record's variants, handed out one ALT at a time.
  std::vector<Variant> pending;
  size_t next_pending = 0;

  ~Impl() {
    if (rec) bcf_destroy(rec);
    if (hdr) bcf_hdr_destroy(hdr);
    if (fp) hts_close(fp);
  }
};

VcfReader::VcfReader(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
  require_readable(path, "VCF/BCF file");
  impl_->fp = hts_open(path.c_str(), "r");
  // require_readable passed, so ENOEXEC is htslib's "format not recognised" (garbage content).
  if (!impl_->fp && errno == ENOEXEC) fail(path, "not a VCF or BCF file (content not recognised)");
  if (!impl_->fp) fail(path, std::string("cannot open: ") + std::strerror(errno));
  if (hts_get_format(impl_->fp)->category != variant_data) {
    if (file_starts_with_utf8_bom(path)) {
      fail(path, "starts with a UTF-8 byte-order mark, which htslib does not read as VCF (remove the first 3 bytes)");
    }
    fail(path, "not a VCF or BCF file");
  }
  if (impl_->fp->is_bgzf) require_complete_bgzf(impl_->fp->fp.bgzf, path);
  impl_->hdr = bcf_hdr_read(impl_->fp);
  if (!impl_->hdr && impl_->fp->is_bgzf) require_clean_end(impl_->fp->fp.bgzf, path, "the header");
  if (!impl_->hdr) fail(path, "missing or invalid VCF header (is the '#CHROM' line present?)");
  impl_->rec = bcf_init();
  if (!impl_->rec) fail(path, "out of memory");
}

VcfReader::~VcfReader() = default;

namespace {

// One Variant per ALT of an unpacked record.
void split_alleles(const bcf_hdr_t* hdr, const bcf1_t* rec, int64_t record_no, std::vector<Variant>& out) {
  Variant base;
  base.chrom = bcf_seqname_safe(hdr, rec);
  base.pos = static_cast<int64_t>(rec->pos) + 1;
  base.id = rec->d.id ? rec->d.id : ".";
  base.ref = rec->n_allele > 0 ? to_upper(rec->d.allele[0]) : "";
  base.record = record_no;
  base.n_alts = rec->n_allele > 1 ? rec->n_allele - 1 : 1;
  const std::string ref_issue = ref_problem(base.ref);

  out.clear();
  for (int i = 1; i <= base.n_alts; ++i) {
    Variant v = base;
    v.alt_index = i;
    v.alt = i < static_cast<int>(rec->n_allele) ? rec->d.allele[i] : ".";
    // Symbolic alleles stay as written ("<INS:ME:Alu>") so messages quote the file.
    if (!is_symbolic(v.alt)) v.alt = to_upper(v.alt);
    v.problem = ref_issue.empty() ? alt_problem(v.alt) : ref_issue;
    if (v.problem.empty() && v.alt == base.ref) v.problem = "ALT equals REF (" + v.alt + "): not a variant";
    out.push_back(std::move(v));
  }
}

// Reads one VCF text line: the raw fixed columns are kept (htslib's parser edits the line in place)
// and checked before htslib parses the line. Returns htslib's read status.
int read_vcf_line(htsFile* fp, const bcf_hdr_t* hdr, bcf1_t* rec, std::vector<std::string>& cols) {
  int r = hts_getline(fp, KS_SEP_LINE, &fp->line);
  if (r < 0) return r;
  cols = fixed_columns(fp->line.s, fp->line.l);
  if (!vcf_line_problem(cols).empty()) return 0;  // reported by the caller
  return vcf_parse(&fp->line, hdr, rec);
}

// Reads one data record into `out` (one Variant per ALT); false at the end of the file.
bool read_record(const std::string& path, htsFile* fp, bcf_hdr_t* hdr, bcf1_t* rec, int64_t record_no,
                 std::vector<Variant>& out) {
  auto fail_record = [&](const std::string& problem) {
    fail(path + ": record " + std::to_string(record_no), problem);
  };
  const bool text = hts_get_format(fp)->format == vcf;
  std::vector<std::string> cols;
  int r = text ? read_vcf_line(fp, hdr, rec, cols) : bcf_read(fp, hdr, rec);
  if (r < 0 && fp->is_bgzf) require_clean_end(fp->fp.bgzf, path, "record " + std::to_string(record_no - 1));
  if (r == -1) return false;
  if (text) {
    const std::string problem = vcf_line_problem(cols);
    if (!problem.empty()) fail_record(problem);
  }
  if (r < -1 || r > 0) fail_record("unreadable VCF/BCF record (malformed line or corrupt file)");
  // Undefined contigs or tags are only warnings: htslib adds them to the header and goes on.
  if (rec->errcode & BCF_ERR_NCOLS) fail_record("too few columns");
  if (bcf_unpack(rec, BCF_UN_STR) < 0) fail_record("cannot decode the record");
  split_alleles(hdr, rec, record_no, out);
  Variant annotations;
  if (text) {
    annotations.qual = cols[5];
    annotations.filter = cols[6];
    annotations.info = cols[7];
  } else {
    bcf_annotations(hdr, rec, annotations);
  }
  for (auto& v : out) {
    v.qual = annotations.qual;
    v.filter = annotations.filter;
    v.info = annotations.info;
  }
  return true;
}

}  // namespace

bool VcfReader::next(Variant& variant) {
  Impl& s = *impl_;
  if (s.next_pending >= s.pending.size()) {
    if (!read_record(path_, s.fp, s.hdr, s.rec, s.record_no + 1, s.pending)) return false;
    ++s.record_no;
    s.next_pending = 0;
  }
  variant = s.pending[s.next_pending++];
  return true;
}

std::string VcfReader::header_text() const {
  kstring_t text = {0, 0, nullptr};
  if (bcf_hdr_format(impl_->hdr, 0, &text) < 0) {
    free(text.s);
    fail(path_, "cannot format the VCF header");
  }
  std::string out(text.s ? text.s : "", text.l);
  free(text.s);
  return out;
}

}  // namespace seqnn
