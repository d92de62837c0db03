#pragma once
// Output files are written under a temporary name beside the target and renamed into place only
// when complete, so a failed or killed run never leaves a file that looks finished.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace seqnn {

class ResumableRun;

class AtomicFile {
 public:
  // Opens "<path>.partial" for writing (binary). Throws seqnn::Error when it cannot. Inside a
  // ResumableRun that is resuming, a partial file the journal names is reopened instead, cut back
  // to its recorded length, and written on from there (resumed_bytes()).
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the partial file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* handle() { return file_; }
  void write(const void* data, size_t bytes);
  void write(const std::string& text) { write(text.data(), text.size()); }
  // Seek within the partial file (e.g. to patch a header once the length is known).
  void seek(long offset);
  void seek_end();
  // Flushes, closes and renames the partial file to the final path; inside an OutputGroup the
  // rename waits for the group's commit.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& partial_path() const { return partial_; }
  // Bytes the file already held when it was reopened for a resumed run (0 for a new file):
  // writers skip the header they would otherwise write first.
  int64_t resumed_bytes() const { return resumed_bytes_; }
  bool resumed() const { return resumed_bytes_ > 0; }
  // Flushes and returns the file's length (ResumableRun::checkpoint records it).
  int64_t flush_for_checkpoint();

 private:
  std::string path_;
  std::string partial_;
  void open_for_resume(int64_t length);
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  int64_t resumed_bytes_ = 0;
  ResumableRun* run_ = nullptr;  // the resumable run this file belongs to, if any
};

// The outputs of one run that writes several files (a .npy and its .rows.tsv, scores and their
// .skipped.tsv, a model and its loss curve): while a group is alive on this thread, each
// AtomicFile::commit() only finishes its partial file, and the group's commit() renames them all
// into place at the end; a group destroyed before its commit (the run failed) removes every
// partial file, so a failed run leaves none of its outputs rather than some. Groups nest: an
// inner group leaves the renames to the outermost one.
class OutputGroup {
 public:
  OutputGroup();
  ~OutputGroup();
  OutputGroup(const OutputGroup&) = delete;
  OutputGroup& operator=(const OutputGroup&) = delete;
  void commit();
  // The outermost group alive on this thread, or nullptr (AtomicFile::commit uses it).
  static OutputGroup* current();
  void defer(const std::string& partial, const std::string& path);

 private:
  OutputGroup* outer_ = nullptr;
  std::vector<std::pair<std::string, std::string>> pending_;  // partial, final
  bool committed_ = false;
};

// Fails now (seqnn::Error naming the path) when `path` could not be written later, so a long job
// does not run for hours and then lose its result to a missing directory. Leaves nothing behind.
void check_writable(const std::string& path);

}  // namespace seqnn
