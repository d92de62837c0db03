#include "cli/common_options.h"

#include <torch/torch.h>

#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "seqnn/models/shipped_models.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/interrupt.h"
#include "seqnn/util/runtime_info.h"
#include "seqnn/version.h"

namespace seqnn::cli {

namespace {

CLI::Validator number_at_least(double bound, bool strict, const char* name) {
  return CLI::Validator(
      [bound, strict](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "'" + text + "' is not a number";
        if (strict ? v > bound : v >= bound) return "";
        return std::string(strict ? "must be greater than 0" : "must be 0 or more") + ", got " + text;
      },
      name, name);
}

}  // namespace

const CLI::Validator kPositive = number_at_least(0, true, "POSITIVE");
const CLI::Validator kNonNegative = number_at_least(0, false, "NONNEGATIVE");

void add_common_options(CLI::App* cmd, CommonOptions& opts) {
  cmd->add_option("--device", opts.device, "cpu, cuda, cuda:N or auto (CUDA when available)")->capture_default_str();
  // Far more threads than cores only thrashes (100000 hung the machine): refuse them up front.
  const int most = static_cast<int>(4 * std::max(1u, std::thread::hardware_concurrency()));
  cmd->add_option("--threads", opts.threads, "CPU threads for LibTorch and BLAS (0 = all cores)")
      ->check(CLI::Range(0, most))
      ->capture_default_str();
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

// A shipped model's name (rbp/pum2) becomes its file's path as the flag is parsed, so every
// command and the output-is-not-an-input check see a path. Anything else is left as it is:
// Model::load names the missing file once the other flags are checked.
CLI::Validator shipped_model_name() {
  return CLI::Validator(
      [](std::string& value) {
        try {
          value = resolve_model_path(value);
        } catch (const Error&) {
        }
        return std::string();
      },
      "", "shipped model name");
}

CLI::Option* add_model_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--model,-m", path, help + ", or a shipped model's name (seqnn models)")
      ->type_name("FILE")
      ->required()
      ->transform(shipped_model_name());
}

CLI::Option* add_out_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--out,-o", path, help)->type_name("PATH")->required();
}

CLI::Option* add_fasta_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--fasta,-f", path, help)->type_name("FILE");
}

CLI::Option* add_genome_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--genome,-g", path, help)->type_name("FILE");
}

CLI::Option* add_bed_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--bed,-b", path, help)->type_name("FILE");
}

CLI::Option* add_config_option(CLI::App* cmd, std::string& path, const std::string& help) {
  return cmd->add_option("--config,-c", path, help)->type_name("FILE");
}

CLI::Option* add_batch_size_option(CLI::App* cmd, int64_t& n, const std::string& help) {
  return cmd->add_option("--batch-size", n, help)->check(kPositive)->capture_default_str();
}

CLI::Option* add_chunk_option(CLI::App* cmd, int64_t& n, const std::string& help) {
  return cmd->add_option("--chunk", n, help)->check(kPositive)->capture_default_str();
}

CLI::Option* add_target_option(CLI::App* cmd, std::vector<std::string>& targets) {
  return cmd->add_option("--target", targets, "output columns to keep, by index or name (default: all)")->type_name("COLUMN");
}

CLI::Option* add_ism_engine_option(CLI::App* cmd, std::string& engine) {
  std::vector<std::string> engines;
  for (const auto& e : ism_engine_names()) engines.emplace_back(e.name);
  return cmd
      ->add_option("--ism-engine", engine,
                   "incremental (recompute only what a substitution reaches), naive (whole model per mutant) "
                   "or auto (incremental when the model allows it)")
      ->check(CLI::IsMember(engines))
      ->capture_default_str();
}

CLI::Option* add_epochs_option(CLI::App* cmd, int64_t& epochs) {
  return cmd->add_option("--epochs", epochs, "training epochs")->check(kPositive)->capture_default_str();
}

CLI::Option* add_lr_option(CLI::App* cmd, double& lr, const std::string& help) {
  return cmd->add_option("--lr", lr, help)->check(kPositive)->capture_default_str();
}

CLI::Option* add_val_fraction_option(CLI::App* cmd, double& fraction) {
  return cmd->add_option("--val-fraction", fraction, "fraction of the training data held out for validation")
      ->check(CLI::Range(0.0, 0.999999))
      ->capture_default_str();
}

