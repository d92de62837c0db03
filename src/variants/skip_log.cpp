#include "seqnn/variants/skip_log.h"

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

constexpr size_t kExamples = 5;

std::string skip_kind(const std::string& reason) {
  if (reason.rfind("REF ", 0) == 0) return "REF mismatch";
  if (reason.rfind("chromosome ", 0) == 0) return "unknown chromosome";
  return "unscorable allele";
}

}  // namespace

SkipLog::SkipLog(std::string path) : path_(std::move(path)) {}
SkipLog::~SkipLog() = default;

void SkipLog::add(const std::vector<SkippedVariant>& skipped) {
  for (const auto& s : skipped) {
    if (!file_) {
      file_ = std::make_unique<AtomicFile>(path_);  // a resumed run reopens the interrupted run's list
      if (!file_->resumed()) file_->write("chrom\tpos\tid\tref\talt\trecord\treason\n");
    }
    const Variant& v = s.variant;
    file_->write(join({v.chrom, std::to_string(v.pos), v.id, v.ref, v.alt, std::to_string(v.record), s.reason}) + "\n");
    ++counts_[skip_kind(s.reason)];
    if (examples_.size() < kExamples) examples_.push_back(v.key() + " (record " + std::to_string(v.record) + "): " + s.reason);
    ++total_;
  }
}

void SkipLog::save(ResumePoint& point) const {
  set_total(point, "skipped", total_);
  for (const auto& [kind, n] : counts_) set_total(point, "skipped:" + kind, n);
  for (size_t i = 0; i < examples_.size(); ++i) point.totals["skipped_example:" + std::to_string(i)] = examples_[i];
}

void SkipLog::restore(const ResumePoint& point) {
  total_ = get_total(point, "skipped");
  for (const auto& [key, value] : point.totals) {
    if (key.rfind("skipped:", 0) == 0) counts_[key.substr(8)] = get_total(point, key);
    if (key.rfind("skipped_example:", 0) == 0) examples_.push_back(value);  // keys sort 0..4
  }
}

void SkipLog::close() {
  if (file_) file_->commit();
}

std::string SkipLog::report(const std::string& program) const {
  if (total_ == 0) return "";
  std::string kinds;
  for (const auto& [k, n] : counts_) kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + k;
  std::string text = program + ": skipped " + std::to_string(total_) + " variants (" + kinds + "), listed in " + path_ + ":\n";
  for (const auto& e : examples_) text += "  " + e + "\n";
  if (total_ > static_cast<int64_t>(examples_.size())) text += "  ...\n";
  return text;
}

}  // namespace seqnn
