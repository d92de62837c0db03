#include "seqnn/training/epoch_loop.h"

#include <algorithm>

#include "seqnn/training/trainer.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {

EpochLoopResult run_epoch_loop(EpochTask& task, const EpochLoopOptions& o) {
  if (o.out_dir.empty()) throw Error("training needs an output directory (--out)");
  ensure_directory(o.out_dir);
  const std::string metrics_path = o.out_dir + "/metrics.csv";
  const std::string best_path = o.out_dir + "/model_best.pt";
  const std::string state_path = o.out_dir + "/train_state.pt";
  EpochLoopResult r;
  TrainState state;
  if (o.resume) {
    // train_state.pt is written last, so its epoch has a complete checkpoint.
    state = load_train_state(state_path, task.optimizer());
    task.load_model(training_checkpoint_path(o.out_dir, state.epoch));
    r.log = MetricsLog::read(metrics_path);
    r.log.truncate_after(state.epoch);
    r.log.drop_set("test");  // the interrupted run's final evaluation; a new one follows
    task.resumed(state.epoch);
  }
  r.best_epoch = state.best_epoch;
  for (int64_t epoch = state.epoch + 1; epoch <= o.epochs; ++epoch) {
    for (auto& row : task.run_epoch(epoch)) r.log.add(std::move(row));
    r.log.write(metrics_path);
    task.save_model(training_checkpoint_path(o.out_dir, epoch));
    const int64_t best = r.log.best_epoch(o.rule, o.best_set);
    if (best == epoch) task.save_model(best_path);
    r.best_epoch = best;
    task.end_epoch(epoch, state);
    state.epoch = epoch;
    state.best_epoch = best;
    save_train_state(state_path, state, task.optimizer());
    r.epochs_run += 1;
    r.last_epoch = epoch;
    if (o.early_stopping > 0 && best > 0 && epoch - best >= o.early_stopping) {
      r.stopped_early = true;
      break;
    }
  }
  r.last_epoch = std::max(r.last_epoch, state.epoch);
  if (r.best_epoch > 0) {
    task.load_model(best_path);
    r.best_model = best_path;
  }
  return r;
}

}  // namespace seqnn
