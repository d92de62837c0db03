#pragma once
// Designed experiments (tangermeme's marginalize, ablate, space and design): change sequences in
// a controlled way and compare the model's predictions before and after (docs/attribution.md).
//
//   marginalize  write one motif over [start, start + W) of every background sequence
//   ablate       dinucleotide-shuffle [start, end) of every sequence, K times (seeded)
//   space        write several motifs one after another, `spacing` positions between the end of
//                one and the start of the next, once for each spacing
//   design       greedy (beam 1) or beam search over single-base substitutions towards a goal
//
// Call shape: f(model, X, ..., args, options), as tangermeme. X is (N, A, L) one-hot on the CPU
// (int8 allowed); extra arguments follow their sequence (row i goes with X[i]); predictions come
// back on the CPU with predict()'s batching, device and dtype. A motif is (A, W): one-hot for a
// consensus, where an all-zero column (N) keeps the background's base, or (N, A, W), one per
// sequence (letters sampled from a PWM, sample_pwm).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seqnn/inference/predict.h"
#include "seqnn/models/model.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/util/enum_names.h"

namespace seqnn {

// Predictions before and after the change. after: marginalize (N, outputs...); ablate
// (N, K, outputs...), one per shuffle; space (N, S, outputs...), one per spacing.
struct ExperimentOutput {
  ModelOutput before;
  ModelOutput after;
};

// X with the motif written over [start, start + W); start < 0 centres it: (L - W) / 2. Errors:
// a motif of another alphabet size, or one that does not fit inside the sequence.
at::Tensor insert_motif(const at::Tensor& X, const at::Tensor& motif, int64_t start = -1);

// One-hot letters drawn from a PWM (W columns of A probabilities) for sequences
// [first_index, first_index + n): (n, A, W) int8; sequence i draws from a generator seeded by
// (seed, first_index + i), so results do not depend on batching.
at::Tensor sample_pwm(const std::vector<std::vector<double>>& columns, int64_t n, uint64_t seed, int64_t first_index = 0);

struct MarginalizeOptions {
  PredictOptions predict;
  int64_t start = -1;  // first position of the motif; < 0: centred
};
ExperimentOutput marginalize(Model& model, const at::Tensor& X, const at::Tensor& motif,
                             const std::vector<at::Tensor>& args = {}, const MarginalizeOptions& opts = {});

struct AblateOptions {
  PredictOptions predict;
  int64_t start = 0, end = -1;  // the region shuffled; end < 0: the sequence length
  int64_t shuffles = 10;        // K
  uint64_t seed = 0;
  int64_t first_index = 0;      // index of X[0] in the whole input (the shuffles' seeds)
};
// The ablated sequences, (N, K, A, L): the region of each sequence dinucleotide-shuffled
// (sequence/shuffle.h: its 2-mer counts, first and last letter kept), the rest unchanged.
at::Tensor ablated_sequences(const at::Tensor& X, const AblateOptions& opts);
ExperimentOutput ablate(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args = {},
                        const AblateOptions& opts = {});

struct SpaceOptions {
  PredictOptions predict;
  std::vector<int64_t> spacing;  // positions between consecutive motifs (>= 0), one run each
  int64_t start = -1;            // first motif's first position; < 0: each arrangement centred
};
// X with the motifs at one spacing: motif 0 at `start` (centred when < 0: the arrangement of
// total width sum W + (M - 1) * spacing starts at (L - width) / 2), motif k + 1 `spacing`
// positions after the end of motif k. Later motifs are written over earlier ones where they meet.
at::Tensor spaced_motifs(const at::Tensor& X, const std::vector<at::Tensor>& motifs, int64_t spacing, int64_t start = -1);
ExperimentOutput space(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& motifs,
                       const std::vector<at::Tensor>& args = {}, const SpaceOptions& opts = {});

enum class DesignGoal { kMaximize, kMinimize, kValue };
const std::vector<EnumName<DesignGoal>>& design_goal_names();  // "max", "min", "value"

struct DesignOptions {
  // The substitutions searched: ism's window [start, end), batch size, device, engine; its
  // targets pick the output's columns whose sum is the score.
  IsmOptions ism;
  std::string output;  // name or index of the output scored; "" = the only one
  DesignGoal goal = DesignGoal::kMaximize;
  double value = 0;         // kValue: the score sought (the objective is -(score - value)^2)
  int64_t iterations = 10;  // substitutions at most
  int64_t beam = 1;         // sequences kept per iteration (1 = greedy)
  // Called after each input sequence with (sequences done, total).
  std::function<void(int64_t, int64_t)> progress;
};

struct DesignEdit {
  int64_t position = 0;  // 0-based
  int from = -1, to = 0;  // channels; from = -1 at an unknown (all-zero) position
  double score = 0;       // the score once this edit (and those before it) is made
};

struct DesignResult {
  at::Tensor designed;                       // (N, A, L) int8: the best sequence found for each input
  std::vector<std::vector<DesignEdit>> edits;  // per sequence, its best sequence's edits in order
  std::vector<double> initial, final;        // per sequence, the score before and after
  int64_t evaluated = 0;                     // mutants run through the model
  std::string output_name;
};

// Each iteration scores every single-base substitution of every sequence in the beam (one ism()
// call: the incremental engine where the model allows it) and keeps the `beam` best distinct
// sequences by the objective; the search stops after `iterations` or when no substitution
// improves on the best sequence so far. With beam 1 this is greedy substitution.
DesignResult design(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args = {},
                    const DesignOptions& opts = {});

// The scalar score of an output: its tensor's `targets` columns of dim 1 (all when empty),
// summed with every remaining dimension, (N) double. out_index picks the output.
at::Tensor output_score(const ModelOutput& out, size_t out_index, const std::vector<int64_t>& targets);

}  // namespace seqnn
