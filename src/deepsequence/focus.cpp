#include "seqnn/deepsequence/focus.h"

#include <algorithm>

#include "seqnn/util/error.h"

namespace seqnn::ds {

int64_t FocusInfo::column_of(int64_t position) const {
  auto it = std::lower_bound(positions.begin(), positions.end(), position);
  if (it == positions.end() || *it != position) return -1;
  return it - positions.begin();
}

FocusInfo focus_of(const Alignment& aln, double neff) {
  return FocusInfo{aln.focus_name, aln.focus_start, aln.focus_sequence, aln.positions, neff};
}

void check_same_focus(const FocusInfo& model, const Alignment& aln) {
  if (model.sequence != aln.focus_sequence || model.positions != aln.positions) {
    fail(aln.path, "focus sequence " + aln.focus_name + " does not match the model's (" + model.name + ")");
  }
}

}  // namespace seqnn::ds
