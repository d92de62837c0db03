// seqnn init-model: a native model with freshly initialised weights, from a JSON config.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/models/native.h"

namespace seqnn::cli {

void register_init_model(CLI::App& app) {
  struct Args {
    std::string config, out;
    uint64_t seed = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = add_command(app, "init-model", "create a native model (random weights) from a JSON config");
  cmd->add_option("--config,-c", args->config, "model config (JSON), e.g. configs/deepsea.json")->required();
  cmd->add_option("--seed", args->seed, "initialisation seed")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "model file to write")->required();
  cmd->callback([args] {
    CnnConfig config = CnnConfig::from_file(args->config);
    Model model = make_native_model(config, args->seed);
    model.save(args->out);
    std::fprintf(stderr, "seqnn init-model: %lld parameters -> %s\n", static_cast<long long>(model.info().parameters),
                 args->out.c_str());
  });
}

}  // namespace seqnn::cli
