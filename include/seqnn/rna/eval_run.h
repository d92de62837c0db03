#pragma once
// `seqnn rna eval` as library calls: per-sequence base-pair scores of predicted structures
// against known ones (evaluation.h), their means, box sensitivity, and the per-sequence TSV.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "seqnn/rna/evaluation.h"
#include "seqnn/rna/rna_io.h"

namespace seqnn::rna {

struct StructureScore {
  std::string id;
  int64_t length = 0;
  PairScores scores;
};

struct StructureEvaluation {
  std::vector<StructureScore> rows;  // in the order of the known structures
  int64_t missing = 0;               // known structures without a prediction (skipped)
  double mean_precision = 0.0, mean_recall = 0.0, mean_f1 = 0.0;
  bool has_boxes = false;            // box sensitivity was measured
  BoxSensitivity boxes;
  // id, length, true_pairs, predicted_pairs, correct, precision, recall, f1 (6 decimals).
  std::string to_tsv() const;
};

// Scores every known structure (up to max_length when > 0) that has a prediction of the same id;
// a prediction of another length is an error naming the record. `boxes`, when given, are the
// predicted boxes by id for box sensitivity. `tick` is called once per known structure.
StructureEvaluation score_structures(const std::vector<RnaRecord>& truth, const std::map<std::string, Structure>& predicted,
                                     const std::map<std::string, std::vector<Box>>* boxes = nullptr, int64_t max_length = 0,
                                     const std::function<void()>& tick = {});

struct RnaEvalRunOptions {
  std::string truth;  // table with id, sequence, structure or base_pairs
  std::string pred;   // `seqnn rna predict` table or dot-bracket FASTA (RNAfold output)
  std::string boxes;  // optional box table from `seqnn rna predict`
  std::string out;    // optional per-sequence TSV
  int64_t max_length = 0;
  bool progress = true;
};
// Reads the files, scores, writes `out` when given; no matching id at all is an error.
StructureEvaluation evaluate_structure_files(const RnaEvalRunOptions& options);

}  // namespace seqnn::rna
