// seqnn init-model: a native model with freshly initialised weights, from a JSON config.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/models/native.h"
#include "seqnn/util/files.h"

namespace seqnn::cli {

void register_init_model(CLI::App& app) {
  struct Args {
    CommonOptions common;
    std::string config, out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = add_command(app, "init-model", "create a native model (random weights) from a JSON config");
  add_config_option(cmd, a->config, "model config (JSON: \"type\" cnn, rnn, pair or ensemble), e.g. configs/deepsea.json")->required();
  add_out_option(cmd, a->out, "model file to write");
  add_common_options(cmd, a->common);
  cmd->callback([a] {
    apply_common_options(a->common);
    // Any native type ("type": cnn, rnn, pair, ensemble), as `train` builds them.
    Model model = make_native_model_from_json(read_text_file(a->config, "model config"), a->config, a->common.seed);
    model.save(a->out);
    std::fprintf(stderr, "seqnn init-model: %lld parameters (seed %llu) -> %s\n", static_cast<long long>(model.info().parameters),
                 static_cast<unsigned long long>(a->common.seed), a->out.c_str());
  });
}

}  // namespace seqnn::cli
