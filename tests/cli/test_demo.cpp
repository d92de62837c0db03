// `make run` (scripts/demo.sh) in its fast mode: every step runs, and on the shared data the
// PUM2 steps show the biology they promise (held-out auROC, the PUM motif in the ISM logo).
#include <filesystem>

#include "test_helpers.h"

namespace seqnn {
namespace {

TEST(Demo, FastModeRunsEveryStepAndShowsThePumMotif) {
  test::TempDir dir;
  const std::string build = std::filesystem::path(SEQNN_CLI_PATH).parent_path().string();
  const auto r = test::run_shell("cd " + std::string(SEQNN_SOURCE_DIR) + " && FAST=1 OUT=" + dir.path() +
                                 " DATA=" + SEQNN_SHARED_DATA_DIR + " bash scripts/demo.sh " + build);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("rbp/pum2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("with_PUM2_site"), std::string::npos) << r.output;
  if (test::shared_data("dna/rbp_clip/pum2.test.positive.fasta").empty()) {
    EXPECT_NE(r.output.find("skipped: "), std::string::npos) << r.output;
    GTEST_SKIP() << "../shared/data not present: the demo's real-data steps were skipped";
  }
  EXPECT_NE(r.output.find("label.auroc=0.9"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("matches the PUM motif UGUA[AUC]AUA"), std::string::npos) << r.output;
  EXPECT_TRUE(test::exists(dir.file("strongest_site_logo.png")));
  EXPECT_NE(r.output.find("P(diff>0)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(F1 "), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seqnn
