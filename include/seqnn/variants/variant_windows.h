#pragma once
// Reference and alternative sequence windows of a model's length around a variant.
//
// Rule (docs/variants.md): let p = POS - 1 (0-based start of REF) and s = p - floor(L / 2).
//   ref window = genome[s, s + L);
//   alt window = genome[s, p) + ALT + genome[p + len(REF), ...), cut or extended from the
//                reference to exactly L bases.
// Both windows start at s, so for SNVs the variant sits at index floor(L / 2) of both; for indels
// the left flank is shared and the right flank is rebuilt from the reference so both windows
// have the model's length. Positions outside the chromosome are 'N' and counted in `padded`.
#include <cstdint>
#include <string>

#include "seqnn/variants/vcf.h"

namespace seqnn {

class IndexedFasta;

struct VariantWindows {
  std::string ref_seq;           // L bases
  std::string alt_seq;           // L bases
  int64_t start = 0;             // s, 0-based (may be negative near the chromosome start)
  int64_t padded = 0;            // N-padded positions in the ref window (max of both windows)
  std::string chrom;             // the genome's name for the chromosome ("20" for "chr20")
  std::string genome_ref;        // genome[p, p + len(REF)) uppercased, for REF checking
  bool ref_matches = false;      // genome_ref == REF (case-insensitive)
};

// Throws seqnn::Error when the chromosome is not in the genome (names reconciled: "20"/"chr20").
VariantWindows make_variant_windows(const IndexedFasta& genome, const Variant& variant, int64_t length);

}  // namespace seqnn
