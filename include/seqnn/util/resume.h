#pragma once
// Long streaming jobs (predict, ism, score-variants) that `--resume` continues after an interrupt,
// a kill or a crash, giving the bytes an uninterrupted run would have given.
//
// While a ResumableRun is alive on a thread, its AtomicFiles are part of it. At each checkpoint()
// the run flushes them and records, in OUT.resume (replaced atomically), how many input items are
// done, the stream's running totals, and how long each partial file was then; from the first
// checkpoint on, an interrupt keeps the partial files and the journal instead of removing them.
// A run made with resume = true checks the journal's settings against its own, truncates each
// partial file back to its recorded length and appends; the stream skips the items already done.
// Checkpoints fall between whole chunks, and a chunk's result does not depend on the chunks before
// it, so the resumed output equals the uninterrupted one byte for byte.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace seqnn {

class AtomicFile;

// How a streaming command takes part: every run writes a journal; resume = true continues one.
struct ResumeOptions {
  bool resume = false;                          // --resume: continue the interrupted run into out
  std::map<std::string, std::string> settings;  // what must not change between the two runs
};

// What a checkpoint records beside the file lengths.
struct ResumePoint {
  int64_t done = 0;                           // input items finished and written
  std::map<std::string, std::string> totals;  // the stream's running totals, to report at the end
};

class ResumableRun {
 public:
  // out: the run's main output (the journal is OUT.resume). settings: everything that must be
  // equal for a resumed run to continue this one (flags, the inputs' sizes and times). resume =
  // false starts afresh and removes the journal of an earlier interrupted run into `out`.
  ResumableRun(const std::string& out, std::map<std::string, std::string> settings, bool resume);
  ~ResumableRun();  // a run that ends without finish() (an error) removes its journal
  ResumableRun(const ResumableRun&) = delete;
  ResumableRun& operator=(const ResumableRun&) = delete;

  bool resuming() const { return resuming_; }
  const ResumePoint& resumed() const { return resumed_; }  // done = 0 for a fresh run
  // Flushes every partial file of the run and records their lengths with `point`. From now on an
  // interrupt keeps them and says "DONE of TOTAL UNIT written".
  void checkpoint(const ResumePoint& point, int64_t total, const std::string& unit);
  // The outputs are in place: the journal goes.
  void finish();
  const std::string& journal_path() const { return journal_; }

  // The run alive on this thread, or nullptr.
  static ResumableRun* current();
  // For AtomicFile: the length `partial` had at the checkpoint being resumed, or -1 (start afresh).
  int64_t resumed_length(const std::string& partial) const;
  void add_file(AtomicFile* file);
  void remove_file(AtomicFile* file);

 private:
  void load_journal(const std::map<std::string, std::string>& settings);
  std::string journal_;
  std::map<std::string, std::string> settings_;
  bool resuming_ = false;
  bool finished_ = false;
  ResumePoint resumed_;
  std::map<std::string, int64_t> resumed_lengths_;  // partial file -> length at the checkpoint
  std::vector<AtomicFile*> files_;
  ResumableRun* outer_ = nullptr;
};

// Integer totals in a ResumePoint.
void set_total(ResumePoint& point, const std::string& key, int64_t value);
int64_t get_total(const ResumePoint& point, const std::string& key, int64_t fallback = 0);

}  // namespace seqnn
