#include "cli/distributed_options.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cli/common_options.h"
#include "seqnn/training/local_workers.h"
#include "seqnn/util/error.h"

namespace seqnn::cli {
namespace {

std::vector<std::string>& arguments() {
  static std::vector<std::string> args;
  return args;
}

std::string& context() {
  static std::string text;
  return text;
}

CommBackend backend_for(const std::string& name, const std::string& device) {
  if (name == "auto") {
    const bool cuda = device.rfind("cuda", 0) == 0;
    return cuda && comm_backend_available(CommBackend::kNccl) ? CommBackend::kNccl : CommBackend::kGloo;
  }
  return parse_enum(name, comm_backend_names(), "--backend");
}

}  // namespace

void set_program_arguments(int argc, char** argv) { arguments().assign(argv, argv + argc); }
const std::string& error_context() { return context(); }

void add_distributed_options(CLI::App* cmd, DistributedCliOptions& o) {
  cmd->add_option("--nproc", o.nproc, "data-parallel: start N local worker processes (under torchrun or srun: leave out)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--backend", o.backend, "data-parallel collectives: auto (NCCL on CUDA when built, else Gloo), gloo, nccl")
      ->check(CLI::IsMember({"auto", "gloo", "nccl"}))
      ->capture_default_str();
  cmd->add_option("--dist-timeout", o.timeout, "data-parallel: seconds a rank waits for the others (rendezvous, each step)")
      ->check(kPositive)
      ->capture_default_str();
}

std::optional<int> launch_local_workers_if_asked(const DistributedCliOptions& o, const std::string& command) {
  if (o.nproc <= 1 || is_local_worker()) return std::nullopt;
  if (world_from_process_environment().distributed()) {
    throw Error("--nproc starts its own workers: under torchrun or srun (WORLD_SIZE / SLURM_NTASKS set) leave it out");
  }
  LocalWorkersOptions w;
  w.nproc = o.nproc;
  w.command = arguments();
  w.name = command;
  return run_local_workers(w);
}

JoinedRun join_training_run(const DistributedCliOptions& o, const std::string& device) {
  JoinedRun run;
  run.device = device;
  const WorldSpec world = world_from_process_environment();
  if (!world.distributed()) return run;
  ProcessGroupOptions options;
  options.backend = backend_for(o.backend, device);
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(o.timeout * 1000));
  if (device == "cuda") run.device = "cuda:" + std::to_string(world.local_rank);
  context() = " (rank " + std::to_string(world.rank) + " of " + std::to_string(world.size) + ")";
  run.parallel = DataParallel(ProcessGroup::join(world, options));
  return run;
}

}  // namespace seqnn::cli
