#pragma once
// The processes of one data-parallel training run (training/data_parallel.h), on c10d: which
// rank this process is (from the launcher's environment), a TCPStore rendezvous at
// MASTER_ADDR:MASTER_PORT, and the collectives the trainers need over Gloo (CPU tensors) or NCCL
// (CUDA tensors, when LibTorch was built with it).
//
// Launchers: torchrun (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), SLURM's srun
// (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID; MASTER_ADDR, else the node srun ran on), or
// `seqnn train --nproc N` (training/local_workers.h), which sets torchrun's variables itself.
//
// Failures: a rendezvous that does not complete within the timeout, or a collective whose peer
// died, throws one-line seqnn::Error (the CLI adds the rank); no collective waits longer than the timeout.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "seqnn/util/enum_names.h"

namespace seqnn {

struct WorldSpec {
  int rank = 0;
  int size = 1;        // WORLD_SIZE: processes in the run
  int local_rank = 0;  // on this machine (picks the CUDA device)
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  std::string launcher = "none";  // "torchrun" (or seqnn --nproc), "slurm", "none"
  bool distributed() const { return size > 1; }
};

// The run this process belongs to, from `env` (the process environment when empty is not
// wanted: see world_from_process_environment). A single process when no launcher variable is
// set. Throws seqnn::Error for inconsistent or malformed values, naming the variable.
WorldSpec world_from_environment(const std::map<std::string, std::string>& env);
WorldSpec world_from_process_environment();

enum class CommBackend { kGloo, kNccl };
const std::vector<EnumName<CommBackend>>& comm_backend_names();  // "gloo", "nccl"
// Whether this build can use the backend (NCCL needs a CUDA LibTorch built with it).
bool comm_backend_available(CommBackend backend);

struct ProcessGroupOptions {
  CommBackend backend = CommBackend::kGloo;
  std::chrono::milliseconds timeout{std::chrono::seconds(300)};  // rendezvous and each collective
};

// A finished-later collective (the gradient buckets overlap these with the backward pass).
class PendingCollective {
 public:
  explicit PendingCollective(std::function<void()> wait) : wait_(std::move(wait)) {}
  void wait() {
    if (wait_) wait_();
    wait_ = nullptr;
  }

 private:
  std::function<void()> wait_;
};

class ProcessGroup {
 public:
  // Joins the run: every rank blocks here until all WORLD_SIZE ranks have arrived (or the
  // timeout passes). Rank 0 serves the TCPStore.
  static std::shared_ptr<ProcessGroup> join(const WorldSpec& world, const ProcessGroupOptions& options);
  virtual ~ProcessGroup() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Where the tensors of its collectives live: the CPU for Gloo, this rank's GPU for NCCL.
  virtual c10::Device device() const = 0;
  // In place, element-wise sum over the ranks.
  virtual void all_reduce_sum(at::Tensor& tensor) = 0;
  virtual PendingCollective all_reduce_sum_async(at::Tensor tensor) = 0;
  // Every tensor takes the root's values (same shapes on every rank).
  virtual void broadcast(std::vector<at::Tensor>& tensors, int root) = 0;
  // Each rank's tensor (same shape on every rank), in rank order.
  virtual std::vector<at::Tensor> all_gather(const at::Tensor& tensor) = 0;
  virtual void barrier() = 0;
};

// Rows of a tensor whose first dimension differs between ranks, concatenated in rank order on
// every rank (the other dimensions and the dtype must agree).
at::Tensor all_gather_rows(ProcessGroup& group, const at::Tensor& rows);
double all_reduce_sum(ProcessGroup& group, double value);

}  // namespace seqnn
