// Metrics against scikit-learn / SciPy values (fixtures from tests/fixtures/training/make_metrics_cases.py).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "seqnn/training/metrics.h"
#include "seqnn/training/metrics_log.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

using nlohmann::json;

json load_cases() { return json::parse(test::read_text(test::fixture("training/metrics_cases.json"))); }

TEST(TrainingMetrics, MatchSklearnFixtures) {
  const json cases = load_cases();
  ASSERT_GE(cases.size(), 8u);
  int checked = 0;
  for (const auto& c : cases) {
    const auto score = c["score"].get<std::vector<double>>();
    const auto label = c["label"].get<std::vector<double>>();
    const auto mask = c["mask"].get<std::vector<double>>();
    const std::string name = c["name"];
    if (c.contains("auroc")) {
      EXPECT_NEAR(auroc(score, label, mask), c["auroc"].get<double>(), 1e-6) << name;
      EXPECT_NEAR(auprc(score, label, mask), c["auprc"].get<double>(), 1e-6) << name;
      EXPECT_NEAR(accuracy(score, label, mask), c["accuracy"].get<double>(), 1e-6) << name;
      checked += 3;
    }
    if (c.contains("pearson")) {
      EXPECT_NEAR(pearson(score, label, mask), c["pearson"].get<double>(), 1e-6) << name;
      EXPECT_NEAR(spearman(score, label, mask), c["spearman"].get<double>(), 1e-6) << name;
      checked += 2;
    }
    EXPECT_NEAR(mean_abs_diff(score, label, mask), c["mad"].get<double>(), 1e-6) << name;
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

TEST(TrainingMetrics, HandWorkedValues) {
  // Scores 0.4 tie between a negative and a positive: pairs (pos, neg) = 3 * 2 = 6, of which
  // 0.35 < 0.4 (loss), 0.35 > 0.1 (win), 0.8 beats both, 0.4 vs 0.4 (half), 0.4 > 0.1.
  EXPECT_NEAR(auroc({0.1, 0.4, 0.35, 0.8, 0.4}, {0, 0, 1, 1, 1}), 4.5 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(accuracy({0.2, 0.7, 0.5}, {0, 1, 0}), 2.0 / 3);
  EXPECT_DOUBLE_EQ(mean_abs_diff({1, 2}, {0, 4}), 1.5);
  EXPECT_EQ(average_ranks({3, 1, 3, 2}), (std::vector<double>{3.5, 1, 3.5, 2}));
  EXPECT_DOUBLE_EQ(multiclass_accuracy({0.1, 0.9, 0.8, 0.2, 0.3, 0.7}, 2, {1, 0, 0}), 2.0 / 3);
}

TEST(TrainingMetrics, DegenerateInputsAreNaNAndBadSizesThrow) {
  EXPECT_TRUE(std::isnan(auroc({0.1, 0.2}, {1, 1})));
  EXPECT_TRUE(std::isnan(auprc({0.1, 0.2}, {0, 0})));
  EXPECT_TRUE(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));
  EXPECT_TRUE(std::isnan(mean_abs_diff({1, 2}, {1, 2}, {0, 0})));
  EXPECT_THROW(auroc({0.1}, {1, 0}), Error);
  EXPECT_THROW(pearson({0.1, 0.2}, {1, 0}, {1}), Error);
}

TEST(TrainingMetricsLog, CsvRoundTripAndBestEpoch) {
  MetricsLog log;
  log.add(1, "train", {{"loss", 0.9}, {"bind.auroc", 0.70}});
  log.add(1, "val", {{"loss", 0.8}, {"bind.auroc", 0.72}, {"bind.mad", 0.3}});
  log.add(2, "train", {{"loss", 0.5}, {"bind.auroc", 0.80}});
  log.add(2, "val", {{"loss", 0.7}, {"bind.auroc", 0.71}, {"bind.mad", 0.1}});
  log.add(3, "val", {{"loss", 0.75}, {"bind.auroc", 0.90}, {"bind.mad", 0.5}});
  // Sums: ep1 -0.8+0.72-0.3 = -0.38; ep2 -0.7+0.71-0.1 = -0.09; ep3 -0.75+0.9-0.5 = -0.35.
  EXPECT_EQ(log.best_epoch(), 2);
  EXPECT_EQ(log.best_epoch(BestEpochRule::parse("bind.auroc")), 3);
  EXPECT_EQ(log.best_epoch(BestEpochRule::parse("loss")), 2);
  EXPECT_EQ(log.best_epoch(BestEpochRule::parse("bind.mad")), 2);
  EXPECT_TRUE(lower_is_better("loss") && lower_is_better("x.mad") && !lower_is_better("x.spearman"));

  const std::string csv = log.to_csv();
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "loss,bind.auroc,bind.mad,tv,epoch");
  EXPECT_NE(csv.find("0.9,0.7,nan,train,1\n"), std::string::npos) << csv;
  test::TempDir dir;
  log.write(dir.file("metrics.csv"));
  MetricsLog back = MetricsLog::read(dir.file("metrics.csv"));
  ASSERT_EQ(back.rows().size(), 5u);
  EXPECT_EQ(back.to_csv(), csv);
  back.truncate_after(1);
  EXPECT_EQ(back.rows().size(), 2u);
  back.drop_set("val");
  EXPECT_EQ(back.rows().size(), 1u);
}

TEST(TrainingMetricsLog, ReadRejectsBadFilesWithLine) {
  test::TempDir dir;
  test::write_text(dir.file("m.csv"), "loss,tv,epoch\n0.5,train,1\nabc,val,1\n");
  try {
    MetricsLog::read(dir.file("m.csv"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("m.csv:3"), std::string::npos) << e.what();
  }
  test::write_text(dir.file("h.csv"), "loss,epoch\n");
  EXPECT_THROW(MetricsLog::read(dir.file("h.csv")), Error);
}

}  // namespace
}  // namespace seqnn
