#include "seqnn/inference/prediction_writer.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::TempDir;

namespace {

RowLabels labels(std::vector<std::string> names) {
  RowLabels r;
  r.columns = {"name"};
  for (auto& n : names) r.rows.push_back({n});
  return r;
}

}  // namespace

TEST(PredictionWriter, TsvStreamsRowsWithNamedColumns) {
  TempDir dir;
  auto w = make_prediction_writer(dir.file("p.tsv"), {"x", "y"});
  w->write(labels({"s1", "s2"}), ModelOutput::single(torch::tensor({{0.5, 1.0}, {2.0, -3.25}})));
  w->write(labels({"s3"}), ModelOutput::single(torch::tensor({{1e-8, 7.0}})));
  EXPECT_FALSE(seqnn::test::exists(dir.file("p.tsv")));
  w->close();
  EXPECT_EQ(seqnn::test::read_text(dir.file("p.tsv")), "name\tx\ty\ns1\t0.5\t1\ns2\t2\t-3.25\ns3\t1e-08\t7\n");
}

TEST(PredictionWriter, NpyWritesOneArrayPerOutput) {
  TempDir dir;
  ModelOutput out;
  out.kind = ModelOutput::Kind::kDict;
  out.names = {"profile", "counts"};
  out.tensors = {torch::arange(12, torch::kFloat).view({2, 2, 3}), torch::tensor({{1.0f}, {2.0f}})};
  auto w = make_prediction_writer(dir.file("p.npy"));
  w->write(labels({"a", "b"}), out);
  w->write(labels({"a", "b"}), out);
  w->close();
  at::Tensor profile = load_npy(dir.file("p.profile.npy"));
  EXPECT_EQ(profile.sizes(), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_TRUE(torch::equal(load_npy(dir.file("p.counts.npy")), torch::tensor({{1.0f}, {2.0f}, {1.0f}, {2.0f}})));
  EXPECT_EQ(seqnn::test::read_text(dir.file("p.rows.tsv")), "name\na\nb\na\nb\n");
}

TEST(PredictionWriter, UnknownExtensionAndAbandonedOutput) {
  TempDir dir;
  EXPECT_THROW(make_prediction_writer(dir.file("p.csvx")), Error);
  {
    auto w = make_prediction_writer(dir.file("q.tsv"));
    w->write(labels({"s1"}), ModelOutput::single(torch::ones({1, 2})));
  }  // destroyed without close(): nothing left behind
  EXPECT_FALSE(seqnn::test::exists(dir.file("q.tsv")));
  EXPECT_FALSE(seqnn::test::exists(dir.file("q.tsv.partial")));
}
