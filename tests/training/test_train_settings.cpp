// The training config reader: defaults, the user's values kept as written, typed settings and
// the unknown-key check, with messages "file: key: problem".
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "seqnn/training/train_job.h"
#include "seqnn/training/train_request.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

TEST(TrainingSettings, DefaultsOverlaidWithTheUsersValues) {
  const auto c = nlohmann::json::parse(effective_train_config(R"({"lr": 1, "epochs": 3, "comment": "x"})", "cfg.json"));
  EXPECT_EQ(c.at("epochs"), 3);
  EXPECT_EQ(c.at("lr").dump(), "1");  // as written
  EXPECT_EQ(c.at("batch_size"), 32);
  EXPECT_TRUE(c.at("auc_threshold").is_null());
  EXPECT_FALSE(c.contains("comment"));
  EXPECT_EQ(nlohmann::json::parse(effective_train_config("", "flags")).at("epochs"), 10);
}

TEST(TrainingSettings, TypedSettingsAndUnknownKeys) {
  auto message = [](const std::string& text) { return test::error_of([&] { effective_train_config(text, "cfg.json"); }); };
  EXPECT_EQ(message(R"({"epochs": 2.5})"), "cfg.json: epochs: expected an integer, got 2.5");
  EXPECT_EQ(message(R"({"lr": "fast"})"), "cfg.json: lr: expected a number, got \"fast\"");
  EXPECT_EQ(message(R"({"bucket": 1})"), "cfg.json: bucket: expected true or false, got 1");
  EXPECT_EQ(message(R"({"num_filters": [8, "x"]})"), "cfg.json: num_filters: expected a list of integers, got [8,\"x\"]");
  EXPECT_EQ(message(R"({"filter": "a=b"})"), "cfg.json: filter: expected a list of strings, got \"a=b\"");
  EXPECT_EQ(message(R"({"auc_threshold": null})"), "no error");
  EXPECT_NE(message(R"({"epochz": 1})").find("cfg.json: unknown key 'epochz' (allowed: fasta, labels,"), std::string::npos);
  EXPECT_EQ(message("[1]"), "cfg.json: must be a JSON object, got [1]");
}

TEST(TrainingSettings, AnEmptyConfigFileIsInvalidNotNoSettings) {
  // `train -c empty.json` trained with the defaults: empty text is how "no config" is passed on.
  test::TempDir dir;
  test::write_text(dir.file("empty.json"), "");
  const std::string msg = test::error_of([&] { layered_train_config(dir.file("empty.json"), "", "{}"); });
  EXPECT_EQ(msg.rfind(dir.file("empty.json") + ": invalid JSON: ", 0), 0u) << msg;
}

}  // namespace
}  // namespace seqnn
