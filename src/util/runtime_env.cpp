#include "seqnn/util/runtime_env.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace seqnn {
namespace {

constexpr const char* kMarker = "SEQNN_RUNTIME_ENV";

bool is_set(const char* name) { return std::getenv(name) != nullptr; }

// OpenBLAS's kernel family, when the loaded BLAS is OpenBLAS.
std::string openblas_core() {
  using CoreFn = char* (*)();
  auto core = reinterpret_cast<CoreFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return core ? std::string(core()) : "";
}

bool cpu_has_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

}  // namespace

std::vector<std::pair<std::string, std::string>> wanted_runtime_environment() {
  std::vector<std::pair<std::string, std::string>> env;
  if (!is_set("GOMP_SPINCOUNT") && !is_set("OMP_WAIT_POLICY")) env.emplace_back("GOMP_SPINCOUNT", "1000");
  // OpenBLAS's idle pool threads spin (sched_yield) for ~2^28 cycles after each product by
  // default, taking the core LibTorch's next small op wants; 2^4 lets them sleep at once.
  if (!openblas_core().empty() && !is_set("OPENBLAS_THREAD_TIMEOUT")) env.emplace_back("OPENBLAS_THREAD_TIMEOUT", "4");
  if (!is_set("OPENBLAS_CORETYPE") && strcasecmp(openblas_core().c_str(), "prescott") == 0 && cpu_has_avx2()) {
    env.emplace_back("OPENBLAS_CORETYPE", "Haswell");
  }
  return env;
}

void restart_with_runtime_environment(char** argv) {
  if (is_set(kMarker)) return;
  const auto env = wanted_runtime_environment();
  if (env.empty()) return;
  for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), /*overwrite=*/0);
  setenv(kMarker, "1", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
}

}  // namespace seqnn
