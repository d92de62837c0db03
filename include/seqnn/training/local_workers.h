#pragma once
// `seqnn train --nproc N`: torchrun's job on one machine, for users without torchrun. Starts N
// copies of this command line as worker processes with torchrun's variables (RANK, WORLD_SIZE,
// LOCAL_RANK, MASTER_ADDR=127.0.0.1, MASTER_PORT=a free port) and SEQNN_LOCAL_WORKER=1 (so the
// copies run as workers instead of launching again), and waits for them.
//
// When one worker fails, the others normally fail at their next collective at once (the
// connection drops); any still running after `grace` are sent SIGTERM, then SIGKILL. A worker
// whose launcher dies gets SIGTERM too (PR_SET_PDEATHSIG), so no worker outlives the run.
#include <chrono>
#include <string>
#include <vector>

namespace seqnn {

struct LocalWorkersOptions {
  int nproc = 2;
  std::vector<std::string> command;  // argv: the program, then its arguments
  std::string name = "seqnn train";  // for the failure line
  std::chrono::seconds grace{20};
};

// 0 when every worker succeeded; else prints one line naming the first worker that failed and
// how (exit status, signal) and returns its status (128 + signal for a signal).
int run_local_workers(const LocalWorkersOptions& options);

// Whether this process is one of run_local_workers' copies.
bool is_local_worker();

// A TCP port free on 127.0.0.1 now (the kernel's choice).
int free_local_port();

}  // namespace seqnn
