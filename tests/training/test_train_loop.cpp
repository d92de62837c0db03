// The shared training loop in rounds of several units (as DeepSequence runs it: updates, a
// checkpoint every K, no metrics.csv, the last model the best) and the output directory's rules.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "seqnn/training/train_dir.h"
#include "seqnn/training/train_loop.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

// A task whose "model" is the number of units it has trained; checkpoints and models hold it.
class CountingRounds : public RoundTask {
 public:
  std::vector<MetricsRow> run_round(int64_t first, int64_t last) override {
    EXPECT_EQ(first, units + 1) << "rounds follow each other";
    rounds.emplace_back(first, last);
    units = last;
    return {};
  }
  void save_checkpoint(const std::string& path, const TrainState& state) override {
    EXPECT_EQ(state.done, units);
    test::write_text(path, std::to_string(units));
  }
  TrainState restore(const std::string& dir) override {
    units = std::stoll(test::read_text(training_checkpoint_path(dir, newest_training_checkpoint(dir))));
    TrainState state;
    state.done = units;
    return state;
  }
  void save_model(const std::string& path) override { test::write_text(path, std::to_string(units)); }
  void load_model(const std::string& path) override { units = std::stoll(test::read_text(path)); }
  int64_t units = 0;
  std::vector<std::pair<int64_t, int64_t>> rounds;
};

TrainLoopOptions update_rounds(const std::string& dir, int64_t total, int64_t every) {
  TrainLoopOptions o;
  o.total = total;
  o.round_size = every;
  o.out_dir = dir;
  o.metrics_csv = false;
  o.best_set.clear();
  return o;
}

using Rounds = std::vector<std::pair<int64_t, int64_t>>;

TEST(TrainingRoundLoop, RoundsOfUpdatesEndAtMultiplesOfTheCadenceAndTheLastModelIsTheBest) {
  test::TempDir dir;
  TrainLoopOptions o = update_rounds(dir.path(), 10, 4);
  o.keep_checkpoints = false;
  CountingRounds t;
  const TrainLoopResult r = run_train_loop(t, o);
  EXPECT_EQ(t.rounds, (Rounds{{1, 4}, {5, 8}, {9, 10}}));
  EXPECT_EQ(r.rounds_run, 3);
  EXPECT_EQ(r.done, 10);
  EXPECT_EQ(r.best, 10);
  EXPECT_EQ(r.best_model, dir.file("model_best.pt"));
  EXPECT_EQ(test::read_text(dir.file("model_best.pt")), "10");
  EXPECT_EQ(r.checkpoint, dir.file("checkpoint_10.pt"));
  EXPECT_FALSE(test::exists(dir.file("checkpoint_8.pt"))) << "only the newest is kept";
  EXPECT_FALSE(test::exists(dir.file("metrics.csv")));
  EXPECT_FALSE(test::exists(dir.file("train_state.pt"))) << "the task decides what a checkpoint is";
}

TEST(TrainingRoundLoop, AResumedRunKeepsTheCadenceOfAnUnbrokenOne) {
  test::TempDir dir;
  CountingRounds first;
  run_train_loop(first, update_rounds(dir.path(), 6, 4));
  EXPECT_EQ(first.rounds, (Rounds{{1, 4}, {5, 6}}));
  TrainLoopOptions o = update_rounds(dir.path(), 10, 4);
  o.resume = true;
  CountingRounds rest;
  const TrainLoopResult r = run_train_loop(rest, o);
  EXPECT_EQ(rest.rounds, (Rounds{{7, 8}, {9, 10}}));
  EXPECT_EQ(r.rounds_run, 2);
  for (int n : {4, 6, 8, 10}) EXPECT_TRUE(test::exists(training_checkpoint_path(dir.path(), n))) << n;
  // Resumed at its end, a run trains nothing and keeps its files.
  CountingRounds again;
  EXPECT_EQ(run_train_loop(again, o).rounds_run, 0);
  EXPECT_EQ(again.units, 10);
}

