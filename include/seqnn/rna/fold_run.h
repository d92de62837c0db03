#pragma once
// `seqnn rna fold` as one call: fold every sequence of a FASTA file with the nearest-neighbour
// engine (seqnn/rna/fold/fold.h), in parallel over sequences (results in input order), and write
//   OUT (any name but .tsv): RNAfold's text format, ">id", sequence, "structure ( -x.xx)"; with
//     partition also RNAfold -p's lines: the pair-probability string " [ensemble energy]", the
//     centroid " {energy d=distance}" and " frequency of mfe structure in ensemble P; ensemble
//     diversity D"
//   OUT.tsv: id sequence structure mfe (+ ensemble_energy mfe_probability centroid diversity)
//   with partition: <OUT stem>.pairs.tsv, id i j probability (1-based, p >= 1e-3)
//   with samples: <OUT stem>.samples.tsv, id sample structure energy
//   with mea_gamma > 0 (RNAfold --MEA; implies partition): the maximum expected accuracy structure,
//     a line "structure {energy MEA=value}" in the text format, a mea column in the .tsv
// With evaluate, the input is structures (dot-bracket FASTA or a table with sequence and
// structure columns) and the output is their energies in the same formats. With compare, the
// input holds known structures too (as for evaluate) and each MFE structure is scored against
// its known one: base-pair precision, recall and F1 (rna/evaluation.h) as extra .tsv columns, a
// "known" line in the text format, and the mean F1 in the result (and the MEA structure's F1 too).
#include <cstdint>
#include <string>

#include "seqnn/rna/fold/fold_options.h"

namespace seqnn::rna {

struct RnaFoldRunOptions {
  std::string fasta, out;
  fold::FoldOptions fold;
  bool partition = false;
  int samples = 0;
  double mea_gamma = 0.0;  // > 0: also the MEA structure with this gamma
  uint64_t seed = 0;
  bool evaluate = false;
  bool compare = false;
  int threads = 0;  // 0 = all cores
  bool progress = true;
};

struct RnaFoldRunResult {
  int64_t sequences = 0, nucleotides = 0;
  double seconds = 0.0;       // folding time
  double mean_mfe = 0.0;      // kcal/mol
  double mean_f1 = 0.0;       // with compare: mean base-pair F1 against the known structures
  double mean_mea_f1 = 0.0;   // with compare and mea_gamma: the same for the MEA structures
  std::string pairs_path, samples_path;  // empty unless written
};

RnaFoldRunResult fold_fasta_file(RnaFoldRunOptions options);

// <stem>.<suffix>.tsv for OUT = <stem>.<ext> (or OUT without an extension).
std::string fold_side_path(const std::string& out, const std::string& suffix);
// RNAfold's energy field: " (%6.2f)", e.g. " (-27.80)", " ( -3.40)".
std::string rnafold_energy(double kcal);

}  // namespace seqnn::rna
