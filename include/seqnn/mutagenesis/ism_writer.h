#pragma once
// The arrays an ISM run writes and the .npy set that holds them.
//
// Arrays of one chunk, by mode (single-output models drop the "<output>." prefix):
//   raw          <output>.mutants (N, L_w, A, ...) and <output>.reference (N, ...)
//   diff         <output> (N, L_w, A, ...): mutant - reference; a single such array is "ism"
//   attribution  <output> (N, A, L_w): mean-centred attribution; a single such array is "ism"
//   MC dropout   <output>.<statistic> for ref_mean ref_sd alt_mean alt_sd diff_mean diff_sd corr
//                p_diff_gt0 (the mode does not apply)
// Files: OUT.npy when there is a single array, else OUT.<name>.npy; row identities in
// OUT.rows.tsv. Written under ".partial" names and renamed on close().
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/mutagenesis/ism.h"
#include "seqnn/sequence/row_labels.h"

namespace seqnn {

class AtomicFile;
class NpyWriter;

enum class IsmMode { kRaw, kDiff, kAttribution };
IsmMode parse_ism_mode(const std::string& name);  // "raw", "diff" or "attribution"
const std::vector<std::string>& ism_mode_names();

using NamedArrays = std::vector<std::pair<std::string, at::Tensor>>;
NamedArrays ism_arrays(const IsmResult& result, IsmMode mode);

class IsmWriter {
 public:
  // out must end in .npy.
  explicit IsmWriter(const std::string& out);
  ~IsmWriter();
  // Appends one chunk: the same array names every time, rows in input order.
  void write(const NamedArrays& arrays, const RowLabels& labels);
  // Renames everything into place; returns the files written.
  std::vector<std::string> close();

 private:
  std::string stem_;
  std::unique_ptr<AtomicFile> rows_;
  std::vector<std::unique_ptr<NpyWriter>> streams_;
};

}  // namespace seqnn
