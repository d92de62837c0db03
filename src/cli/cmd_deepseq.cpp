// seqnn deepseq: DeepSequence (Riesselman et al. 2018) - train | score | weights. This file
// registers the group and holds `weights`; the others are in cmd_deepseq_{train,score}.cpp.
#include <cstdio>

#include "cli/common_options.h"
#include "cli/deepseq_common.h"
#include "seqnn/deepsequence/weights_table.h"

namespace seqnn::cli {
namespace {

struct WeightsArgs {
  CommonOptions common;
  std::string alignment, out, method = "auto";
  double theta = 0.2;
};

void run_weights(const WeightsArgs& a) {
  ds::WeightsTableOptions o;
  o.alignment = a.alignment;
  o.out = a.out;
  o.weights.device = apply_common_options(a.common);
  o.weights.theta = a.theta;
  o.weights.method = ds::parse_weights_method(a.method);
  o.progress = !a.common.quiet;
  const ds::WeightsTableResult r = ds::write_weights_table(o);
  std::fprintf(stderr,
               "seqnn deepseq weights: %lld of %lld records kept, %lld focus columns, Neff %.2f (theta %.2f) in %.2f s "
               "on %s -> %s\n",
               static_cast<long long>(r.records_kept), static_cast<long long>(r.records_read),
               static_cast<long long>(r.columns), r.neff, a.theta, r.seconds, o.weights.device.c_str(), a.out.c_str());
}

}  // namespace

CLI::Option* add_alignment_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--alignment,-a", path, help)->type_name("FILE");
}

CLI::Option* add_weights_method_option(CLI::App* cmd, std::string& method) {
  return cmd->add_option("--weights-method", method, "sequence weights: compare (CPU byte compare), matmul (one-hot products) or auto")
      ->check(CLI::IsMember({"auto", "compare", "matmul"}))
      ->capture_default_str();
}

void register_deepseq_weights(CLI::App& deepseq) {
  auto a = std::make_shared<WeightsArgs>();
  auto* cmd = add_command(deepseq, "weights", "sequence weights and Neff of an alignment");
  add_alignment_option(cmd, a->alignment, "a2m / a3m / aligned FASTA; focus sequence first")->required();
  add_out_option(cmd, a->out, "output TSV: name, weight");
  cmd->add_option("--theta", a->theta, "identity threshold: neighbours have identity > 1 - theta")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  add_weights_method_option(cmd, a->method);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_weights(*a); });
}

void register_deepseq(CLI::App& app) {
  CLI::App* deepseq = add_command(app, "deepseq", "DeepSequence VAE: train, score mutations, sequence weights");
  deepseq->require_subcommand(1);
  register_deepseq_train(*deepseq);
  register_deepseq_score(*deepseq);
  register_deepseq_weights(*deepseq);
}

}  // namespace seqnn::cli
