#include "seqnn/util/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/interrupt.h"
#include "seqnn/util/resume.h"

namespace seqnn {

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), partial_(path_ + ".partial") {
  check_output_target(path_);
  run_ = ResumableRun::current();
  const int64_t resume_from = run_ ? run_->resumed_length(partial_) : -1;
  // Tracked before it exists, so an interrupt removes it however soon it comes; a partial file a
  // resumed run continues is kept (it holds the interrupted run's work).
  track_partial_file(partial_, /*keep_on_interrupt=*/resume_from >= 0);
  if (resume_from >= 0) {
    open_for_resume(resume_from);
  } else {
    file_ = std::fopen(partial_.c_str(), "wb");
  }
  if (!file_) {
    untrack_partial_file(partial_);
    fail(path_, std::string("cannot open for writing: ") + std::strerror(errno));
  }
  if (run_) run_->add_file(this);
}

void AtomicFile::open_for_resume(int64_t length) {
  file_ = std::fopen(partial_.c_str(), "r+b");
  if (!file_) return;
  if (ftruncate(fileno(file_), static_cast<off_t>(length)) != 0 || std::fseek(file_, 0, SEEK_END) != 0) {
    std::fclose(file_);
    file_ = nullptr;
    return;
  }
  resumed_bytes_ = length;
}

int64_t AtomicFile::flush_for_checkpoint() {
  if (!file_) return resumed_bytes_;
  if (std::fflush(file_) != 0) fail(path_, std::string("write failed: ") + std::strerror(errno));
  const long at = std::ftell(file_);
  if (at < 0) fail(path_, std::string("cannot tell the file position: ") + std::strerror(errno));
  return at;
}

void check_writable(const std::string& path) {
  AtomicFile probe(path);  // opens <path>.partial; the destructor removes it
}

AtomicFile::~AtomicFile() {
  if (run_) run_->remove_file(this);
  if (file_) std::fclose(file_);
  if (!committed_) {
    InterruptHold hold;
    std::remove(partial_.c_str());
    untrack_partial_file(partial_);
  }
}

void AtomicFile::write(const void* data, size_t bytes) {
  if (bytes == 0) return;
  if (std::fwrite(data, 1, bytes, file_) != bytes) {
    fail(path_, std::string("write failed: ") + std::strerror(errno));
  }
}

void AtomicFile::seek(long offset) {
  if (std::fseek(file_, offset, SEEK_SET) != 0) fail(path_, "seek failed");
}

void AtomicFile::seek_end() {
  if (std::fseek(file_, 0, SEEK_END) != 0) fail(path_, "seek failed");
}

void AtomicFile::commit() {
  if (std::fflush(file_) != 0 || std::fclose(file_) != 0) {
    file_ = nullptr;
    fail(path_, std::string("write failed: ") + std::strerror(errno));
  }
  file_ = nullptr;
  if (run_) run_->remove_file(this);
  run_ = nullptr;
  committed_ = true;  // from here the partial file belongs to the group, or is renamed now
  if (OutputGroup* group = OutputGroup::current()) {
    group->defer(partial_, path_);
    return;
  }
  InterruptHold hold;
  untrack_partial_file(partial_);
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    std::remove(partial_.c_str());
    fail(path_, std::string("cannot rename from ") + partial_ + ": " + std::strerror(errno));
  }
}

namespace {
thread_local OutputGroup* outermost_group = nullptr;
}  // namespace

OutputGroup::OutputGroup() : outer_(outermost_group) {
  if (!outer_) outermost_group = this;
}

OutputGroup::~OutputGroup() {
  if (outer_) return;
  outermost_group = nullptr;
  if (!committed_) {
    InterruptHold hold;
    for (const auto& [partial, path] : pending_) {
      std::remove(partial.c_str());
      untrack_partial_file(partial);
    }
  }
}

OutputGroup* OutputGroup::current() { return outermost_group; }

void OutputGroup::defer(const std::string& partial, const std::string& path) { pending_.emplace_back(partial, path); }

void OutputGroup::commit() {
  if (outer_) return;  // the outermost group renames
  outermost_group = nullptr;
  committed_ = true;
  InterruptHold hold;  // all renamed, or (interrupted before) none
  for (const auto& entry : pending_) untrack_partial_file(entry.first);
  for (size_t i = 0; i < pending_.size(); ++i) {
    const auto& [partial, path] = pending_[i];
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      for (size_t k = i; k < pending_.size(); ++k) std::remove(pending_[k].first.c_str());
      fail(path, "cannot rename from " + partial + ": " + reason);
    }
  }
}

}  // namespace seqnn
