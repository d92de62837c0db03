// seqnn seqlets: seqlets of attribution maps (tangermeme's recursive seqlets), grouped into
// patterns, each pattern matched against a MEME motif file with TOMTOM's statistics.
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/attribution/seqlets_run.h"

namespace seqnn::cli {

void register_seqlets(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto r = std::make_shared<SeqletRequest>();
  auto distance = std::make_shared<std::string>("pearson");
  auto* cmd = add_command(app, "seqlets", "call seqlets on attribution maps, group them into patterns and match those to motifs");
  cmd->add_option("--attributions", r->attributions, "attribution .npy (N, A, L) from attribute or ism --mode attribution")
      ->type_name("FILE")
      ->required();
  add_fasta_option(cmd, r->fasta, "the sequences of the maps, in the same order: letters, names and patterns");
  cmd->add_option("--alphabet", r->alphabet, "alphabet of the maps' rows: dna or rna (default: rna when the FASTA holds U)");
  cmd->add_option("--motifs", r->motifs, "MEME motif file; each pattern gets its best TOMTOM match")->type_name("FILE");
  cmd->add_option("--seqlet-threshold", r->seqlets.threshold, "p-value that every sub-span of a seqlet must stay below")
      ->check(CLI::Range(1e-300, 1.0))
      ->capture_default_str();
  cmd->add_option("--min-seqlet-len", r->seqlets.min_seqlet_len, "shortest seqlet (and shortest sub-span tested)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--max-seqlet-len", r->seqlets.max_seqlet_len, "longest seqlet")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--seqlet-flank", r->seqlets.additional_flanks, "positions added to each side of a called seqlet")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd->add_option("--pattern-k", r->patterns.k, "length of the k-mer that seeds a pattern (1 mismatch allowed)")
      ->check(CLI::Range(2, 10))
      ->capture_default_str();
  cmd->add_option("--min-pattern-seqlets", r->patterns.min_seqlets, "fewest seqlets of a reported pattern")
      ->check(kPositive)
      ->capture_default_str();
  cmd->add_option("--motif-distance", *distance, "TOMTOM column score: pearson (correlation) or ed (minus Euclidean distance)")
      ->check(CLI::IsMember({"pearson", "ed"}))
      ->capture_default_str();
  cmd->add_option("--logos", r->logos, "an .svg report: each pattern's logo beside its best motif match's")->type_name("PATH");
  add_out_option(cmd, r->out, "output seqlets .tsv (patterns: OUT.patterns.tsv, OUT.patterns.meme)");
  add_common_options(cmd, *common);
  cmd->callback([common, r, distance] {
    apply_common_options(*common);
    r->tomtom.score = parse_enum(*distance, column_score_names(), "--motif-distance");
    const SeqletRunResult res = call_seqlets_file(*r);
    if (!res.note.empty()) std::fprintf(stderr, "seqnn seqlets: note: %s\n", res.note.c_str());
    std::string top;
    if (!res.patterns.empty()) {
      const PatternSummary& p = res.patterns[0];
      char buf[512];
      std::snprintf(buf, sizeof buf, "; top pattern %s (%lld seqlets)", p.consensus.c_str(), static_cast<long long>(p.seqlets));
      top = buf;
      if (!p.motif_id.empty()) {
        std::snprintf(buf, sizeof buf, ", best motif %s%s%s (%s strand, p %.3g, q %.3g)", p.motif_id.c_str(),
                      p.motif_name.empty() ? "" : " ", p.motif_name.c_str(),
                      p.reverse ? "-" : "+", p.p_value, p.q_value);
        top += buf;
      }
    }
    std::string files;
    for (const auto& f : res.files) files += (files.empty() ? "" : ", ") + f;
    std::fprintf(stderr, "seqnn seqlets: %lld maps x %lld positions, %lld seqlets, %zu patterns%s -> %s\n",
                 static_cast<long long>(res.examples), static_cast<long long>(res.positions), static_cast<long long>(res.seqlets),
                 res.patterns.size(), top.c_str(), files.c_str());
  });
}

}  // namespace seqnn::cli
