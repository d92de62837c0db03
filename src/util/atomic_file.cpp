#include "seqnn/util/atomic_file.h"

#include <cerrno>
#include <cstring>

#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), partial_(path_ + ".partial") {
  check_output_target(path_);
  file_ = std::fopen(partial_.c_str(), "wb");
  if (!file_) fail(path_, std::string("cannot open for writing: ") + std::strerror(errno));
}

void check_writable(const std::string& path) {
  AtomicFile probe(path);  // opens <path>.partial; the destructor removes it
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(partial_.c_str());
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
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    fail(path_, std::string("cannot rename from ") + partial_ + ": " + std::strerror(errno));
  }
  committed_ = true;
}

}  // namespace seqnn
