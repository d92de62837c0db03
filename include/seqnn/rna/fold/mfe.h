#pragma once
// Minimum free energy structure (Zuker), RNAfold 2.x defaults: -d2 dangles, lonely pairs
// allowed, hairpins of at least 3 bases, interior loops of at most 30 unpaired bases, 37 C.
// O(n^2 * 30^2) interior loops and O(n^3) multiloops; with FoldOptions::max_span = L,
// O(n L^2) time and O(n L) memory.
#include <string>

#include "seqnn/rna/fold/energy_params.h"
#include "seqnn/rna/fold/fold_options.h"

namespace seqnn::rna::fold {

struct MfeResult {
  std::string structure;  // dot-bracket, one MFE structure
  int energy = 0;         // dcal/mol (0 for the open chain)
  double kcal() const { return energy / 100.0; }
};

MfeResult fold_mfe(const std::string& sequence, const FoldOptions& options = {});
MfeResult fold_mfe(const EncodedSequence& sequence, const FoldOptions& options, const EnergyParams& params = turner2004());

}  // namespace seqnn::rna::fold
