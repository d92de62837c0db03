#pragma once
// Ctrl-C and `kill`: SIGINT or SIGTERM stops a command at once with one line on stderr and exit
// status 128 + signal (130, 143), and leaves no output that looks complete. The signal handler only
// wakes a watchdog thread; the watchdog waits until no output is being renamed (InterruptHold),
// removes the partial files that cannot be continued, keeps those a `--resume` run continues from,
// prints the line and exits. Stopping does not depend on the work reaching a check point, so a long
// forward pass or a fold of a 10,000-nt RNA stops as fast as a loop over small batches.
#include <mutex>
#include <string>

namespace seqnn {

// Installs the handlers and starts the watchdog (once, from main). A signal ignored when the
// program started (`nohup`, background jobs of a non-interactive shell) stays ignored.
void stop_cleanly_on_signals();

// Names the command in the interrupt line ("seqnn predict").
void set_interrupt_program(const std::string& name);
// Added to the interrupt line: how far the run got and how to continue it (empty: nothing).
void set_interrupt_note(const std::string& note);

// Files being written (AtomicFile registers its ".partial" file here): on an interrupt each is
// removed, unless it is kept for a --resume run.
void track_partial_file(const std::string& partial, bool keep_on_interrupt);
void untrack_partial_file(const std::string& partial);

// While one is alive, an interrupt waits: outputs are renamed, or a resume journal replaced, as a
// whole. Hold it only for such short steps.
class InterruptHold {
 public:
  InterruptHold();
  InterruptHold(const InterruptHold&) = delete;
  InterruptHold& operator=(const InterruptHold&) = delete;

 private:
  std::unique_lock<std::recursive_mutex> lock_;
};

}  // namespace seqnn
