// seqnn marginalize | ablate | space | design: tangermeme's designed experiments on FASTA
// backgrounds (docs/attribution.md), one TSV each.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/attribution/experiments_run.h"

namespace seqnn::cli {
namespace {

struct ExperimentArgs {
  CommonOptions common;
  ExperimentRequest request;
  std::vector<std::string> motifs;
  bool consensus = false;
  int64_t start = -1;
};

// The flags every experiment shares: model, backgrounds, targets, batching, output.
void add_experiment_options(CLI::App* cmd, ExperimentArgs& a, const std::string& out_help) {
  add_model_option(cmd, a.request.model);
  add_fasta_option(cmd, a.request.fasta, "background sequences (all of one length)")->required();
  cmd->add_option("--backgrounds", a.request.backgrounds,
                  "given (the FASTA's sequences) or shuffle:K (K dinucleotide shuffles of each, seeded)")
      ->capture_default_str();
  add_target_option(cmd, a.request.targets);
  add_batch_size_option(cmd, a.request.predict.batch_size, "sequences per forward pass");
  add_chunk_option(cmd, a.request.chunk, "sequences read at a time (bounds memory)");
  add_out_option(cmd, a.request.out, out_help);
  add_common_options(cmd, a.common);
}

void add_motif_options(CLI::App* cmd, ExperimentArgs& a, const std::string& help) {
  cmd->add_option("--motif", a.motifs, help + ": a consensus (N keeps the background's base) or MEME_FILE:ID (letters drawn from its PWM for each background)")
      ->required();
  cmd->add_flag("--consensus", a.consensus, "MEME motifs: insert their consensus instead of drawing letters from the PWM");
}

// Applies the common options to the request; returns the device.
std::string prepare(ExperimentArgs& a) {
  const std::string device = apply_common_options(a.common);
  a.request.predict.device = device;
  a.request.seed = a.common.seed;
  a.request.progress = !a.common.quiet;
  return device;
}

void print_summary(const char* command, const ExperimentSummary& s) {
  std::string diffs;
  char buf[160];
  for (size_t i = 0; i < s.mean_difference.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%s %.4g", i ? ", " : "", s.groups.at(i).c_str(), s.mean_difference[i]);
    diffs += buf;
  }
  std::fprintf(stderr, "seqnn %s: %lld sequences, %lld backgrounds, %lld rows in %.2f s; mean after - before of %s: %s -> %s\n",
               command, static_cast<long long>(s.sequences), static_cast<long long>(s.backgrounds), static_cast<long long>(s.rows),
               s.seconds, s.first_column.c_str(), diffs.c_str(), s.file.c_str());
}

void register_marginalize(CLI::App& app) {
  auto a = std::make_shared<ExperimentArgs>();
  auto* cmd = add_command(app, "marginalize", "insert a motif into background sequences and report the change in prediction");
  add_motif_options(cmd, *a, "motif to insert (repeat for several, each on its own rows)");
  cmd->add_option("--start", a->start, "first position of the motif (0-based; default: centred)")->check(kNonNegative);
  add_experiment_options(cmd, *a, "output .tsv: name, background, motif, start, before/after/diff per column");
  cmd->callback([a] {
    prepare(*a);
    print_summary("marginalize", marginalize_file(a->request, a->motifs, a->consensus, a->start));
  });
}

void register_ablate(CLI::App& app) {
  auto a = std::make_shared<ExperimentArgs>();
  auto shuffles = std::make_shared<int64_t>(10);
  auto end = std::make_shared<int64_t>(-1);
  auto* cmd = add_command(app, "ablate", "dinucleotide-shuffle a region of each sequence and report the change in prediction");
  cmd->add_option("--start", a->start, "first position of the region (0-based)")->check(kNonNegative)->required();
  cmd->add_option("--end", *end, "end of the region (exclusive; default: the sequence length)")->check(kPositive);
  cmd->add_option("--shuffles", *shuffles, "shuffles of the region per sequence (seeded)")->check(kPositive)->capture_default_str();
  add_experiment_options(cmd, *a, "output .tsv: name, background, start, end, before/after_mean/after_sd/diff per column");
  cmd->callback([a, shuffles, end] {
    prepare(*a);
    print_summary("ablate", ablate_file(a->request, a->start, *end, *shuffles));
  });
}

void register_space(CLI::App& app) {
  auto a = std::make_shared<ExperimentArgs>();
  auto spacing = std::make_shared<std::vector<int64_t>>();
  auto* cmd = add_command(app, "space", "insert two or more motifs at a range of spacings and report the change in prediction");
  add_motif_options(cmd, *a, "motifs in order (two or more)");
  cmd->add_option("--spacing", *spacing, "positions between the end of one motif and the start of the next (one run each; 0,2,4 or 0 2 4)")
      ->delimiter(',')
      ->check(kNonNegative)
      ->required();
  cmd->add_option("--start", a->start, "first position of the first motif (0-based; default: each arrangement centred)")
      ->check(kNonNegative);
  add_experiment_options(cmd, *a, "output .tsv: name, background, spacing, before/after/diff per column");
  cmd->callback([a, spacing] {
    prepare(*a);
    print_summary("space", space_file(a->request, a->motifs, a->consensus, *spacing, a->start));
  });
}

void register_design(CLI::App& app) {
  auto a = std::make_shared<ExperimentArgs>();
  auto o = std::make_shared<DesignOptions>();
  auto goal = std::make_shared<std::string>("max");
  auto engine = std::make_shared<std::string>("auto");
  auto end = std::make_shared<int64_t>(-1);
  auto* cmd = add_command(app, "design", "greedy or beam search over single-base substitutions towards a target output");
  cmd->add_option("--output", o->output, "the model output scored, by name or index (default: the only one)");
  cmd->add_option("--goal", *goal, "max, min, or value (approach --value)")->check(CLI::IsMember({"max", "min", "value"}))->capture_default_str();
  cmd->add_option("--value", o->value, "the score sought with --goal value");
  cmd->add_option("--iterations", o->iterations, "substitutions at most")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--beam", o->beam, "sequences kept per iteration (1 = greedy)")->check(kPositive)->capture_default_str();
  cmd->add_option("--start", a->start, "first position that may change (0-based; default 0)")->check(kNonNegative);
  cmd->add_option("--end", *end, "end of the positions that may change (exclusive; default: the sequence length)")->check(kPositive);
  add_ism_engine_option(cmd, *engine);
  add_experiment_options(cmd, *a, "output .tsv: name, background, initial, final, edits, changes, scores, designed");
  cmd->callback([a, o, goal, engine, end] {
    const std::string device = prepare(*a);
    o->goal = parse_enum(*goal, design_goal_names(), "--goal");
    o->ism.engine = parse_enum(*engine, ism_engine_names(), "--ism-engine");
    o->ism.start = a->start < 0 ? 0 : a->start;
    o->ism.end = *end;
    const DesignSummary s = design_file(a->request, *o);
    std::fprintf(stderr,
                 "seqnn design: %lld sequences, %lld mutants scored on %s in %.2f s; mean score (%s) %.4g -> %.4g with %.1f "
                 "substitutions -> %s\n",
                 static_cast<long long>(s.sequences), static_cast<long long>(s.evaluated), device.c_str(), s.seconds,
                 s.output_name.c_str(), s.mean_initial, s.mean_final, s.mean_edits, s.file.c_str());
  });
}

}  // namespace

void register_experiments(CLI::App& app) {
  register_marginalize(app);
  register_ablate(app);
  register_space(app);
  register_design(app);
}

}  // namespace seqnn::cli
