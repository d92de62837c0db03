#pragma once
// What --resume needs beyond the weights: the optimiser's state (moments, step counts, current
// learning rate) and the loop's counters. Stored in one LibTorch archive, written atomically.
#include <cstdint>
#include <limits>
#include <string>

namespace torch::optim {
class Optimizer;
}

namespace seqnn {

struct TrainState {
  int64_t epoch = 0;       // last finished epoch
  int64_t best_epoch = -1;
  double plateau_best = std::numeric_limits<double>::infinity();
  int64_t plateau_bad = 0;
};

void save_train_state(const std::string& path, const TrainState& state, torch::optim::Optimizer& optimizer);
// Restores the optimiser in place; errors name the file.
TrainState load_train_state(const std::string& path, torch::optim::Optimizer& optimizer);

}  // namespace seqnn
