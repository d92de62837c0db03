// libFuzzer entry points for seqnn's fuzz targets (built by `make fuzz`, docs/reliability.md).
// One binary holds every target; --target=NAME picks one (libFuzzer passes flags that start
// with "--" through untouched), e.g.
//   build-asan/tests/fuzz/seqnn_fuzz --target=fasta -max_total_time=600 tests/fuzz/corpus/fasta
#include <ATen/Parallel.h>
#include <htslib/hts_log.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/fuzz_target.h"

namespace {
const seqnn::fuzz::FuzzTarget* g_target = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  const char* name = std::getenv("SEQNN_FUZZ_TARGET");
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp((*argv)[i], "--target=", 9) == 0) name = (*argv)[i] + 9;
  }
  g_target = name ? seqnn::fuzz::find_fuzz_target(name) : nullptr;
  if (!g_target) {
    std::fprintf(stderr, "seqnn_fuzz: give --target=NAME (or SEQNN_FUZZ_TARGET), one of:\n");
    for (const auto& t : seqnn::fuzz::fuzz_targets()) std::fprintf(stderr, "  %-10s %s\n", t.name, t.parsers);
    std::exit(2);
  }
  hts_set_log_level(HTS_LOG_OFF);  // htslib's own complaints about the inputs are noise here
  at::set_num_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    seqnn::fuzz::run_fuzz_input(*g_target, data, size);
  } catch (const seqnn::fuzz::FuzzFinding& f) {
    std::fprintf(stderr, "seqnn_fuzz finding: %s\n", f.what());
    std::abort();
  }
  return 0;
}
