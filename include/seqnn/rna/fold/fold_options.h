#pragma once
// Settings shared by the folding algorithms (MFE, partition function, sampling).
namespace seqnn::rna::fold {

struct FoldOptions {
  // Longest base pair allowed, as RNAfold --maxBPspan / RNAplfold -L: a pair (i, j) must have
  // j - i + 1 <= max_span. 0 = no limit. With a limit every table is a band of that width, so
  // memory and time grow linearly with the sequence length.
  int max_span = 0;
  // Partition function only: RNAfold's conventions (its default, `pf_smooth`): dangle and
  // exterior/multiloop mismatch energies smoothed near 0, hairpins longer than 30 extrapolated
  // without rounding. Off: every structure weighs exactly exp(-E / RT), E as `eval` gives it.
  bool pf_smooth = true;
};

// Largest j - i allowed for a sequence of n bases.
inline int max_pair_distance(int n, const FoldOptions& o) {
  const int unrestricted = n > 0 ? n - 1 : 0;
  if (o.max_span <= 0) return unrestricted;
  return o.max_span - 1 < unrestricted ? o.max_span - 1 : unrestricted;
}

}  // namespace seqnn::rna::fold
