#include "seqnn/util/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <thread>

namespace seqnn {
namespace {

// Everything the watchdog reads, behind one lock that InterruptHold also takes.
struct InterruptState {
  std::recursive_mutex lock;
  std::map<std::string, bool> partial_files;  // path -> keep on interrupt
  std::string program = "seqnn";
  std::string note;
};

InterruptState& state() {
  static InterruptState* s = new InterruptState;  // never destroyed: the watchdog may outlive main
  return *s;
}

int wake_pipe[2] = {-1, -1};
std::atomic<int> caught_signal{0};

extern "C" void on_stop_signal(int sig) {
  int expected = 0;
  caught_signal.compare_exchange_strong(expected, sig);
  const char byte = 1;
  // write() is async-signal-safe; a full pipe means the watchdog is already awake.
  [[maybe_unused]] const ssize_t n = write(wake_pipe[1], &byte, 1);
}

const char* signal_name(int sig) { return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal"; }

[[noreturn]] void stop_now() {
  InterruptState& s = state();
  std::lock_guard<std::recursive_mutex> guard(s.lock);  // no rename or journal update is half done
  int removed = 0;
  for (const auto& [path, keep] : s.partial_files) {
    if (!keep && std::remove(path.c_str()) == 0) ++removed;
  }
  const int sig = caught_signal.load();
  std::string line = s.program + ": interrupted by " + signal_name(sig);
  if (!s.note.empty()) {
    line += "; " + s.note;
  } else if (removed > 0) {
    line += "; removed " + std::to_string(removed) + " partial output" + (removed > 1 ? "s" : "");
  }
  // A progress bar may be half drawn on a terminal: start a clean line.
  const std::string text = (isatty(STDERR_FILENO) ? "\r\033[K" : "") + line + "\n";
  [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, text.data(), text.size());
  _exit(128 + sig);
}

void watchdog() {
  char byte = 0;
  while (read(wake_pipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  stop_now();
}

void handle_unless_ignored(int sig) {
  struct sigaction old {};
  sigaction(sig, nullptr, &old);
  if (old.sa_handler == SIG_IGN) return;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(sig, &sa, nullptr);
}

}  // namespace

void stop_cleanly_on_signals() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (pipe(wake_pipe) != 0) return;  // without the pipe the default action (terminate) stays
    std::thread(watchdog).detach();
    handle_unless_ignored(SIGINT);
    handle_unless_ignored(SIGTERM);
  });
}

void set_interrupt_program(const std::string& name) {
  std::lock_guard<std::recursive_mutex> guard(state().lock);
  state().program = name;
}

void set_interrupt_note(const std::string& note) {
  std::lock_guard<std::recursive_mutex> guard(state().lock);
  state().note = note;
}

void track_partial_file(const std::string& partial, bool keep_on_interrupt) {
  std::lock_guard<std::recursive_mutex> guard(state().lock);
  state().partial_files[partial] = keep_on_interrupt;
}

void untrack_partial_file(const std::string& partial) {
  std::lock_guard<std::recursive_mutex> guard(state().lock);
  state().partial_files.erase(partial);
}

InterruptHold::InterruptHold() : lock_(state().lock) {}

}  // namespace seqnn
