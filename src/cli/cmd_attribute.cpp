// seqnn attribute: per-base attributions (saliency, input x gradient, integrated gradients,
// DeepLIFT/SHAP, ISM) of FASTA sequences to one .npy (N, A, L), a chunk of sequences at a time.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/attribution/attribute_stream.h"
#include "seqnn/util/runtime_info.h"

namespace seqnn::cli {
namespace {

struct AttributeArgs {
  CommonOptions common;
  std::string model, fasta, out, method = "deeplift-shap", output, references = "shuffle:20", engine = "auto";
  std::vector<std::string> targets;
  int64_t steps = 50, batch_size = 64, chunk = 64;
  bool hypothetical = false;
};

void run_attribute(const AttributeArgs& a) {
  const std::string device = apply_common_options(a.common);
  AttributionStreamOptions opts;
  opts.attribution.method = parse_enum(a.method, attribution_method_names(), "--method");
  opts.attribution.output = a.output;
  opts.attribution.steps = a.steps;
  opts.attribution.hypothetical = a.hypothetical;
  opts.attribution.references.seed = a.common.seed;
  opts.attribution.predict.batch_size = a.batch_size;
  opts.attribution.predict.device = device;
  opts.attribution.ism_engine = parse_enum(a.engine, ism_engine_names(), "--ism-engine");
  opts.targets = a.targets;
  opts.references = a.references;
  opts.chunk = a.chunk;
  opts.out = a.out;
  opts.input_name = a.fasta;
  opts.show_progress = !a.common.quiet;
  Model model = Model::load(a.model);
  auto source = fasta_source(a.fasta);
  const AttributionStreamResult r = attribute_stream(model, *source, opts);
  if (!r.warning.empty()) std::fprintf(stderr, "seqnn attribute: warning: %s\n", r.warning.c_str());
  std::string delta;
  if (r.has_deltas) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "; max |convergence delta| %.3g", r.max_abs_delta);
    delta = buf;
  }
  std::fprintf(stderr, "seqnn attribute: %lld sequences, %s of output %s on %s in %.2f s (%.1f sequences/s, %lld model rows)%s; peak RSS %.0f MiB -> %s\n",
               static_cast<long long>(r.sequences), a.method.c_str(), r.output_name.c_str(), device.c_str(), r.seconds,
               r.sequences / std::max(r.seconds, 1e-9), static_cast<long long>(r.forward_rows), delta.c_str(), peak_rss_mib(),
               r.file.c_str());
}

}  // namespace

void register_attribute(CLI::App& app) {
  auto a = std::make_shared<AttributeArgs>();
  auto* cmd = add_command(app, "attribute", "per-base attributions: saliency, input x gradient, integrated gradients, DeepLIFT/SHAP, ISM");
  std::vector<std::string> methods;
  for (const auto& m : attribution_method_names()) methods.emplace_back(m.name);
  cmd->add_option("--method", a->method, "saliency, input-x-gradient, integrated-gradients, deeplift-shap or ism")
      ->check(CLI::IsMember(methods))
      ->capture_default_str();
  add_model_option(cmd, a->model);
  add_fasta_option(cmd, a->fasta, "sequences (all of one length)")->required();
  add_out_option(cmd, a->out, "output OUT.npy, (N, A, L) float32");
  cmd->add_option("--output", a->output, "the model output to attribute, by name or index (default: the only one)");
  add_target_option(cmd, a->targets);
  cmd->add_option("--references", a->references,
                  "integrated-gradients / deeplift-shap: shuffle:K (K dinucleotide shuffles, seeded), zeros, or a "
                  "FASTA / .npy file")
      ->capture_default_str();
  cmd->add_option("--steps", a->steps, "integrated-gradients: steps of the path integral")->check(kPositive)->capture_default_str();
  cmd->add_flag("--hypothetical", a->hypothetical, "hypothetical attributions of every base (tangermeme / TF-MoDISco)");
  add_batch_size_option(cmd, a->batch_size, "model rows per pass (sequence x reference x step)");
  add_chunk_option(cmd, a->chunk, "sequences read and attributed at a time (bounds memory)");
  add_ism_engine_option(cmd, a->engine);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_attribute(*a); });
}

}  // namespace seqnn::cli
