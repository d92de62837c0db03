// Fuzz targets for DeepSequence input: alignments (a2m, a3m, aligned FASTA) and mutation lists.
#include <algorithm>
#include <set>

#include "fuzz/fuzz_target.h"
#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/focus.h"
#include "seqnn/deepsequence/mutation_table.h"
#include "seqnn/deepsequence/mutations.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn::ds {
namespace {

// TEM-1 beta-lactamase from UniProt position 24 (BLAT_ECOLX's focus), with position 30 left out
// of the focus columns so mutants there must be refused.
FocusInfo fuzz_focus() {
  static const std::string kTem1 =
      "HPETLVKVKDAEDQLGARVGYIELDLNSGKILESFRPEERFPMMSTFKVLLCGAVLSRIDAGQEQLGRRIHYSQNDLVEYSPVTEKHLTDGMTVRELCSAAITM"
      "SDNTAANLLLTTIGGPKELTAFLHNMGDHVTRLDRWEPELNEAIPNDERDTTMPVAMATTLRKLLTGELLTLASRQQLIDWMEADKVAGPLLRSALPAGWFIAD"
      "KSGAGERGSRGIIAALGPDGKPSRIVVIYTTGSQATMDERNRQIAEIGASLIKHW";
  FocusInfo f;
  f.name = "BLAT_ECOLX";
  f.start = 24;
  for (size_t i = 0; i < kTem1.size(); ++i) {
    const int64_t position = 24 + static_cast<int64_t>(i);
    if (position == 30) continue;
    f.sequence.push_back(kTem1[i]);
    f.positions.push_back(position);
  }
  return f;
}

void check_mutant(const Mutant& m, const FocusInfo& focus) {
  if (!m.ok()) return;
  fuzz::require(!m.changes.empty(), "mutant '" + m.text + "' accepted without a change");
  std::set<int64_t> columns;
  for (const auto& [column, residue] : m.changes) {
    fuzz::require(column >= 0 && column < static_cast<int64_t>(focus.sequence.size()), "mutant column out of range");
    fuzz::require(aa_code(residue) >= 0 && aa_code(residue) != kGapCode, "mutant residue is not an amino acid");
    fuzz::require(columns.insert(column).second, "mutant '" + m.text + "' changes one column twice");
  }
  const std::string mutated = apply_mutant(m, focus.sequence);
  fuzz::require(mutated.size() == focus.sequence.size(), "apply_mutant changed the sequence length");
}

}  // namespace
}  // namespace seqnn::ds

namespace seqnn::fuzz {

void fuzz_alignment(const uint8_t* data, size_t size) {
  const std::string path = write_input_file("input.a2m", data, size);
  const ds::Alignment aln = ds::read_alignment(path);
  require(aln.length() > 0, "alignment accepted without focus columns");
  require(static_cast<int64_t>(aln.positions.size()) == aln.length(), "one UniProt position per focus column");
  for (size_t k = 1; k < aln.positions.size(); ++k) {
    require(aln.positions[k] > aln.positions[k - 1], "UniProt positions not increasing");
  }
  require(aln.names.size() == aln.sequences.size(), "names and sequences differ in number");
  require(aln.size() + aln.records_dropped == aln.records_read, "kept + dropped records != records read");
  for (const std::string& s : aln.sequences) {
    require(static_cast<int64_t>(s.size()) == aln.length(), "a kept record is not cut to the focus columns");
    for (char c : s) require(ds::aa_code(c) >= 0, std::string("a kept record holds '") + c + "'");
  }
  for (int64_t k = 0; k < aln.length(); ++k) {
    require(aln.column_of(aln.positions[static_cast<size_t>(k)]) == k, "column_of does not invert positions");
  }
  const ds::FocusInfo focus = ds::focus_of(aln, 0);
  require(focus.sequence == aln.focus_sequence, "focus_of changed the focus sequence");
  if (aln.size() * aln.length() <= 1000000) {
    const at::Tensor codes = ds::encode_codes(aln.sequences);
    require(codes.size(0) == aln.size() && codes.size(1) == aln.length(), "encode_codes has the wrong shape");
  }
}

void fuzz_mutations(const uint8_t* data, size_t size) {
  static const ds::FocusInfo focus = ds::fuzz_focus();
  const std::string text = as_text(data, size);
  // Every line (up to 200) as a mutant string, then the whole input as a mutation CSV.
  const std::vector<std::string> lines = split(text, '\n');
  for (size_t n = 0; n < std::min<size_t>(lines.size(), 200); ++n) ds::check_mutant(ds::parse_mutant(lines[n], focus), focus);
  const std::string path = write_input_file("mutants.csv", data, size);
  const ds::MutationTable table = ds::read_mutation_table(path, "mutant", (size % 2) ? "2500" : "");
  require(table.mutants.size() == table.measured.size() && table.mutants.size() == table.lines.size(),
          "mutation table columns differ in length");
  require(!table.mutants.empty(), "a mutation table without mutants accepted");
  for (const std::string& m : table.mutants) ds::check_mutant(ds::parse_mutant(m, focus), focus);
}

}  // namespace seqnn::fuzz
