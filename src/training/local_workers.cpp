#include "seqnn/training/local_workers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

constexpr const char* kWorkerVariable = "SEQNN_LOCAL_WORKER";

// In the child, between fork and exec: torchrun's variables, then the same command.
[[noreturn]] void exec_worker(const LocalWorkersOptions& o, int rank, int port) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1) _exit(143);  // the launcher died before prctl took effect
  const std::string r = std::to_string(rank), n = std::to_string(o.nproc), p = std::to_string(port);
  setenv("RANK", r.c_str(), 1);
  setenv("LOCAL_RANK", r.c_str(), 1);
  setenv("WORLD_SIZE", n.c_str(), 1);
  setenv("LOCAL_WORLD_SIZE", n.c_str(), 1);
  setenv("MASTER_ADDR", "127.0.0.1", 1);
  setenv("MASTER_PORT", p.c_str(), 1);
  setenv(kWorkerVariable, "1", 1);
  std::vector<char*> argv;
  for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  std::fprintf(stderr, "%s: cannot start worker %d: %s\n", o.name.c_str(), rank, std::strerror(errno));
  _exit(127);
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return std::string("was killed by signal ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

int command_status(int status) { return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status); }

bool failed(int status) { return !WIFEXITED(status) || WEXITSTATUS(status) != 0; }

// Waits up to `grace` for the workers still running, then stops them.
void stop_remaining(std::vector<pid_t>& pids, std::chrono::seconds grace) {
  auto reap = [&](int flags) {
    for (auto& pid : pids) {
      int status = 0;
      if (pid > 0 && waitpid(pid, &status, flags) == pid) pid = -1;
    }
  };
  auto running = [&] {
    for (pid_t pid : pids) {
      if (pid > 0) return true;
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (running() && std::chrono::steady_clock::now() < deadline) {
    reap(WNOHANG);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int sig : {SIGTERM, SIGKILL}) {
    for (pid_t pid : pids) {
      if (pid > 0) kill(pid, sig);
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (running() && std::chrono::steady_clock::now() < until) {
      reap(WNOHANG);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  reap(0);
}

}  // namespace

bool is_local_worker() { return std::getenv(kWorkerVariable) != nullptr; }

int free_local_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error(std::string("cannot open a socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw Error(std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(errno));
  return ntohs(addr.sin_port);
}

int run_local_workers(const LocalWorkersOptions& o) {
  if (o.nproc < 1) throw Error("--nproc must be at least 1");
  const int port = free_local_port();
  std::fflush(nullptr);
  std::vector<pid_t> pids;
  for (int rank = 0; rank < o.nproc; ++rank) {
    const pid_t pid = fork();
    if (pid < 0) {
      stop_remaining(pids, std::chrono::seconds(0));
      throw Error(std::string("cannot start worker processes: ") + std::strerror(errno));
    }
    if (pid == 0) exec_worker(o, rank, port);
    pids.push_back(pid);
  }
  for (int left = o.nproc; left > 0; --left) {
    int status = 0;
    const pid_t pid = wait(&status);
    if (pid < 0) break;
    int rank = 0;
    while (rank < o.nproc && pids[static_cast<size_t>(rank)] != pid) ++rank;
    if (rank == o.nproc) {
      ++left;  // not one of the workers
      continue;
    }
    pids[static_cast<size_t>(rank)] = -1;
    if (failed(status)) {
      std::fprintf(stderr, "%s: rank %d of %d %s; stopping the other ranks\n", o.name.c_str(), rank, o.nproc,
                   how_it_ended(status).c_str());
      stop_remaining(pids, o.grace);
      return command_status(status) == 0 ? 1 : command_status(status);
    }
  }
  return 0;
}

}  // namespace seqnn
