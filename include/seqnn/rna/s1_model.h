#pragma once
// The S1 model: a fully convolutional 2D network over the C x L x L pair input (targets.h: C = 8
// sequence channels; thermo_input.h: 10 with the folding engine's pair probabilities) that
// predicts, per pixel and box type, whether the pixel is in a box, where the box's top-right
// corner is and how big the box is.
//   input (N, C, L, L) -> zero padding once (sum of (width - 1), split over both sides) ->
//   [conv k x k -> batch norm -> ReLU] per --num-filters / --filter-width (no padding, so the map
//   returns to L x L) -> shared [1 x 1 conv -> ReLU] per --hidden -> one 1 x 1 head per type:
//   on (1 logit), location x / y (12 logits each), size (11 logits + 1 scalar; internal loops
//   have x and y, i.e. 11 + 11 + 2).
// One model file holds the JSON config and the weights (LibTorch archive), like native models.
#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "seqnn/rna/boxes.h"
#include "seqnn/rna/targets.h"
#include "seqnn/rna/thermo_input.h"

namespace seqnn::rna {

struct S1Config {
  std::vector<int64_t> filters{32, 32, 64, 64, 64, 128, 128};  // the architecture of the seed notebook's S1 runs
  std::vector<int64_t> widths{9, 9, 9, 9, 9, 9, 9};
  std::vector<int64_t> hidden{50};
  S1Inputs inputs = S1Inputs::kSequence;  // "inputs" in the JSON; absent = sequence (older files)
  int64_t input_channels() const { return s1_input_channels(inputs); }
  void validate(const std::string& where = "S1 config") const;
  int64_t total_padding() const;  // sum of (width - 1)
  std::string to_json() const;
  static S1Config from_json(const std::string& text, const std::string& where = "S1 config");
};

// Raw outputs (logits and scalars) per box type index (0 stem, 1 iloop, 2 hloop). For stems
// and hairpins, size_y / scalar_y alias size_x / scalar_x (square boxes).
struct S1Output {
  std::array<at::Tensor, kNumBoxTypes> on;                 // (N, L, L) logits
  std::array<at::Tensor, kNumBoxTypes> loc_x, loc_y;       // (N, 12, L, L) logits
  std::array<at::Tensor, kNumBoxTypes> size_x, size_y;     // (N, 11, L, L) logits
  std::array<at::Tensor, kNumBoxTypes> scalar_x, scalar_y;  // (N, L, L)
};

class S1Model {
 public:
  S1Model() = default;
  static S1Model create(const S1Config& config, uint64_t seed);
  // Throws seqnn::Error naming the file for anything that is not an S1 model file.
  static S1Model load(const std::string& path);
  void save(const std::string& path) const;  // atomic
  // Copies the weights and batch-norm statistics of a saved model with the same config into this
  // one, in place (an optimiser over parameters() stays valid); errors name the file.
  void load_weights(const std::string& path);

  S1Output forward(const at::Tensor& x);  // x: (N, config().input_channels(), L, L) float
  // The input of a batch of sequences for this model (s1_input_batch with the config's inputs).
  at::Tensor input_batch(const std::vector<std::string>& sequences, const std::vector<const ThermoFeatures*>& thermo = {},
                         int64_t pad_to = 0) const;
  void train(bool on = true);
  void to(const at::Device& device);
  at::Device device() const;
  std::vector<at::Tensor> parameters() const;
  std::vector<at::Tensor> buffers() const;  // batch-norm statistics
  int64_t num_parameters() const;
  const S1Config& config() const;
  bool valid() const { return impl_ != nullptr; }

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Weights of the four kinds of loss term, the same for every box type. All 1 is the notebook's
// plain sum. Early in training the location / size terms (cross-entropies of ~2.5 and an L1 of
// several nt) outweigh the `on` BCE (~0.1) and steer the shared trunk, so the `on` maps rank
// pixels late; a larger `on` weight makes them learn first (docs/rna.md).
struct S1LossWeights {
  double on = 1.0, location = 1.0, sm_size = 1.0, sl_size = 1.0;
  // "on=5,sl_size=0.2" (unnamed kinds keep 1); errors name the option.
  static S1LossWeights parse(const std::string& text, const std::string& option = "--loss-weights");
  std::string to_string() const;
};

// Masked losses, each averaged over its valid pixels (0 when there are none), weighted by kind
// and summed over heads and types: BCE for `on`, NLL of the softmaxes, L1 of the scalar sizes.
// `parts`, when given, receives the unweighted ("stem_on", loss), ("stem_location_x", loss), ...
at::Tensor s1_loss(const S1Output& out, const S1Targets& targets,
                   std::vector<std::pair<std::string, double>>* parts = nullptr, const S1LossWeights& weights = {});

}  // namespace seqnn::rna
