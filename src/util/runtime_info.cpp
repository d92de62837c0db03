#include "seqnn/util/runtime_info.h"

#include <dlfcn.h>
#include <link.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <climits>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <algorithm>
#include <vector>

#include "seqnn/util/error.h"
#include "seqnn/version.h"

namespace seqnn {
namespace {

int collect_library(struct dl_phdr_info* info, size_t, void* data) {
  auto* names = static_cast<std::vector<std::string>*>(data);
  if (info->dlpi_name && *info->dlpi_name) names->emplace_back(info->dlpi_name);
  return 0;
}

std::vector<std::string> loaded_libraries() {
  std::vector<std::string> names;
  dl_iterate_phdr(collect_library, &names);
  return names;
}

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) ? std::string(buf) : path;
}

}  // namespace

BlasInfo blas_info() {
  BlasInfo info;
  for (const auto& lib : loaded_libraries()) {
    if (lib.find("libblas.so") != std::string::npos || lib.find("libopenblas") != std::string::npos ||
        lib.find("libmkl_rt") != std::string::npos || lib.find("libblis") != std::string::npos) {
      if (info.library.empty() || lib.find("libblas.so") != std::string::npos) info.library = real_path(lib);
    }
  }
  // Symbols tell the vendor regardless of how the library file is named (alternatives links).
  using IntFn = int (*)();
  using StrFn = char* (*)();
  if (auto threads = reinterpret_cast<IntFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"))) {
    info.vendor = "OpenBLAS";
    info.threads = threads();
    if (auto cfg = reinterpret_cast<StrFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) info.config = cfg();
  } else if (dlsym(RTLD_DEFAULT, "mkl_get_max_threads")) {
    info.vendor = "MKL";
  } else if (dlsym(RTLD_DEFAULT, "bli_info_get_version_str")) {
    info.vendor = "BLIS";
  } else if (info.library.find("/blas/") != std::string::npos) {
    info.vendor = "reference";
  } else {
    info.vendor = info.library.empty() ? "none found" : "unknown";
  }
  return info;
}

bool blas_is_reference() { return blas_info().vendor == "reference"; }

void set_threads(int n) {
  // Debian's LibTorch (OpenMP) starts with one thread on some machines: 0 means "all cores".
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  using SetFn = void (*)(int);
  if (auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(n);
}

namespace {
using GetThreadsFn = int (*)();
using SetThreadsFn = void (*)(int);
GetThreadsFn openblas_get_threads() { return reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads")); }
SetThreadsFn openblas_set_threads() { return reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")); }
}  // namespace

BlasThreadsGuard::BlasThreadsGuard(int n) {
  static const GetThreadsFn get = openblas_get_threads();
  static const SetThreadsFn set = openblas_set_threads();
  if (!get || !set) return;
  previous_ = get();
  if (previous_ != n) set(n);
}

BlasThreadsGuard::~BlasThreadsGuard() {
  static const SetThreadsFn set = openblas_set_threads();
  if (previous_ > 0 && set) set(previous_);
}

double peak_rss_mib() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string runtime_report() {
  std::ostringstream out;
  BlasInfo blas = blas_info();
  out << "seqnn      " << SEQNN_VERSION << "\n";
  out << "libtorch   " << TORCH_VERSION_MAJOR << "." << TORCH_VERSION_MINOR << "." << TORCH_VERSION_PATCH << "\n";
  out << "blas       " << blas.vendor << (blas.library.empty() ? "" : " (" + blas.library + ")") << "\n";
  if (blas.threads > 0) out << "blas thr.  " << blas.threads << "\n";
  if (!blas.config.empty()) out << "blas conf. " << blas.config << "\n";
  out << "threads    " << torch::get_num_threads() << " intra-op, " << torch::get_num_interop_threads()
      << " inter-op\n";
  for (const char* name : {"GOMP_SPINCOUNT", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_THREAD_TIMEOUT"}) {
    if (const char* v = std::getenv(name)) out << "env        " << name << "=" << v << "\n";
  }
  out << "devices    cpu";
  if (torch::cuda::is_available()) {
    out << ", cuda x" << torch::cuda::device_count();
  } else {
    out << " (no CUDA device)";
  }
  out << "\n";
  if (blas.vendor == "reference") {
    out << "warning    the reference BLAS is in use; install libopenblas0-pthread for ~3x faster matrix products\n";
  }
  return out.str();
}

std::string resolve_device_name(const std::string& name) {
  if (name == "cpu") return "cpu";
  if (name == "auto") return torch::cuda::is_available() ? "cuda" : "cpu";
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available()) fail("--device " + name, "CUDA is not available on this machine (use cpu or auto)");
    if (name.size() > 5) {
      char* end = nullptr;
      long index = std::strtol(name.c_str() + 5, &end, 10);
      if (*end != '\0' || index < 0 || index >= static_cast<long>(torch::cuda::device_count())) {
        fail("--device " + name, "no such CUDA device (" + std::to_string(torch::cuda::device_count()) + " present)");
      }
    }
    return name;
  }
  fail("--device " + name, "unknown device (choose cpu, cuda, cuda:N or auto)");
}

}  // namespace seqnn
