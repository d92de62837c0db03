#pragma once
// Settings the threading and BLAS runtimes read from the environment once, when they load (before
// main), so a process can only get them by starting again with them set.
//   * GOMP_SPINCOUNT: after each parallel region libgomp's workers spin (300,000 rounds by
//     default) before sleeping; on a machine with as many threads as cores they take the cores
//     OpenBLAS's threads need next; small-op workloads (incremental ISM) slow down (~1.25x measured).
//   * OPENBLAS_CORETYPE: a DYNAMIC_ARCH OpenBLAS that does not recognise the CPU (0.3.21 on recent
//     Xeons under a hypervisor) falls back to its SSE3 "Prescott" kernels; an AVX2 CPU runs the
//     Haswell ones about 1.5x faster.
// Variables the user has set are left alone.
#include <string>
#include <utility>
#include <vector>

namespace seqnn {

// What to set for this machine and process (empty: nothing).
std::vector<std::pair<std::string, std::string>> wanted_runtime_environment();

// Sets them and re-executes the program (argv as given) when something is wanted and this process
// was not itself started that way; returns when there is nothing to do or the exec failed.
void restart_with_runtime_environment(char** argv);

}  // namespace seqnn
