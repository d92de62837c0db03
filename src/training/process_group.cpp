#include "seqnn/training/process_group.h"

// ProcessGroupGloo.hpp declares its class only when LibTorch's build flag is defined for the
// includer too; CMake defines SEQNN_HAVE_GLOO when the gloo headers are there.
#ifdef SEQNN_HAVE_GLOO
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef SEQNN_HAVE_NCCL
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#include <cstdlib>

#include "seqnn/util/error.h"

extern char** environ;

namespace seqnn {
namespace {

using Env = std::map<std::string, std::string>;

std::string get(const Env& env, const std::string& key) {
  auto it = env.find(key);
  return it == env.end() ? std::string() : it->second;
}

int int_variable(const Env& env, const std::string& key, int fallback, int min_value) {
  const std::string text = get(env, key);
  if (text.empty()) return fallback;
  size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < min_value || value > 1 << 20) {
    throw Error("environment variable " + key + "='" + text + "' is not an integer >= " + std::to_string(min_value));
  }
  return static_cast<int>(value);
}

void check_world(const WorldSpec& w, const std::string& rank_key, const std::string& size_key) {
  if (w.rank >= w.size) {
    throw Error("environment: " + rank_key + "=" + std::to_string(w.rank) + " is not below " + size_key + "=" +
                std::to_string(w.size));
  }
}

// A c10d failure as one line that says what probably happened (the CLI names the rank).
[[noreturn]] void collective_failed(const char* what, const std::exception& e) {
  throw Error(std::string(what) + " with the other ranks failed (" + first_line(e.what()) +
              "): another rank stopped, or the network between them failed");
}

bool loopback(const std::string& addr) { return addr == "localhost" || addr.rfind("127.", 0) == 0; }

#ifdef SEQNN_HAVE_GLOO
// The network interface Gloo binds: GLOO_SOCKET_IFNAME as in PyTorch, loopback for a run on one
// machine, else the address this machine's hostname resolves to.
std::shared_ptr<::gloo::transport::Device> gloo_device(const WorldSpec& w) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  }
  if (loopback(w.master_addr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

// The collectives on a c10d process group (Gloo or NCCL: the same calls in LibTorch 1.13 and 2.x).
template <typename Group>
class C10dProcessGroup : public ProcessGroup {
 public:
  C10dProcessGroup(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<Group> group, int rank, int size,
                   c10::Device device)
      : store_(std::move(store)), group_(std::move(group)), rank_(rank), size_(size), device_(device) {}

  int rank() const override { return rank_; }
  c10::Device device() const override { return device_; }
  int size() const override { return size_; }

  void all_reduce_sum(at::Tensor& tensor) override { all_reduce_sum_async(tensor).wait(); }

  PendingCollective all_reduce_sum_async(at::Tensor tensor) override {
    auto tensors = std::make_shared<std::vector<at::Tensor>>(std::vector<at::Tensor>{tensor});
    auto work = run("all-reduce", [&] { return group_->allreduce(*tensors); });
    return PendingCollective([this, work, tensors] { run("all-reduce", [&] { return work->wait(); }); });
  }

  void broadcast(std::vector<at::Tensor>& tensors, int root) override {
    c10d::BroadcastOptions options;
    options.rootRank = root;
    for (auto& t : tensors) {
      std::vector<at::Tensor> one{t};
      run("broadcast", [&] { return group_->broadcast(one, options)->wait(); });
    }
  }

  std::vector<at::Tensor> all_gather(const at::Tensor& tensor) override {
    std::vector<at::Tensor> input{tensor.contiguous()};
    std::vector<std::vector<at::Tensor>> output(1);
    for (int r = 0; r < size_; ++r) output[0].push_back(torch::empty_like(input[0]));
    run("all-gather", [&] { return group_->allgather(output, input)->wait(); });
    return output[0];
  }

  void barrier() override {
    run("barrier", [&] { return group_->barrier()->wait(); });
  }

 private:
  template <typename F>
  auto run(const char* what, F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const std::exception& e) {
      collective_failed(what, e);
    }
  }

  c10::intrusive_ptr<c10d::Store> store_;  // kept alive: rank 0 serves it to the others
  c10::intrusive_ptr<Group> group_;
  int rank_, size_;
  c10::Device device_;
};

// Rendezvous: the TCPStore (rank 0 serves it), then every pair of ranks connects through it.
[[noreturn]] void rendezvous_failed(const WorldSpec& w, const ProcessGroupOptions& o, const std::exception& e) {
  throw Error("rendezvous at " + w.master_addr + ":" + std::to_string(w.master_port) + " did not complete within " +
              std::to_string(o.timeout.count() / 1000) + " s (" + first_line(e.what()) + "): are all " +
              std::to_string(w.size) + " ranks started, with the same MASTER_ADDR and MASTER_PORT?");
}

c10::intrusive_ptr<c10d::Store> rendezvous(const WorldSpec& w, const ProcessGroupOptions& o) {
  c10d::TCPStoreOptions store;
  store.port = static_cast<uint16_t>(w.master_port);
  store.isServer = w.rank == 0;
  store.numWorkers = static_cast<size_t>(w.size);
  store.waitWorkers = true;
  store.timeout = o.timeout;
  try {
    return c10::make_intrusive<c10d::TCPStore>(w.master_addr, store);
  } catch (const std::exception& e) {
    rendezvous_failed(w, o, e);
  }
}

std::shared_ptr<ProcessGroup> join_gloo(const WorldSpec& w, const ProcessGroupOptions& o) {
#ifdef SEQNN_HAVE_GLOO
  auto store = rendezvous(w, o);
  auto options = c10d::ProcessGroupGloo::Options::create(o.timeout);
  options->devices.push_back(gloo_device(w));
  try {
    auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, w.rank, w.size, options);
    return std::make_shared<C10dProcessGroup<c10d::ProcessGroupGloo>>(store, group, w.rank, w.size, c10::Device(c10::kCPU));
  } catch (const std::exception& e) {
    rendezvous_failed(w, o, e);
  }
#else
  (void)w;
  (void)o;
  throw Error("this seqnn was built without Gloo (install libgloo-dev and rebuild): no distributed training on the CPU");
#endif
}

