#pragma once
// The training loop's counters (train_loop.h), and the file the epoch-based trainers keep them in
// with what --resume needs beyond the weights: the optimiser's state (moments, step counts,
// current learning rate). Stored in one LibTorch archive, written atomically.
#include <cstdint>
#include <limits>
#include <string>

namespace torch::optim {
class Optimizer;
}

namespace seqnn {

struct TrainState {
  int64_t done = 0;   // units (epochs or updates) finished
  int64_t best = -1;  // units done at the best round so far (the best epoch); -1: none yet
  double plateau_best = std::numeric_limits<double>::infinity();
  int64_t plateau_bad = 0;
};

void save_train_state(const std::string& path, const TrainState& state, torch::optim::Optimizer& optimizer);
// Restores the optimiser in place; errors name the file.
TrainState load_train_state(const std::string& path, torch::optim::Optimizer& optimizer);

}  // namespace seqnn
