#pragma once
// Text formats of predicted structures, one record after another (rna predict --format):
//   tsv        seqnn's table (rna_io.h write_predictions)
//   dotbracket ">id", sequence, dot-bracket: RNAfold's layout without the energy; read_structures reads it
//   bpseq      "# id", then "i base partner" per base (1-based, 0 = unpaired), as in bpRNA / RNA STRAND
//   ct         "length id", then "i base i-1 i+1 partner i" per base (Zuker's connect table, as
//              RNAstructure writes it; i+1 is 0 on the last base)
#include <string>

#include "seqnn/rna/structure.h"

namespace seqnn::rna {

enum class StructureFormat { kTsv, kDotBracket, kBpseq, kCt };

// "tsv" | "dotbracket" | "bpseq" | "ct"; errors name `where`.
StructureFormat parse_structure_format(const std::string& text, const std::string& where = "--format");
// From the output's extension: .bpseq, .ct, .tsv; anything else is dot-bracket.
StructureFormat structure_format_for_path(const std::string& path);
// One record in a text format (not kTsv, which is a table with a header).
std::string format_structure(const std::string& id, const std::string& sequence, const Structure& structure, StructureFormat format);

}  // namespace seqnn::rna
