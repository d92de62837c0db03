#include "cli/common_options.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn::cli {

void add_common_options(CLI::App* cmd, CommonOptions& opts) {
  cmd->add_option("--device", opts.device, "cpu, cuda, cuda:N or auto (CUDA when available)")->capture_default_str();
  cmd->add_option("--threads", opts.threads, "CPU threads for LibTorch and BLAS (0 = all cores)")->capture_default_str();
  cmd->add_option("--seed", opts.seed, "random seed (results are deterministic for a given seed)")->capture_default_str();
  cmd->add_flag("--quiet,-q", opts.quiet, "no progress bar");
}

std::string apply_common_options(const CommonOptions& opts) {
  set_threads(opts.threads);
  torch::manual_seed(opts.seed);
  std::string device = resolve_device_name(opts.device);
  static bool warned = false;
  if (!warned && blas_is_reference()) {
    std::fprintf(stderr, "seqnn: warning: the reference BLAS is in use; install libopenblas0-pthread for ~3x faster models\n");
    warned = true;
  }
  return device;
}

void add_mc_options(CLI::App* cmd, McCliOptions& opts, bool with_pairing) {
  cmd->add_option("--mc-samples", opts.samples, "Monte-Carlo dropout: K stochastic passes (0 = off)")->capture_default_str();
  cmd->add_option("--mc-seed", opts.seed, "seed of the dropout masks")->capture_default_str();
  if (with_pairing) {
    cmd->add_option("--mc-pairing", opts.pairing, "paired: reference and alternative share masks; independent: standard MC dropout")
        ->capture_default_str();
  }
}

McOptions to_mc_options(const McCliOptions& opts) {
  if (opts.samples < 0) throw Error("--mc-samples must be >= 0");
  if (opts.samples == 1) throw Error("--mc-samples 1 gives no standard deviation; use 2 or more");
  McOptions mc;
  mc.samples = opts.samples;
  mc.seed = opts.seed;
  mc.pairing = parse_mc_pairing(opts.pairing);
  return mc;
}

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description) {
  return app.add_subcommand(name, description);
}

}  // namespace seqnn::cli
