#pragma once
// Free energy of a given secondary structure (RNAfold's `eval`, -d2), decomposed by loop.
// Positions are 0-based; a structure is dot-bracket ("((...))") or a partner table (-1 = unpaired).
// Errors (seqnn::Error): lengths differ, unbalanced brackets, a pair that is not AU/GC/GU, a hairpin
// of fewer than 3 bases, crossing pairs in a partner table.
#include <string>
#include <vector>

#include "seqnn/rna/fold/energy_params.h"

namespace seqnn::rna::fold {

enum class LoopKind { exterior, hairpin, stack, bulge, interior, multi };
const char* loop_kind_name(LoopKind kind);

struct LoopEnergy {
  LoopKind kind = LoopKind::exterior;
  int i = -1, j = -1;  // closing pair (-1 for the exterior loop)
  int k = -1, l = -1;  // inner pair of a stack / bulge / interior loop
  int energy = 0;      // dcal/mol
};

struct EnergyEvaluation {
  int energy = 0;                // dcal/mol, sum of the loops
  std::vector<LoopEnergy> loops;  // the exterior loop first, then one per pair in 5' order
  double kcal() const { return energy / 100.0; }
};

// Partner table of a dot-bracket string with '(' ')' '.' only.
std::vector<int> partners_from_dot_bracket(const std::string& dot_bracket);
std::string dot_bracket_from_partners(const std::vector<int>& partners);

EnergyEvaluation evaluate_structure(const std::string& sequence, const std::string& dot_bracket,
                                    const EnergyParams& params = turner2004());
EnergyEvaluation evaluate_structure(const EncodedSequence& sequence, const std::vector<int>& partners,
                                    const EnergyParams& params = turner2004());
// The total only (no loop list); the structure must be valid (checked).
int structure_energy(const EncodedSequence& sequence, const std::vector<int>& partners, const EnergyParams& params = turner2004());

}  // namespace seqnn::rna::fold
