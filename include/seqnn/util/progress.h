#pragma once
// A progress bar on stderr for long-running work. On a terminal it redraws one line; otherwise
// (logs, CI) it prints a plain line at most every few seconds so logs stay short.
#include <chrono>
#include <cstdint>
#include <string>

namespace seqnn {

class ProgressBar {
 public:
  // total <= 0 means unknown: the bar shows a count and a rate only.
  ProgressBar(std::string label, int64_t total, std::string unit = "it", bool enabled = true);
  ~ProgressBar();
  void update(int64_t done);          // absolute count
  void advance(int64_t n) { update(done_ + n); }
  void set_total(int64_t total) { total_ = total; }
  // Extra text drawn after the rate, e.g. "ELBO -312.4"; shown at the next redraw.
  void set_status(std::string status) { status_ = std::move(status); }
  void finish();                      // final redraw + newline
  double elapsed_seconds() const;
  int64_t done() const { return done_; }

 private:
  void draw(bool final);
  std::string label_;
  int64_t total_;
  std::string unit_;
  std::string status_;
  bool enabled_;
  bool tty_;
  bool finished_ = false;
  int64_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace seqnn
