#include "seqnn/training/train_loop.h"

#include <algorithm>

#include "seqnn/training/train_dir.h"

namespace seqnn {
namespace {

std::string metrics_csv_path(const TrainLoopOptions& o) { return o.out_dir + "/metrics.csv"; }

// Where the round after `done` units ends: the next multiple of round_size, or the total.
int64_t round_end(int64_t done, const TrainLoopOptions& o) {
  if (o.round_size <= 0) return o.total;
  return std::min(o.total, (done / o.round_size + 1) * o.round_size);
}

// The task at its newest checkpoint, and the metrics rows up to it.
TrainState resume_round_loop(RoundTask& task, const TrainLoopOptions& o, MetricsLog& log) {
  const TrainState state = task.restore(o.out_dir);
  if (o.metrics_csv) {
    log = MetricsLog::read(metrics_csv_path(o));
    log.truncate_after(state.done);
    log.drop_set("test");  // the interrupted run's final evaluation; a new one follows
  }
  return state;
}

void save_round_checkpoint(RoundTask& task, const TrainLoopOptions& o, const TrainState& state) {
  if (!o.parallel.writes_files()) return;
  task.save_checkpoint(training_checkpoint_path(o.out_dir, state.done), state);
  if (!o.keep_checkpoints) remove_checkpoints_before(o.out_dir, state.done);
}

// A rule that names a column the task does not report would pick no best round, silently: it
// fails on the first round's rows, before any file of the run is written.
void check_rule_column(const TrainLoopOptions& o, const MetricsLog& log) {
  if (!o.best_set.empty() && !log.rows().empty()) o.rule.require_column_in(log.columns());
}

// Trains the round after state.done units and writes its files; returns the best round so far.
int64_t run_one_round(RoundTask& task, const TrainLoopOptions& o, TrainState& state, MetricsLog& log) {
  const int64_t last = round_end(state.done, o);
  for (auto& row : task.run_round(state.done + 1, last)) log.add(std::move(row));
  check_rule_column(o, log);
  const bool writes = o.parallel.writes_files();
  if (o.metrics_csv && writes) log.write(metrics_csv_path(o));
  int64_t best = state.best;
  if (!o.best_set.empty()) {
    best = log.best_epoch(o.rule, o.best_set);
    if (best == last && writes) task.save_model(training_best_model_path(o.out_dir));
  }
  task.end_round(last, state);
  state.done = last;
  state.best = best;
  save_round_checkpoint(task, o, state);
  return best;
}

// model_best.pt at the end: the model itself without a rule, else the best round's weights back
// into the model (rank 0's file, sent to the other ranks).
void finish_best_model(RoundTask& task, const TrainLoopOptions& o, TrainLoopResult& r) {
  const std::string path = training_best_model_path(o.out_dir);
  const bool writes = o.parallel.writes_files();
  if (o.best_set.empty()) {
    if (writes) task.save_model(path);
    r.best = r.done;
  } else if (r.best > 0) {
    if (writes) task.load_model(path);
    o.parallel.broadcast_from_first(task.model_tensors());
  } else {
    return;
  }
  r.best_model = path;
}

}  // namespace

TrainLoopResult run_train_loop(RoundTask& task, const TrainLoopOptions& o) {
  if (o.parallel.writes_files()) prepare_training_dir(o.out_dir, o.resume);
  TrainLoopResult r;
  TrainState state;
  if (o.resume) state = resume_round_loop(task, o, r.log);
  o.parallel.broadcast_from_first(task.model_tensors());
  r.best = state.best;
  while (state.done < o.total && !r.stopped_early) {
    r.best = run_one_round(task, o, state, r.log);
    r.rounds_run += 1;
    r.stopped_early = o.early_stopping > 0 && r.best > 0 && state.done - r.best >= o.early_stopping;
  }
  if (r.rounds_run == 0 && !o.resume) save_round_checkpoint(task, o, state);
  r.done = state.done;
  r.checkpoint = training_checkpoint_path(o.out_dir, state.done);
  finish_best_model(task, o, r);
  return r;
}

}  // namespace seqnn
