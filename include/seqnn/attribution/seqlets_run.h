#pragma once
// `seqnn seqlets`: an attribution file (N, A, L) -> seqlets (recursive_seqlets) -> patterns
// (seqlet_patterns) -> their best TOMTOM matches in a MEME motif file, as files:
//
//   OUT                 one row per seqlet, ranked by p-value: example_idx, name, start, end,
//                       attribution, p-value, sequence, pattern (tangermeme's columns, 0-based
//                       half-open coordinates, then the FASTA name and the pattern it joined)
//   OUT.patterns.tsv    one row per pattern (with --fasta): its seqlets, seed, consensus and,
//                       with motifs, the best match's id, name, offset, strand, p, E and q
//   OUT.patterns.meme   the patterns' letter-probability matrices in MEME format
//   --logos FILE.svg    (optional) each pattern's logo beside its best match's, one row each
//
// The files are renamed into place together at the end (OutputGroup), or none of them.
// (OUT's .tsv extension is replaced: seqlets.tsv -> seqlets.patterns.tsv.)
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/attribution/seqlet_patterns.h"
#include "seqnn/attribution/seqlets.h"
#include "seqnn/attribution/tomtom.h"

namespace seqnn {

struct SeqletRequest {
  std::string attributions;  // .npy (N, A, L) from `seqnn attribute` / `seqnn ism --mode attribution`
  std::string fasta;         // the sequences of the map (same order): letters, names and patterns
  std::string alphabet;      // dna or rna; empty: rna when the FASTA holds U, else dna
  std::string motifs;        // MEME file to annotate the patterns with (needs fasta)
  std::string out;           // seqlets .tsv
  std::string logos;         // optional .svg report of the patterns' logos (needs fasta)
  SeqletOptions seqlets;
  int64_t pattern_context = 10;  // positions of each seqlet's sequence on each side that patterns align
  PatternOptions patterns;   // both_strands is set from the alphabet (DNA: both)
  TomtomOptions tomtom;      // both_strands likewise (and only when the motif file has both)
};

struct PatternSummary {
  std::string consensus;
  int64_t seqlets = 0;
  std::string motif_id, motif_name;  // best match (empty without motifs)
  double p_value = 1, q_value = 1;
  bool reverse = false;
  int64_t offset = 0;
};

struct SeqletRunResult {
  int64_t examples = 0, positions = 0;
  int64_t seqlets = 0;
  std::vector<PatternSummary> patterns;
  std::vector<std::string> files;
  std::string note;  // e.g. RNA seqlets compared with DNA motifs (U read as T)
};

// Projection: with a FASTA each position's value is the map at its observed letter (the map
// times the one-hot, tangermeme's "projected" attributions; N counts 0); without one, the sum
// over the alphabet.
SeqletRunResult call_seqlets_file(const SeqletRequest& request);

// The stem that derived files hang off: "a/seqlets.tsv" -> "a/seqlets".
std::string seqlet_output_stem(const std::string& out);

}  // namespace seqnn
