#include "seqnn/training/epoch_loop.h"

#include "seqnn/training/train_dir.h"

namespace seqnn {
namespace {

// An EpochTask as the loop's RoundTask: rounds of one epoch, checkpoints in two files.
class EpochRounds : public RoundTask {
 public:
  EpochRounds(EpochTask& task, std::string dir) : task_(task), state_path_(std::move(dir) + "/train_state.pt") {}

  std::vector<MetricsRow> run_round(int64_t first, int64_t /*last*/) override { return task_.run_epoch(first); }
  void end_round(int64_t last, TrainState& state) override { task_.end_epoch(last, state); }
  void save_checkpoint(const std::string& path, const TrainState& state) override {
    task_.save_model(path);
    save_train_state(state_path_, state, task_.optimizer());
  }
  TrainState restore(const std::string& dir) override {
    const TrainState state = load_train_state(state_path_, task_.optimizer());
    task_.load_model(training_checkpoint_path(dir, state.done));
    task_.resumed(state.done);
    return state;
  }
  void save_model(const std::string& path) override { task_.save_model(path); }
  void load_model(const std::string& path) override { task_.load_model(path); }
  std::vector<at::Tensor> model_tensors() override { return task_.model_tensors(); }

 private:
  EpochTask& task_;
  const std::string state_path_;
};

}  // namespace

TrainLoopResult run_epoch_loop(EpochTask& task, TrainLoopOptions options) {
  options.round_size = 1;
  EpochRounds rounds(task, options.out_dir);
  return run_train_loop(rounds, options);
}

}  // namespace seqnn
