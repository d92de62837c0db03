#include "seqnn/variants/vcf.h"

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

void require_readable(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(path, "is a directory, not a VCF/BCF file");
}

std::string upper(const char* s) {
  std::string out(s ? s : "");
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

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

// htslib 1.16 accepts short lines and reads a POS such as "abc" or "12x" as a number without any
// error, so the text of a VCF line is checked here. vcf_parse leaves the line in fp->line with its
// tabs turned into NULs; both separators are accepted in case a later htslib keeps the tabs.
// Returns "" when the line is well formed. Only the first 8 columns are looked at, so lines with
// many samples cost no more.
std::string vcf_line_problem(const kstring_t& line) {
  size_t columns = 1, pos_begin = 0, pos_end = 0;
  for (size_t i = 0; i < line.l && columns < 8; ++i) {
    if (line.s[i] != '\t' && line.s[i] != '\0') continue;
    ++columns;
    if (columns == 2) pos_begin = i + 1;
    if (columns == 3) pos_end = i;
  }
  if (columns < 8) return "expected at least 8 tab-separated columns, found " + std::to_string(columns);
  const std::string pos(line.s + pos_begin, pos_end - pos_begin);
  const bool numeric = !pos.empty() && pos.find_first_not_of("0123456789") == std::string::npos;
  return numeric ? "" : "POS '" + pos + "' is not a non-negative integer";
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
  require_readable(path);
  impl_->fp = hts_open(path.c_str(), "r");
  if (!impl_->fp) fail(path, std::string("cannot open: ") + std::strerror(errno));
  if (hts_get_format(impl_->fp)->category != variant_data) fail(path, "not a VCF or BCF file");
  impl_->hdr = bcf_hdr_read(impl_->fp);
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
  base.ref = rec->n_allele > 0 ? upper(rec->d.allele[0]) : "";
  base.record = record_no;
  base.n_alts = rec->n_allele > 1 ? rec->n_allele - 1 : 1;
  const std::string ref_issue = ref_problem(base.ref);

  out.clear();
  for (int i = 1; i <= base.n_alts; ++i) {
    Variant v = base;
    v.alt_index = i;
    v.alt = i < static_cast<int>(rec->n_allele) ? rec->d.allele[i] : ".";
    // Symbolic alleles stay as written ("<INS:ME:Alu>") so messages quote the file.
    if (!is_symbolic(v.alt)) v.alt = upper(v.alt.c_str());
    v.problem = ref_issue.empty() ? alt_problem(v.alt) : ref_issue;
    out.push_back(std::move(v));
  }
}

// Reads one data record into `out` (one Variant per ALT); false at the end of the file.
bool read_record(const std::string& path, htsFile* fp, bcf_hdr_t* hdr, bcf1_t* rec, int64_t record_no,
                 std::vector<Variant>& out) {
  auto fail_record = [&](const std::string& problem) {
    fail(path + ": record " + std::to_string(record_no), problem);
  };
  int r = bcf_read(fp, hdr, rec);
  if (r == -1) return false;
  if (r < -1) fail_record("unreadable VCF/BCF record (malformed line or corrupt file)");
  // Undefined contigs or tags are only warnings: htslib adds them to the header and goes on.
  if (rec->errcode & BCF_ERR_NCOLS) fail_record("too few columns");
  if (hts_get_format(fp)->format == vcf) {
    const std::string problem = vcf_line_problem(fp->line);
    if (!problem.empty()) fail_record(problem);
  }
  if (bcf_unpack(rec, BCF_UN_STR) < 0) fail_record("cannot decode the record");
  split_alleles(hdr, rec, record_no, out);
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
