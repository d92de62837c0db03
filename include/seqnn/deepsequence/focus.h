#pragma once
// The focus sequence a DeepSequence model is trained on: what a model file keeps about its
// alignment so that `score` can place mutants by UniProt position, and the check that a model
// and an alignment belong together.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/deepsequence/alignment.h"

namespace seqnn::ds {

struct FocusInfo {
  std::string name;
  int64_t start = 1;
  std::string sequence;            // focus columns
  std::vector<int64_t> positions;  // UniProt position of each focus column
  double neff = 0;
  int64_t column_of(int64_t position) const;  // -1 when not a focus column
};

// The focus information of an alignment, with its Neff (0 when not computed).
FocusInfo focus_of(const Alignment& aln, double neff);
// Throws seqnn::Error naming the alignment when its focus sequence or positions are not the
// model's (a model scored or resumed on another protein's alignment).
void check_same_focus(const FocusInfo& model, const Alignment& aln);

}  // namespace seqnn::ds
