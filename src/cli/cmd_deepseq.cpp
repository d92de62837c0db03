// seqnn deepseq: DeepSequence (Riesselman et al. 2018) - train | score | weights. This file
// registers the group and holds `weights`; the others are in cmd_deepseq_{train,score}.cpp.
#include <malloc.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

#include "cli/common_options.h"
#include "cli/deepseq_common.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {
namespace {

struct WeightsArgs {
  CommonOptions common;
  std::string alignment, out, method = "auto";
  double theta = 0.2;
};

void run_weights(const WeightsArgs& a) {
  const std::string device = apply_common_options(a.common);
  ProgressBar bar("deepseq weights", 2, "stage", !a.common.quiet);
  ds::Alignment aln = ds::read_alignment(a.alignment);
  bar.update(1);
  ds::WeightsOptions o;
  o.theta = a.theta;
  o.method = ds::parse_weights_method(a.method);
  o.device = device;
  auto t0 = std::chrono::steady_clock::now();
  at::Tensor w = ds::sequence_weights(ds::encode_codes(aln.sequences), o);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  bar.update(2);
  bar.finish();
  std::string text = "name\tweight\n";
  const double* p = w.data_ptr<double>();
  for (int64_t i = 0; i < aln.size(); ++i) {
    text += aln.names[static_cast<size_t>(i)] + "\t";
    append_number(text, p[i]);
    text += "\n";
  }
  AtomicFile file(a.out);
  file.write(text);
  file.commit();
  std::fprintf(stderr,
               "seqnn deepseq weights: %lld of %lld records kept, %lld focus columns, Neff %.2f (theta %.2f) in %.2f s "
               "on %s -> %s\n",
               static_cast<long long>(aln.size()), static_cast<long long>(aln.records_read),
               static_cast<long long>(aln.length()), w.sum().item<double>(), a.theta, secs, device.c_str(), a.out.c_str());
}

}  // namespace

void keep_freed_memory() {
  mallopt(M_MMAP_MAX, 0);                // large blocks come from the heap...
  mallopt(M_TRIM_THRESHOLD, 1 << 30);    // ...and stay there for the next step
}

ds::FocusInfo focus_of(const ds::Alignment& aln, double neff) {
  return ds::FocusInfo{aln.focus_name, aln.focus_start, aln.focus_sequence, aln.positions, neff};
}

void check_same_focus(const ds::FocusInfo& model, const ds::Alignment& aln) {
  if (model.sequence != aln.focus_sequence || model.positions != aln.positions) {
    fail(aln.path, "focus sequence " + aln.focus_name + " does not match the model's (" + model.name + ")");
  }
}

void register_deepseq_weights(CLI::App& deepseq) {
  auto a = std::make_shared<WeightsArgs>();
  auto* cmd = deepseq.add_subcommand("weights", "sequence weights and Neff of an alignment");
  cmd->add_option("--alignment,-a", a->alignment, "a2m / a3m / aligned FASTA; focus sequence first")->required();
  cmd->add_option("--out,-o", a->out, "output TSV: name, weight")->required();
  cmd->add_option("--theta", a->theta, "identity threshold: neighbours have identity > 1 - theta")->capture_default_str();
  cmd->add_option("--method", a->method, "auto, compare (CPU byte compare) or matmul (one-hot products)")->capture_default_str();
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
