#include "seqnn/rna/structure_formats.h"

#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn::rna {
StructureFormat parse_structure_format(const std::string& text, const std::string& where) {
  if (text == "tsv") return StructureFormat::kTsv;
  if (text == "dotbracket") return StructureFormat::kDotBracket;
  if (text == "bpseq") return StructureFormat::kBpseq;
  if (text == "ct") return StructureFormat::kCt;
  fail(where, "unknown structure format '" + text + "' (expected tsv, dotbracket, bpseq or ct)");
}

StructureFormat structure_format_for_path(const std::string& path) {
  if (ends_with(path, ".tsv")) return StructureFormat::kTsv;
  if (ends_with(path, ".bpseq")) return StructureFormat::kBpseq;
  if (ends_with(path, ".ct")) return StructureFormat::kCt;
  return StructureFormat::kDotBracket;
}

std::string format_structure(const std::string& id, const std::string& sequence, const Structure& structure, StructureFormat format) {
  const int64_t n = static_cast<int64_t>(sequence.size());
  if (structure.length() != n) throw Error(id + ": structure length " + std::to_string(structure.length()) + " != sequence length " + std::to_string(n));
  std::string out;
  switch (format) {
    case StructureFormat::kDotBracket:
      return ">" + id + "\n" + sequence + "\n" + structure.to_dot_bracket() + "\n";
    case StructureFormat::kBpseq:
      out = "# " + id + "\n";
      for (int64_t i = 0; i < n; ++i) {
        out += std::to_string(i + 1) + " " + sequence[static_cast<size_t>(i)] + " " + std::to_string(structure.partner(i) + 1) + "\n";
      }
      return out;
    case StructureFormat::kCt:
      out = std::to_string(n) + "\t" + id + "\n";
      for (int64_t i = 0; i < n; ++i) {
        out += std::to_string(i + 1) + "\t" + sequence[static_cast<size_t>(i)] + "\t" + std::to_string(i) + "\t" +
               std::to_string(i + 1 < n ? i + 2 : 0) + "\t" + std::to_string(structure.partner(i) + 1) + "\t" + std::to_string(i + 1) + "\n";
      }
      return out;
    case StructureFormat::kTsv:
      break;
  }
  throw Error("format_structure: the tsv format is a table (write_predictions)");
}

}  // namespace seqnn::rna
