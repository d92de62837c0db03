// seqnn info: versions, BLAS, threads and devices.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn::cli {

void register_info(CLI::App& app) {
  auto* cmd = add_command(app, "info", "print versions, the BLAS in use, threads and devices");
  auto threads = std::make_shared<int>(0);
  cmd->add_option("--threads", *threads, "set the thread count first (0 = all cores)");
  cmd->callback([threads] {
    set_threads(*threads);
    std::fputs(runtime_report().c_str(), stdout);
  });
}

}  // namespace seqnn::cli
