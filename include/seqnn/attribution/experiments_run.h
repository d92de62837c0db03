#pragma once
// The designed experiments over a FASTA file, a chunk of sequences at a time: `seqnn marginalize`,
// `ablate`, `space` and `design` as library calls (attribution/experiments.h does the work). Each
// writes one TSV under a temporary name and renames it when complete (docs/attribution.md).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/attribution/experiments.h"
#include "seqnn/sequence/alphabet.h"

namespace seqnn {

// A motif given on the command line: a consensus of the alphabet's letters (N or another
// unknown code keeps the background's base) or MEME_FILE:ID, a motif of a MEME file whose letters
// are drawn from its PWM for each background (seeded), or its consensus when `consensus` is set.
struct MotifSpec {
  std::string name;   // the consensus as given, or the motif id
  at::Tensor letters;  // (A, W) one-hot of a consensus; undefined for a PWM that is sampled
  std::vector<std::vector<double>> pwm;  // W columns of A probabilities (MEME motifs)
  int64_t width() const;
  // (A, W), or (n, A, W) for a sampled PWM (backgrounds [first, first + n), seeded).
  at::Tensor for_backgrounds(int64_t n, uint64_t seed, int64_t first) const;
};
// Errors name the spec: letters the alphabet does not have, a MEME file whose alphabet differs
// from the model's, an id the file does not have.
MotifSpec parse_motif_spec(const std::string& spec, const Alphabet& alphabet, bool consensus = false);

struct ExperimentRequest {
  std::string model, fasta, out;
  // "given": the FASTA sequences themselves; "shuffle:K": K dinucleotide shuffles of each
  // (seeded), the usual way to get backgrounds without the sequences' own motifs.
  std::string backgrounds = "given";
  std::vector<std::string> targets;  // output columns reported (names or indices; default all)
  PredictOptions predict;
  uint64_t seed = 0;
  int64_t chunk = 64;  // sequences read at a time
  bool progress = true;
};

struct ExperimentSummary {
  int64_t sequences = 0, backgrounds = 0, rows = 0;
  std::string first_column;            // the first reported column
  // The mean after - before of the first column per group: per motif (marginalize), per
  // spacing (space), one group (ablate); groups names them.
  std::vector<double> mean_difference;
  std::vector<std::string> groups;
  double seconds = 0;
  std::string file;
};

// TSV columns: name, background, motif, start, then before.C, after.C, diff.C per column C.
ExperimentSummary marginalize_file(const ExperimentRequest& request, const std::vector<std::string>& motifs, bool consensus,
                                   int64_t start);
// TSV: name, background, start, end, then before.C, after_mean.C, after_sd.C, diff.C (the mean
// over the K shuffles of the region minus before).
ExperimentSummary ablate_file(const ExperimentRequest& request, int64_t start, int64_t end, int64_t shuffles);
// TSV: name, background, spacing, then before.C, after.C, diff.C, one row per spacing.
ExperimentSummary space_file(const ExperimentRequest& request, const std::vector<std::string>& motifs, bool consensus,
                             const std::vector<int64_t>& spacing, int64_t start);

struct DesignSummary {
  int64_t sequences = 0, evaluated = 0;
  double mean_initial = 0, mean_final = 0, mean_edits = 0, seconds = 0;
  std::string output_name, file;
};
// TSV: name, initial, final, edits (the count), changes ("57:A>G,12:C>T" in the order made, with
// the score after each in `scores`), scores, designed (the sequence). The score is the sum of
// the targets of `options.output` (attribute's scalar).
DesignSummary design_file(const ExperimentRequest& request, DesignOptions options);

}  // namespace seqnn
