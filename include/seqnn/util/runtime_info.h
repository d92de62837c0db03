#pragma once
// What seqnn runs on: LibTorch version, the BLAS library actually loaded (Debian's LibTorch calls
// the system BLAS, and the reference BLAS is ~3x slower than OpenBLAS), threads and devices.
#include <string>

namespace seqnn {

struct BlasInfo {
  std::string library;   // resolved path of the loaded libblas, or "" if none found
  std::string vendor;    // "OpenBLAS", "reference", "MKL", "BLIS" or "unknown"
  int threads = -1;      // BLAS threads when the library reports them
  std::string config;    // e.g. OpenBLAS's build configuration string
};

BlasInfo blas_info();
bool blas_is_reference();  // true when the slow reference BLAS is in use

// Sets LibTorch intra-op threads and, for OpenBLAS, its own thread pool. n <= 0: all cores.
void set_threads(int n);

// OpenBLAS's own thread count set to n for the guard's lifetime (nothing for other BLAS
// libraries): matrix products issued from several threads at once must each run on the thread
// that issues them, not queue for OpenBLAS's shared pool.
class BlasThreadsGuard {
 public:
  explicit BlasThreadsGuard(int n);
  ~BlasThreadsGuard();
  BlasThreadsGuard(const BlasThreadsGuard&) = delete;
  BlasThreadsGuard& operator=(const BlasThreadsGuard&) = delete;

 private:
  int previous_ = -1;
};

// Peak resident memory of this process so far, in MiB (getrusage).
double peak_rss_mib();

// Multi-line report printed by `seqnn info`.
std::string runtime_report();

// Parses "cpu", "cuda", "cuda:N" or "auto" (CUDA when available, else CPU). Throws seqnn::Error
// with the list of valid choices for anything else, or when CUDA is requested but absent.
std::string resolve_device_name(const std::string& name);

}  // namespace seqnn
