#pragma once
// The pieces both ISM engines share: the substitutions of a sequence, target selection, the
// output slots and the input checks (private to libseqnn).
#include <ATen/core/Tensor.h>

#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/mutagenesis/ism.h"

namespace seqnn::ism_detail {

struct Edit {
  int64_t position;  // absolute position in the sequence
  int64_t channel;   // the substituted base
  int64_t slot;      // flat index (p - start) * A + channel within one sequence
};

struct Geometry {
  int64_t N, A, L, start, end, Lw;
};

// Substitutions of sequence x (A, L) in [start, end): every channel except the reference base.
std::vector<Edit> substitutions(const at::Tensor& x, int64_t start, int64_t end);
// Batch of n mutants of x (A, L) int8: rows [0, n) take edits[first + r]; rows [n, rows) repeat
// the last edit (padding keeps the batch shape, so MC dropout masks stay aligned row by row).
at::Tensor build_mutants(const at::Tensor& x, const std::vector<Edit>& edits, size_t first, int64_t n, int64_t rows);
ModelOutput select_targets(const ModelOutput& out, const std::vector<int64_t>& targets);
// Row i of every argument, repeated for `rows` mutants of sequence i.
std::vector<at::Tensor> args_for(const std::vector<at::Tensor>& args, int64_t i, int64_t rows);
// Flat slot rows (i * Lw * A + slot) of edits [first, first + n) of sequence i.
at::Tensor slot_rows(const std::vector<Edit>& edits, size_t first, int64_t n, int64_t i, int64_t slots_per_sequence);
Geometry check_inputs(const at::Tensor& X, const std::vector<at::Tensor>& args, const IsmOptions& opts);
// (N * Lw * A, rest...) -> (N, Lw, A, rest...)
at::Tensor unflatten_slots(const at::Tensor& t, const Geometry& g);
int64_t count_edits(const at::Tensor& X, const Geometry& g);
// Every slot of every output starts as its sequence's reference prediction: (N * Lw * A, -1).
std::vector<at::Tensor> reference_slots(const ModelOutput& reference, const Geometry& g);
// Slots back to (N, Lw, A, outputs...).
std::vector<at::Tensor> shape_slots(const std::vector<at::Tensor>& slots, const ModelOutput& reference, const Geometry& g);

// Slots of sequence i that no edit fills (the reference base): flat rows i * Lw * A + slot.
std::vector<int64_t> identity_rows(const std::vector<Edit>& edits, int64_t i, const Geometry& g);
// Identity slots: the reference against itself (difference exactly 0).
void add_identity_slots(std::vector<PairedMoments>& moments, int64_t k, const ModelOutput& ref,
                        const std::vector<int64_t>& identity);

}  // namespace seqnn::ism_detail
