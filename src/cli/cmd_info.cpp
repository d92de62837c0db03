// seqnn info: versions, BLAS, threads and devices.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn::cli {

void register_info(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto* cmd = add_command(app, "info", "print versions, the BLAS in use, threads and devices");
  add_common_options(cmd, *common);
  cmd->callback([common] {
    apply_common_options(*common);
    std::fputs(runtime_report().c_str(), stdout);
  });
}

}  // namespace seqnn::cli
