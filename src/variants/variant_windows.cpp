#include "seqnn/variants/variant_windows.h"

#include <algorithm>
#include <cctype>

#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {


// genome[s, p) + ALT + genome[p + len(REF), ...), built to exactly `length` bases. Only the part
// of the right flank that is kept is fetched, so `padded` counts just the N's in the window.
std::string alt_window(const IndexedFasta& genome, const std::string& chrom, const Variant& variant,
                       int64_t start, int64_t length, int64_t* padded) {
  const int64_t p = variant.pos - 1;
  int64_t left_padded = 0, right_padded = 0;
  std::string seq = genome.fetch(chrom, start, p, 'N', &left_padded);
  const int64_t alt_len = static_cast<int64_t>(variant.alt.size());
  const int64_t alt_kept = std::min(alt_len, length - (p - start));
  seq.append(variant.alt, 0, static_cast<size_t>(alt_kept));
  const int64_t right_start = p + static_cast<int64_t>(variant.ref.size());
  const int64_t right_len = length - static_cast<int64_t>(seq.size());
  seq += genome.fetch(chrom, right_start, right_start + right_len, 'N', &right_padded);
  *padded = left_padded + right_padded;
  return seq;
}

}  // namespace

VariantWindows make_variant_windows(const IndexedFasta& genome, const Variant& variant, int64_t length) {
  if (length < 1) fail(genome.path(), "window length must be positive, got " + std::to_string(length));
  // A symbolic or '*' ALT would be spliced into the sequence as text; callers skip such variants.
  if (!variant.problem.empty()) fail(variant.key(), "cannot build windows: " + variant.problem);
  VariantWindows w;
  w.chrom = genome.resolve(variant.chrom);
  if (w.chrom.empty()) {
    fail(genome.path(), "chromosome '" + variant.chrom + "' of variant " + variant.key() +
                            " is not in the genome");
  }
  const int64_t p = variant.pos - 1;
  w.start = p - length / 2;
  int64_t ref_padded = 0, alt_padded = 0;
  w.ref_seq = genome.fetch(w.chrom, w.start, w.start + length, 'N', &ref_padded);
  w.alt_seq = alt_window(genome, w.chrom, variant, w.start, length, &alt_padded);
  w.padded = std::max(ref_padded, alt_padded);
  w.genome_ref = to_upper(genome.fetch(w.chrom, p, p + static_cast<int64_t>(variant.ref.size())));
  w.ref_matches = w.genome_ref == to_upper(variant.ref);
  return w;
}

}  // namespace seqnn
