#pragma once
// The data-parallel flags of the training commands (docs/distributed.md): --nproc N (start N
// local workers), --backend auto|gloo|nccl, --dist-timeout SECONDS. Under torchrun or srun the
// launcher's environment makes each process a rank; --nproc does the launching itself.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "seqnn/training/data_parallel.h"

namespace seqnn::cli {

struct DistributedCliOptions {
  int nproc = 1;
  std::string backend = "auto";
  double timeout = 300;  // seconds
};
void add_distributed_options(CLI::App* cmd, DistributedCliOptions& opts);

// --nproc N > 1 in a process no launcher started: runs this command line as N local workers and
// returns their exit status for the command; nullopt where this process is to train itself.
std::optional<int> launch_local_workers_if_asked(const DistributedCliOptions& opts, const std::string& command);

struct JoinedRun {
  DataParallel parallel;  // one process when no launcher started this one
  std::string device;     // "cuda" becomes this rank's GPU, cuda:LOCAL_RANK
  bool reports() const { return parallel.writes_files(); }  // rank 0 prints progress and summaries
};
// Joins the run this process was started into (torchrun / srun / --nproc variables).
JoinedRun join_training_run(const DistributedCliOptions& opts, const std::string& device);

// main() keeps the command line for --nproc to start its copies.
void set_program_arguments(int argc, char** argv);
// Added to the command name in error lines: " (rank 1 of 2)" in a data-parallel run.
const std::string& error_context();

}  // namespace seqnn::cli
