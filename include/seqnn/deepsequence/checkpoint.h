#pragma once
// DeepSequence model files: one LibTorch archive with the configuration, the focus sequence and
// its UniProt positions (so that `score` can place mutants), the parameters and, for resuming,
// the Adam state, the step count and the random generator's state. Written atomically.
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

#include "seqnn/deepsequence/focus.h"
#include "seqnn/deepsequence/vae.h"

namespace seqnn::ds {

class VaeTrainer;

struct Checkpoint {
  std::unique_ptr<Vae> model;
  FocusInfo focus;
  int64_t steps = 0;
  std::vector<at::Tensor> adam;  // empty when the file holds no optimiser state
  at::Tensor rng_state;
};

// trainer: its step count is recorded; with optimizer_state also Adam's moments and the random
// generator (3x the size of the parameters; needed only to resume).
void save_checkpoint(const std::string& path, const Vae& model, const FocusInfo& focus, const VaeTrainer* trainer,
                     bool optimizer_state = true);
// Throws seqnn::Error naming the file when it is not a DeepSequence model.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace seqnn::ds
