#pragma once
// Thermodynamic input channels of the S1 model (issue 19): beside the 8 sequence channels of
// pair_input (targets.h), the folding engine's (rna/fold) base-pair probability p(i, j) and its
// MFE pairing (1 where i pairs with j in the MFE structure), both symmetric L x L maps. A network
// trained on known structures then corrects the energy model instead of learning pairing from the
// sequence alone, which is what lets it hold up on RNA families it has not seen (MXfold2's idea;
// docs/rna.md). The engine runs with RNAfold's defaults (Turner 2004, -d2, 37 C).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/rna/fold/partition.h"

namespace seqnn::rna {

// What the S1 model sees: the sequence channels only, or those and the two thermodynamic ones.
enum class S1Inputs { kSequence, kThermo };

const char* s1_inputs_name(S1Inputs inputs);  // "sequence" | "thermo"
// Throws seqnn::Error naming `where` for anything else.
S1Inputs parse_s1_inputs(const std::string& text, const std::string& where = "--inputs");
int64_t s1_input_channels(S1Inputs inputs);  // 8 | 10

// Pair probabilities below this are left out (they are 0 in the channel): the 1e-5 the engine
// lists would make the list of a 500-nt sequence ten times longer for no visible change.
constexpr double kThermoPairThreshold = 1e-4;

// One sequence's engine output, kept compact (a sparse list, not the L x L maps) so a training
// set's features are computed once and held in memory.
struct ThermoFeatures {
  int64_t length = 0;
  std::vector<fold::PairProbability> pairs;  // p >= kThermoPairThreshold, 0-based, i < j
  std::vector<std::pair<int, int>> mfe_pairs;
};

ThermoFeatures thermo_features(const std::string& sequence);
// Many sequences in parallel (LibTorch's intra-op threads, i.e. --threads), results in input
// order; `progress` (optional) is told how many are done, from one thread at a time.
std::vector<ThermoFeatures> thermo_features(const std::vector<std::string>& sequences,
                                            const std::function<void(int64_t done)>& progress = {});

// (2, P, P) float: channel 0 p(i, j), channel 1 the MFE pairing; zero past the sequence, P =
// max(pad_to, length).
at::Tensor thermo_channels(const ThermoFeatures& features, int64_t pad_to = 0);

// The model's whole input for a batch, (N, s1_input_channels(inputs), P, P), P = pad_to or the
// longest sequence. For kThermo, `thermo` holds one entry per sequence (computed here when empty).
at::Tensor s1_input_batch(const std::vector<std::string>& sequences, S1Inputs inputs,
                          const std::vector<const ThermoFeatures*>& thermo = {}, int64_t pad_to = 0);

}  // namespace seqnn::rna