std::shared_ptr<ProcessGroup> join_nccl(const WorldSpec& w, const ProcessGroupOptions& o) {
#ifdef SEQNN_HAVE_NCCL
  auto store = rendezvous(w, o);
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = o.timeout;
  try {
    auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, w.rank, w.size, options);
    return std::make_shared<C10dProcessGroup<c10d::ProcessGroupNCCL>>(store, group, w.rank, w.size,
                                                                       c10::Device(c10::kCUDA, w.local_rank));
  } catch (const std::exception& e) {
    rendezvous_failed(w, o, e);
  }
#else
  (void)w;
  (void)o;
  throw Error("--backend nccl: this seqnn was built without NCCL (it needs a CUDA LibTorch built with it); use --backend gloo");
#endif
}

}  // namespace

WorldSpec world_from_environment(const Env& env) {
  WorldSpec w;
  if (!get(env, "WORLD_SIZE").empty()) {
    w.launcher = "torchrun";
    w.size = int_variable(env, "WORLD_SIZE", 1, 1);
    if (get(env, "RANK").empty()) throw Error("environment: WORLD_SIZE is set but RANK is not");
    w.rank = int_variable(env, "RANK", 0, 0);
    w.local_rank = int_variable(env, "LOCAL_RANK", w.rank, 0);
    check_world(w, "RANK", "WORLD_SIZE");
  } else if (!get(env, "SLURM_NTASKS").empty() && !get(env, "SLURM_PROCID").empty()) {
    w.launcher = "slurm";
    w.size = int_variable(env, "SLURM_NTASKS", 1, 1);
    w.rank = int_variable(env, "SLURM_PROCID", 0, 0);
    w.local_rank = int_variable(env, "SLURM_LOCALID", 0, 0);
    check_world(w, "SLURM_PROCID", "SLURM_NTASKS");
    if (get(env, "MASTER_ADDR").empty() && !get(env, "SLURM_LAUNCH_NODE_IPADDR").empty()) {
      w.master_addr = get(env, "SLURM_LAUNCH_NODE_IPADDR");
    }
  } else {
    return w;
  }
  if (!get(env, "MASTER_ADDR").empty()) w.master_addr = get(env, "MASTER_ADDR");
  w.master_port = int_variable(env, "MASTER_PORT", w.master_port, 1);
  if (w.master_port > 65535) throw Error("environment: MASTER_PORT must be in 1..65535");
  return w;
}

WorldSpec world_from_process_environment() {
  Env env;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return world_from_environment(env);
}

const std::vector<EnumName<CommBackend>>& comm_backend_names() {
  static const std::vector<EnumName<CommBackend>> names = {{CommBackend::kGloo, "gloo"}, {CommBackend::kNccl, "nccl"}};
  return names;
}

bool comm_backend_available(CommBackend backend) {
#ifdef SEQNN_HAVE_GLOO
  if (backend == CommBackend::kGloo) return true;
#endif
#ifdef SEQNN_HAVE_NCCL
  if (backend == CommBackend::kNccl) return true;
#endif
  (void)backend;
  return false;
}

std::shared_ptr<ProcessGroup> ProcessGroup::join(const WorldSpec& world, const ProcessGroupOptions& options) {
  return options.backend == CommBackend::kNccl ? join_nccl(world, options) : join_gloo(world, options);
}

at::Tensor all_gather_rows(ProcessGroup& group, const at::Tensor& rows) {
  const at::Tensor local = rows.contiguous();
  const int64_t n = local.size(0);
  std::vector<at::Tensor> counts = group.all_gather(torch::full({1}, n, torch::dtype(torch::kLong).device(local.device())));
  int64_t most = 0;
  for (const auto& c : counts) most = std::max(most, c.item<int64_t>());
  std::vector<int64_t> shape = local.sizes().vec();
  shape[0] = most;
  at::Tensor padded = torch::zeros(shape, local.options());
  if (n > 0) padded.narrow(0, 0, n).copy_(local);
  std::vector<at::Tensor> parts = group.all_gather(padded);
  for (size_t r = 0; r < parts.size(); ++r) parts[r] = parts[r].narrow(0, 0, counts[r].item<int64_t>());
  return torch::cat(parts);
}

double all_reduce_sum(ProcessGroup& group, double value) {
  at::Tensor t = torch::full({1}, value, torch::dtype(torch::kDouble).device(group.device()));
  group.all_reduce_sum(t);
  return t.item<double>();
}

}  // namespace seqnn
