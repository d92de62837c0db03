// seqnn rna predict: S1 boxes -> proposals -> exact assembly; structures, box table, pictures.
#include <cstdio>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/predict_run.h"

namespace seqnn::cli {
namespace {

struct RnaPredictArgs {
  CommonOptions common;
  std::string decoder = "boxes";
  rna::RnaPredictRunOptions run;
};

void run_rna_predict(RnaPredictArgs& a) {
  a.run.device = apply_common_options(a.common);
  a.run.progress = !a.common.quiet;
  a.run.predict.decoder = rna::parse_s1_decoder(a.decoder);
  const rna::RnaPredictRunResult r = rna::predict_structure_files(a.run);
  std::fprintf(stderr, "seqnn rna predict: %lld sequences on %s in %.1f s; %lld boxes kept, %lld pairs assembled",
               static_cast<long long>(r.sequences), a.run.device.c_str(), r.seconds, static_cast<long long>(r.boxes),
               static_cast<long long>(r.pairs));
  if (r.scored > 0) std::fprintf(stderr, "; mean base-pair F1 %.4f over %lld with --truth", r.mean_f1, static_cast<long long>(r.scored));
  std::fprintf(stderr, " -> %s, %s%s%s\n", a.run.out.c_str(), r.boxes_path.c_str(), a.run.png_dir.empty() ? "" : ", ",
               a.run.png_dir.c_str());
}

}  // namespace

void register_rna_predict(CLI::App& rna) {
  auto a = std::make_shared<RnaPredictArgs>();
  rna::RnaPredictRunOptions& run = a->run;
  rna::ProposalOptions& p = run.predict.proposals;
  auto* cmd = add_command(rna, "predict", "predict structures with an S1 model (exact stem assembly)");
  add_model_option(cmd, run.model, std::string("S1 model file from `seqnn rna train` (default: the shipped ") + rna::kDefaultRnaModel + ")")
      ->required(false);
  add_fasta_option(cmd, run.fasta, "RNA sequences (FASTA, plain or gzip)")->required();
  add_out_option(cmd, run.out, "structures (.tsv, .ct, .bpseq, else dot-bracket; see --format); the box table goes beside it as <out>.boxes.tsv");
  cmd->add_option("--format", run.format, "structure format: tsv, dotbracket, bpseq or ct (default: from the --out extension)")
      ->check(CLI::IsMember({"tsv", "dotbracket", "bpseq", "ct"}));
  cmd->add_option("--png", run.png_dir, "directory for one pairing-map picture per sequence")->type_name("DIR");
  cmd->add_option("--truth", run.truth, "known structures (table or dot-bracket FASTA, by id): drawn in pictures, F1 in the summary")
      ->type_name("FILE");
  add_batch_size_option(cmd, run.predict.batch_size, "sequences per forward pass");
  cmd->add_option("--decoder", a->decoder,
                  "boxes: exact assembly of the kept stem boxes; pairs: MEA structure over the stem heads' pair posteriors")
      ->check(CLI::IsMember({"boxes", "pairs"}))
      ->capture_default_str();
  cmd->add_option("--gamma", run.predict.gamma, "pairs decoder: weight of a pair against unpaired bases (as RNAfold --MEA)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--min-pixel-prob", p.min_pixel_prob, "pixels with p_on above this propose boxes")->capture_default_str();
  cmd->add_option("--min-norm", p.min_norm, "keep boxes with n_proposal_norm >= this (hairpins: half)")->capture_default_str();
  cmd->add_option("--min-prob", p.min_prob, "keep boxes whose mean p_on >= this")->capture_default_str();
  cmd->add_option("--min-hloop", p.min_hloop, "fewest unpaired bases in a hairpin")->check(kNonNegative)->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_rna_predict(*a); });
}

}  // namespace seqnn::cli
