#pragma once
// `seqnn rna predict` as one call: read the FASTA, predict every structure with an S1 model,
// write the structure table and the box table beside it, optionally one pairing-map picture per
// sequence, and score base-pair F1 against known structures when they are given.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/rna/predict_structures.h"
#include "seqnn/rna/rna_io.h"

namespace seqnn::rna {

// RNA sequences of a FASTA file (no structures); errors name file:line; an empty file is an error.
std::vector<RnaRecord> read_rna_fasta(const std::string& path);
// OUT.tsv -> OUT.boxes.tsv, OUT.ct -> OUT.boxes.tsv (OUT -> OUT.boxes.tsv without an extension).
std::string boxes_table_path(const std::string& out);
// A record id as a file name: characters other than letters, digits, '-', '_', '.' become '_'.
std::string picture_file_name(const std::string& id);

// The shipped model `rna predict` uses when no --model is given (models/rna/s1.md).
constexpr const char* kDefaultRnaModel = "rna/s1";

struct RnaPredictRunOptions {
  std::string model, fasta, out;  // model: a file or a shipped name; empty = kDefaultRnaModel
  std::string format;             // tsv | dotbracket | bpseq | ct; empty = from out's extension
  std::string png_dir;  // optional: one <id>.png per sequence
  std::string truth;    // optional: known structures by id (table or dot-bracket FASTA)
  std::string device = "cpu";
  PredictStructureOptions predict;  // its progress callback is set by the run
  bool progress = true;
};

struct RnaPredictRunResult {
  int64_t sequences = 0, boxes = 0, pairs = 0;
  int64_t scored = 0;      // predictions with a known structure of the same length
  double mean_f1 = 0.0;    // over `scored` (0 when none)
  double seconds = 0.0;    // prediction time
  std::string boxes_path;
};

RnaPredictRunResult predict_structure_files(const RnaPredictRunOptions& options);

}  // namespace seqnn::rna
