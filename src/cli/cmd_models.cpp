// seqnn models: the trained models that ship with seqnn (models/FAMILY/NAME.md cards), one TSV
// row each; any command's --model takes the NAME column.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/models/shipped_models.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {

void register_models(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto* cmd = add_command(app, "models", "list the trained models that ship with seqnn (name for --model, task, metrics, card)");
  add_common_options(cmd, *common);
  cmd->callback([common] {
    apply_common_options(*common);
    const std::string dir = shipped_models_directory();
    const auto models = shipped_models(dir);
    std::printf("name\ttask\tinput\toutputs\tmetrics\tcard\n");
    for (const auto& m : models) {
      std::printf("%s\n", join({m.name, m.task, m.input, m.outputs, m.metrics, m.card}).c_str());
    }
    std::fprintf(stderr, "seqnn models: %zu shipped models in %s\n", models.size(),
                 dir.empty() ? "(no models folder found; set SEQNN_MODELS)" : dir.c_str());
  });
}

}  // namespace seqnn::cli
