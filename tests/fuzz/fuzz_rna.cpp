// Fuzz target for RNA structures: dot-bracket strings (with pseudoknot brackets), 1-based pair
// lists, structure files (tables and dot-bracket FASTA), and the energy of what they describe.
#include "fuzz/fuzz_target.h"
#include "seqnn/rna/fold/eval.h"
#include "seqnn/rna/fold/mfe.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/rna/structure.h"
#include "seqnn/util/error.h"

namespace seqnn::fuzz {
namespace {

void check_structure(const rna::Structure& s, const std::string& what) {
  for (int64_t i = 0; i < s.length(); ++i) {
    const int64_t j = s.partner(i);
    if (j < 0) continue;
    require(j < s.length() && j != i && s.partner(j) == i, what + ": partner table not symmetric");
    require(s.layer(i) == s.layer(j), what + ": the two bases of a pair in different layers");
  }
  const rna::Structure again =
      must_succeed(what + ": its dot-bracket", [&] { return rna::Structure::from_dot_bracket(s.to_dot_bracket(), "written"); });
  require(again.pairs() == s.pairs(), what + ": dot-bracket round trip changed the pairs");
  const rna::Structure listed = must_succeed(what + ": its pair list", [&] {
    return rna::Structure::from_pair_list_text(s.length(), s.to_pair_list_text(), "written");
  });
  require(listed.pairs() == s.pairs(), what + ": pair-list round trip changed the pairs");
}

// The energy of a nested structure on its sequence, where the loops allow one.
void check_energy(const std::string& sequence, const rna::Structure& s) {
  if (s.length() > 400 || !s.pseudoknot_pairs().empty()) return;
  try {
    const rna::fold::EnergyEvaluation e = rna::fold::evaluate_structure(sequence, s.to_dot_bracket());
    require(!e.loops.empty(), "an energy evaluation without an exterior loop");
  } catch (const Error&) {
  }
}

}  // namespace

void fuzz_structure(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const std::string text = as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {  // a structure file
      const std::string path = write_input_file(data[0] & 4 ? "input.csv" : "input.tsv", text);
      for (const rna::RnaRecord& r : rna::read_structures(path)) {
        if (r.structure.length() == 0) continue;
        require(r.structure.length() == static_cast<int64_t>(r.sequence.size()), r.where + ": structure and sequence lengths differ");
        check_structure(r.structure, r.where);
        check_energy(r.sequence, r.structure);
      }
      break;
    }
    case 1: {  // one dot-bracket string, then the same bytes as a pair list on 300 bases
      const size_t cut = text.find('\n');
      try {
        check_structure(rna::Structure::from_dot_bracket(text.substr(0, cut)), "dot-bracket");
      } catch (const Error&) {
      }
      check_structure(rna::Structure::from_pair_list_text(300, cut == std::string::npos ? "" : text.substr(cut + 1)), "pair list");
      break;
    }
    default: {  // a short sequence folded: its MFE structure must evaluate to the MFE
      if (text.size() > 60) return;
      const rna::fold::MfeResult mfe = rna::fold::fold_mfe(text);
      require(mfe.structure.size() == text.size(), "MFE structure length differs from the sequence");
      const int evaluated = must_succeed("the MFE structure's energy",
                                         [&] { return rna::fold::evaluate_structure(text, mfe.structure).energy; });
      require(evaluated == mfe.energy, "the MFE structure evaluates to " + std::to_string(evaluated) + ", not the MFE " +
                                           std::to_string(mfe.energy));
    }
  }
}

}  // namespace seqnn::fuzz