TEST(TrainingRoundLoop, AFreshRunWithNothingToTrainStillLeavesACheckpoint) {
  test::TempDir dir;
  CountingRounds t;
  const TrainLoopResult r = run_train_loop(t, update_rounds(dir.path(), 0, 4));
  EXPECT_TRUE(t.rounds.empty());
  EXPECT_EQ(test::read_text(dir.file("checkpoint_0.pt")), "0");
  EXPECT_EQ(r.best_model, dir.file("model_best.pt"));
}

TEST(TrainingDir, NamesTheNewestCheckpointAndKeepsTheFreshRunRule) {
  test::TempDir dir;
  const std::string run = dir.file("run");
  EXPECT_EQ(newest_training_checkpoint(run), -1) << "no directory yet";
  prepare_training_dir(run, false);
  EXPECT_TRUE(test::exists(run));
  for (const char* name : {"checkpoint_3.pt", "checkpoint_12.pt", "checkpoint_9.pt", "checkpoint_x.pt", "snapshot_40.pt",
                           "checkpoint_50.pt.partial", "model_best.pt"}) {
    test::write_text(run + "/" + name, "");
  }
  EXPECT_EQ(newest_training_checkpoint(run), 12);
  EXPECT_EQ(test::error_of([&] { prepare_training_dir(run, false); }),
            run + "/checkpoint_12.pt: a checkpoint of an earlier run (continue it with --resume, or train into a new --out)");
  EXPECT_EQ(test::error_of([&] { prepare_training_dir(run, true); }), "no error");
  EXPECT_EQ(test::error_of([&] { check_training_dir(dir.file("later"), false); }), "no error");
  EXPECT_FALSE(test::exists(dir.file("later"))) << "the check creates nothing";
  remove_checkpoints_before(run, 12);
  EXPECT_FALSE(test::exists(run + "/checkpoint_9.pt"));
  EXPECT_TRUE(test::exists(run + "/checkpoint_12.pt"));
  EXPECT_TRUE(test::exists(run + "/checkpoint_x.pt")) << "not a checkpoint name";
  EXPECT_EQ(training_checkpoint_path("d", 7), "d/checkpoint_7.pt");
  EXPECT_EQ(training_best_model_path("d"), "d/model_best.pt");
  EXPECT_NE(test::error_of([&] { prepare_training_dir("", false); }).find("needs an output directory"), std::string::npos);
}

TEST(TrainingDir, AFreshRunRefusesAnyFileAnEarlierRunLeft) {
  // Issue 15: a reused --out kept an earlier run's files when that run had no checkpoint left
  // (stopped before its first one, or its checkpoints deleted): model_best.pt for evaluate to
  // pick up, member checkpoints of an ensemble for --resume.
  test::TempDir dir;
  for (const char* name : {"model_best.pt", "train_state.pt", "snapshot_40.pt"}) {
    const std::string run = dir.file(std::string("run_") + name);
    prepare_training_dir(run, false);
    test::write_text(run + "/" + name, "");
    EXPECT_EQ(test::error_of([&] { check_training_dir(run, false); }),
              run + "/" + name + ": a file of an earlier run, which has no checkpoint to resume (train into a new --out, or "
                                 "delete the earlier run's files)");
    EXPECT_EQ(test::error_of([&] { check_training_dir(run, true); }), "no error");
  }
  const std::string ensemble = dir.file("ensemble");
  prepare_training_dir(training_member_dir(ensemble, 2), false);
  test::write_text(training_member_dir(ensemble, 2) + "/checkpoint_7.pt", "");
  EXPECT_EQ(test::error_of([&] { check_training_dir(ensemble, false); }),
            ensemble + "/member2/checkpoint_7.pt: a checkpoint of an earlier run (continue it with --resume, or train into a new --out)");
  // What a run writes first (config.json, metrics.csv) and files of other tools are no obstacle.
  const std::string fresh = dir.file("fresh");
  prepare_training_dir(fresh, false);
  for (const char* name : {"config.json", "metrics.csv", "notes.txt", "snapshot.txt"}) test::write_text(fresh + "/" + name, "");
  prepare_training_dir(fresh + "/membership", false);
  test::write_text(fresh + "/membership/model_best.pt", "");
  EXPECT_EQ(test::error_of([&] { check_training_dir(fresh, false); }), "no error");
}

}  // namespace
}  // namespace seqnn
