// seqnn plot-logo: one sequence's attribution map (from attribute or ism) as a sequence logo PNG
// or SVG, with its strongest window shaded and printed (record, start, end, letters, sum); or a
// MEME motif's information-content logo.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/attribution/logo.h"

namespace seqnn::cli {

void register_plot_logo(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto r = std::make_shared<LogoRequest>();
  auto* cmd = add_command(app, "plot-logo",
                          "draw an attribution map (reporting its strongest window) or a MEME motif as a sequence logo (.png or .svg)");
  auto* attributions =
      cmd->add_option("--attributions", r->attributions, "attribution .npy (N, A, L) from attribute or ism --mode attribution")
          ->type_name("FILE");
  cmd->add_option("--motif", r->motifs, "or MEME_FILE:ID: that motif's information-content logo (bits); several: one under another (.svg)")
      ->excludes(attributions);
  add_fasta_option(cmd, r->fasta, "the sequences of the map, in the same order: only each observed letter is drawn");
  cmd->add_option("--record", r->record, "which sequence of the file (0-based)")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--alphabet", r->alphabet, "alphabet of the map's rows: dna, rna or protein (default: dna for 4 rows)");
  cmd->add_option("--motif-length", r->motif_length, "length of the strongest window to shade and report (0 = none)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--flank", r->flank, "draw only the strongest window and this many positions each side (-1 = all)")
      ->check(CLI::Range(-1, 1000000))
      ->capture_default_str();
  add_out_option(cmd, r->out, "output .png or .svg (vector letters)");
  add_common_options(cmd, *common);
  cmd->callback([common, r] {
    apply_common_options(*common);
    const LogoResult res = plot_logo_file(*r);
    if (r->motif_length > 0 && r->motifs.empty()) {
      std::printf("%s\t%lld\t%lld\t%s\t%.6g\n", res.id.c_str(), static_cast<long long>(res.start + 1),
                  static_cast<long long>(res.start + r->motif_length), res.motif.empty() ? "." : res.motif.c_str(), res.sum);
    }
    std::fprintf(stderr, "seqnn plot-logo: %s, %lld positions -> %s\n", res.id.c_str(), static_cast<long long>(res.positions),
                 r->out.c_str());
  });
}

}  // namespace seqnn::cli
