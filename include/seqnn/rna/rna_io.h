#pragma once
// Reading RNA structure tables and writing predictions.
//   Tables: TSV or CSV with a header row, plain or gzip/bgzip, read by seqnn::TableReader (its
//   rules: seqnn/util/table.h).
//   Columns (by name): `sequence` (required), `structure` (dot-bracket) or `base_pairs`
//   (1-based list, e.g. "[[1, 111], [2, 110]]"), `id` (optional; default "record<N>"). CSV
//   fields may be double-quoted (ArchiveII's base_pairs). Other columns are ignored.
//   Dot-bracket FASTA: ">id", sequence line(s), structure line with an optional trailing
//   " (energy)" - the format RNAfold prints.
// Errors name the file and line: "data.tsv:12: sequence length 64 != structure length 63".
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/rna/proposals.h"
#include "seqnn/rna/structure.h"
#include "seqnn/rna/structure_formats.h"

namespace seqnn::rna {

struct RnaRecord {
  std::string id;
  std::string sequence;  // upper case; T read as U
  Structure structure;   // empty (length 0) when the input has no structure column
  std::string where;     // "file:line" for messages
};

// max_records > 0 stops after that many records.
std::vector<RnaRecord> read_rna_table(const std::string& path, int64_t max_records = 0, bool need_structure = true);
std::vector<RnaRecord> read_dot_bracket_fasta(const std::string& path);
// By content: a file whose first non-empty line starts with '>' is dot-bracket FASTA.
std::vector<RnaRecord> read_structures(const std::string& path);

// Sequence check shared by readers: letters ACGUTN and IUPAC codes; returns it upper-cased, T->U.
std::string normalise_rna(const std::string& sequence, const std::string& where);

struct RnaPrediction {
  std::string id, sequence;
  std::vector<Proposal> boxes;    // kept proposals (all types)
  std::vector<bool> in_structure;  // per box: part of the assembled structure's decomposition
  Structure structure;            // assembled
  double score = 0.0;             // assembly score
};

// OUT.tsv: id, length, sequence, structure, score, pairs, boxes (readable by read_rna_table), or
// the structures in another format (structure_formats.h); the box table goes to boxes_path
// (id, type, i, j, size_x, size_y, n_proposal, n_proposal_norm, prob, in_structure; 0-based).
void write_predictions(const std::string& path, const std::string& boxes_path, const std::vector<RnaPrediction>& preds,
                       StructureFormat format = StructureFormat::kTsv);
// Reads a box table written by write_predictions (for `seqnn rna eval --boxes`).
std::vector<std::pair<std::string, Box>> read_box_table(const std::string& path);

}  // namespace seqnn::rna
