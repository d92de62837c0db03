#include "seqnn/util/text_sink.h"

#include <htslib/bgzf.h>
#include <htslib/hts_log.h>
#include <htslib/tbx.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

constexpr char kBgzfEof[] =
    "\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00\x42\x43\x02\x00\x1b\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00";
constexpr int kCsiMinShift = 14;  // bcftools' CSI default (16 kb bins)

// Renames now, or when the run's OutputGroup commits (so a failed run leaves no index either).
void commit_partial(const std::string& partial, const std::string& path) {
  if (OutputGroup* group = OutputGroup::current()) return group->defer(partial, path);
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) fail(path, "cannot rename " + partial + " into place: " + ec.message());
}

}  // namespace

std::string csi_index_path(const std::string& vcf_gz) { return vcf_gz + ".csi"; }

TextSink::TextSink(const std::string& path, bool bgzip, Index index)
    : file_(std::make_unique<AtomicFile>(path)), path_(path), bgzip_(bgzip), index_(bgzip ? index : Index::kNone) {}

TextSink::~TextSink() = default;

bool TextSink::resumed() const { return file_->resumed(); }

void TextSink::write(const std::string& text) {
  if (!bgzip_) return file_->write(text);
  pending_ += text;
  while (pending_.size() >= BGZF_BLOCK_SIZE) compress_block(BGZF_BLOCK_SIZE);
}

void TextSink::flush() {
  if (!bgzip_) {
    std::fflush(file_->handle());  // output appears progressively
    return;
  }
  while (!pending_.empty()) compress_block(std::min<size_t>(pending_.size(), BGZF_BLOCK_SIZE));
}

void TextSink::commit() {
  flush();
  if (bgzip_) file_->write(kBgzfEof, sizeof kBgzfEof - 1);  // the end-of-file block readers check for
  file_->flush_for_checkpoint();
  if (index_ == Index::kVcfCsi) write_index(file_->partial_path());
  file_->commit();
  if (!index_path_.empty()) commit_partial(index_path_ + ".partial", index_path_);
}

void TextSink::compress_block(size_t bytes) {
  char block[BGZF_MAX_BLOCK_SIZE];
  size_t length = sizeof block;
  if (bgzf_compress(block, &length, pending_.data(), bytes, -1) != 0) fail(path_, "bgzip compression failed");
  file_->write(block, length);
  pending_.erase(0, bytes);
}

void TextSink::write_index(const std::string& data_file) {
  const std::string index = csi_index_path(path_), partial = index + ".partial";
  const enum htsLogLevel level = hts_get_log_level();
  hts_set_log_level(HTS_LOG_OFF);  // htslib's own lines would only repeat index_problem_
  const int status = tbx_index_build3(data_file.c_str(), partial.c_str(), kCsiMinShift, 1, &tbx_conf_vcf);
  hts_set_log_level(level);
  std::error_code ec;
  if (status == 0) {
    index_path_ = index;
    return;
  }
  std::filesystem::remove(partial, ec);
  std::filesystem::remove(index, ec);  // a stale index would point into the old file
  index_problem_ = "not indexed: its records are not sorted by chromosome and position (bcftools sort, then bcftools index)";
}

struct TextUnitReader::Impl {
  std::string path;
  BGZF* bgzf = nullptr;
  std::ifstream plain;
  bool first = true;
};

TextUnitReader::TextUnitReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  BGZF* probe = bgzf_open(path.c_str(), "r");
  if (!probe) fail(path, "cannot open");
  if (bgzf_compression(probe) == bgzf) {
    impl_->bgzf = probe;
    return;
  }
  bgzf_close(probe);
  impl_->plain.open(path, std::ios::binary);
  if (!impl_->plain) fail(path, "cannot open");
}

TextUnitReader::~TextUnitReader() {
  if (impl_->bgzf) bgzf_close(impl_->bgzf);
}

bool TextUnitReader::next(std::string& unit) {
  unit.clear();
  if (BGZF* fp = impl_->bgzf) {
    for (;;) {
      if (bgzf_read_block(fp) < 0) fail(impl_->path, "corrupt or truncated BGZF block");
      if (fp->block_length == 0) return !unit.empty();  // the end-of-file block
      unit.append(static_cast<const char*>(fp->uncompressed_block), static_cast<size_t>(fp->block_length));
      if (fp->block_length < BGZF_BLOCK_SIZE) return true;  // a flush ended this block
    }
  }
  constexpr size_t kPlainUnit = 4 << 20;
  bool header_only = impl_->first;
  for (std::string line; unit.size() < kPlainUnit || header_only;) {
    if (!std::getline(impl_->plain, line)) break;
    header_only = header_only && !line.empty() && line[0] == '#';
    unit += line;
    unit += '\n';
  }
  impl_->first = false;
  return !unit.empty();
}

}  // namespace seqnn
