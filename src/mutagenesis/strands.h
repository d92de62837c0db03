#pragma once
// The reverse strand of one-hot windows and the combination of both strands' predictions, as
// variant scoring does them on every path (private to libseqnn; defined in variant_effect.cpp).
#include <ATen/core/Tensor.h>

#include "seqnn/mutagenesis/variant_effect.h"

namespace seqnn::strands {

// (N, A, L) flipped along the alphabet and the length: the reverse complement for ACGT/ACGU
// order, so position p of a window is L - 1 - p of its reverse and channel c becomes A - 1 - c.
at::Tensor reverse_strand(const at::Tensor& x);
// Element by element: the mean of the strands (kMean) or the larger (kMax).
ModelOutput combine_strands(const ModelOutput& fwd, const ModelOutput& rev, StrandCombine rc);

}  // namespace seqnn::strands
