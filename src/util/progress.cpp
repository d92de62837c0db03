#include "seqnn/util/progress.h"

#include <unistd.h>

#include <cstdio>

namespace seqnn {

ProgressBar::ProgressBar(std::string label, int64_t total, std::string unit, bool enabled)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)), enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (enabled_ && !finished_ && done_ > 0 && tty_) std::fputc('\n', stderr);
}

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(int64_t done) {
  done_ = done;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_draw_).count();
  if (since < (tty_ ? 0.2 : 10.0)) return;
  last_draw_ = now;
  draw(false);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw(true);
}

void ProgressBar::draw(bool final) {
  double secs = elapsed_seconds();
  double rate = secs > 0 ? done_ / secs : 0.0;
  char line[256];
  if (total_ > 0) {
    double frac = static_cast<double>(done_) / static_cast<double>(total_);
    if (frac > 1) frac = 1;
    const int width = 30;
    int filled = static_cast<int>(frac * width);
    std::string bar(filled, '#');
    bar.resize(width, '-');
    double eta = rate > 0 ? (total_ - done_) / rate : 0.0;
    std::snprintf(line, sizeof line, "%s [%s] %lld/%lld %s  %.1f %s/s  %.0fs elapsed  eta %.0fs",
                  label_.c_str(), bar.c_str(), static_cast<long long>(done_),
                  static_cast<long long>(total_), unit_.c_str(), rate, unit_.c_str(), secs, eta);
  } else {
    std::snprintf(line, sizeof line, "%s %lld %s  %.1f %s/s  %.0fs elapsed", label_.c_str(),
                  static_cast<long long>(done_), unit_.c_str(), rate, unit_.c_str(), secs);
  }
  const char* sep = status_.empty() ? "" : "  ";
  if (tty_) {
    std::fprintf(stderr, "\r%s%s%s\033[K%s", line, sep, status_.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s%s%s\n", line, sep, status_.c_str());
  }
  std::fflush(stderr);
}

}  // namespace seqnn