CLI::Option* add_resume_flag(CLI::App* cmd, bool& resume) {
  return cmd->add_flag("--resume", resume,
                       "continue from the last checkpoint in --out (same flags; gives the uninterrupted run's result)");
}

void add_mc_options(CLI::App* cmd, McCliOptions& opts, bool with_pairing) {
  cmd->add_option("--mc-samples", opts.samples, "Monte-Carlo dropout: K stochastic passes (0 = off; K >= 2)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--mc-seed", opts.seed, "seed of the dropout masks")->capture_default_str();
  if (with_pairing) {
    cmd->add_option("--mc-pairing", opts.pairing, "paired: reference and alternative share masks; independent: standard MC dropout")
        ->check(CLI::IsMember({"paired", "independent"}))
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

namespace {

// Flags whose value is written, not read.
bool is_output_flag(const CLI::Option& opt) {
  for (const std::string& name : opt.get_lnames()) {
    if (name == "out" || name == "loss-curve" || name == "png" || name == "logos") return true;
  }
  return false;
}

// Every existing file given to an input flag is an input of this run; outputs may not name one.
void register_inputs(const CLI::App& cmd) {
  for (const CLI::Option* opt : cmd.get_options()) {
    if (is_output_flag(*opt)) continue;
    for (const std::string& value : opt->results()) register_input_file(value);
  }
}

}  // namespace

// "seqnn rna fold": the command as the user typed it, for the interrupt line.
std::string command_path(const CLI::App& cmd) {
  std::string path = cmd.get_name();
  for (const CLI::App* p = cmd.get_parent(); p && p->get_parent(); p = p->get_parent()) path = p->get_name() + " " + path;
  return "seqnn " + path;
}

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description) {
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->parse_complete_callback([cmd] {
    register_inputs(*cmd);
    set_interrupt_program(command_path(*cmd));
  });
  return cmd;
}

CLI::Option* add_stream_resume_flag(CLI::App* cmd, bool& resume) {
  return cmd->add_flag("--resume", resume,
                       "continue the interrupted run into --out from its journal OUT.resume (same flags and inputs; "
                       "gives the uninterrupted run's bytes)");
}

CLI::Option* add_shard_option(CLI::App* cmd, std::string& shard) {
  return cmd->add_option("--shard", shard,
                         "run shard i of N (0 <= i < N): one contiguous block of the input, plus OUT.shard.json; "
                         "seqnn merge joins the shards into the unsharded output")
      ->type_name("TEXT");
}

ShardSpec shard_from_flag(const std::string& shard) { return shard.empty() ? ShardSpec{} : parse_shard(shard); }

ResumeOptions resume_options(const CLI::App& cmd, bool resume) {
  ResumeOptions o;
  o.resume = resume;
  o.settings["seqnn"] = SEQNN_VERSION;
  for (const CLI::Option* opt : cmd.get_options()) {
    const std::string name = opt->get_name();
    if (name == "--resume" || name == "--quiet" || name == "--help") continue;
    std::string value = opt->count() == 0 ? opt->get_default_str() : "";  // a default given or not is one setting
    for (const std::string& r : opt->results()) value += (value.empty() ? "" : ",") + r;
    o.settings[name] = value;
    if (is_output_flag(*opt)) continue;
    for (const std::string& r : opt->results()) {
      struct stat st {};
      if (stat(r.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      o.settings["file " + r] = std::to_string(st.st_size) + " bytes, modified " + std::to_string(st.st_mtim.tv_sec) +
                                "." + std::to_string(st.st_mtim.tv_nsec);
    }
  }
  return o;
}

void register_all_commands(CLI::App& app) {
  register_info(app);
  register_models(app);
  register_predict(app);
  register_simulate(app);
  register_init_model(app);
  register_ism(app);
  register_attribute(app);
  register_score_variants(app);
  register_train(app);
  register_evaluate(app);
  register_train_lm(app);
  register_generate(app);
  register_plot_metrics(app);
  register_plot_logo(app);
  register_seqlets(app);
  register_experiments(app);
  register_deepseq(app);
  register_rna(app);
  register_mhc(app);
  register_merge(app);
}

}  // namespace seqnn::cli
