// ism_stream and the ISM .npy set: seqnn ism as a library call. Streamed, chunked output must
// equal ism() over all sequences at once.
#include "seqnn/mutagenesis/ism_stream.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::TempDir;

namespace {

std::string write_fasta(const TempDir& dir, const std::vector<std::string>& seqs) {
  std::string text;
  for (size_t i = 0; i < seqs.size(); ++i) text += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  seqnn::test::write_text(dir.file("x.fa"), text);
  return dir.file("x.fa");
}

IsmStreamOptions stream_options(const std::string& out, IsmMode mode) {
  IsmStreamOptions o;
  o.ism.start = 90;
  o.ism.end = 110;
  o.ism.predict.batch_size = 7;
  o.mode = mode;
  o.chunk = 2;
  o.out = out;
  o.input_name = "x.fa";
  o.show_progress = false;
  return o;
}

}  // namespace

TEST(IsmStream, ChunkedDiffEqualsIsmOnAllSequences) {
  TempDir dir;
  auto seqs = random_sequences(3, 200, Alphabet::dna(), 5);
  Model m = Model::load(fixture("deepsea_small.pt"));
  auto source = fasta_source(write_fasta(dir, seqs));
  IsmStreamOptions o = stream_options(dir.file("d.npy"), IsmMode::kDiff);
  o.targets = {"task2", "7"};  // a name and an index
  IsmStreamResult r = ism_stream(m, *source, o);
  EXPECT_EQ(r.sequences, 3);
  EXPECT_EQ(r.mutants, 3 * 20 * 3);
  EXPECT_EQ(r.passes, 3 * 20 * 3);
  EXPECT_EQ(r.files, (std::vector<std::string>{dir.file("d.npy"), dir.file("d.rows.tsv")}));

  IsmOptions all = o.ism;
  all.targets = {2, 7};
  IsmResult direct = ism(m, one_hot_encode(seqs, Alphabet::dna()), {}, all);
  EXPECT_TENSOR_NEAR(load_npy(dir.file("d.npy")), ism_difference(direct.mutants[0], direct.reference[0]), 1e-6);
  EXPECT_EQ(seqnn::test::read_text(dir.file("d.rows.tsv")), "name\ns0\ns1\ns2\n");
}

TEST(IsmStream, McStatisticsEqualIsmOnAllSequences) {
  TempDir dir;
  auto seqs = random_sequences(3, 200, Alphabet::dna(), 8);
  Model m = Model::load(fixture("deepsea_small.pt"));
  auto source = fasta_source(write_fasta(dir, seqs));
  IsmStreamOptions o = stream_options(dir.file("m.npy"), IsmMode::kDiff);
  o.targets = {"1"};
  o.ism.mc.samples = 3;
  o.ism.mc.seed = 4;
  IsmStreamResult r = ism_stream(m, *source, o);
  EXPECT_EQ(r.passes, 3 * 20 * 3 * 3);  // mutants x samples
  ASSERT_EQ(r.files.size(), paired_statistic_names().size() + 1);
  EXPECT_EQ(r.files[4], dir.file("m.diff_mean.npy"));

  // Masks depend on (seed, sample, stream) and the batch shape only, so chunking the sequences
  // changes nothing.
  IsmOptions all = o.ism;
  all.targets = {1};
  IsmResult direct = ism(m, one_hot_encode(seqs, Alphabet::dna()), {}, all);
  EXPECT_TENSOR_NEAR(load_npy(dir.file("m.diff_mean.npy")), direct.mc[0].diff_mean, 1e-6);
  EXPECT_TENSOR_NEAR(load_npy(dir.file("m.ref_sd.npy")), direct.mc[0].ref_sd, 1e-6);
  EXPECT_TENSOR_NEAR(load_npy(dir.file("m.p_diff_gt0.npy")), direct.mc[0].p_diff_positive, 1e-6);
}

TEST(IsmStream, BadTargetAndMixedLengthsAreErrors) {
  TempDir dir;
  auto seqs = random_sequences(2, 200, Alphabet::dna(), 5);
  Model m = Model::load(fixture("deepsea_small.pt"));
  auto source = fasta_source(write_fasta(dir, seqs));
  IsmStreamOptions o = stream_options(dir.file("d.npy"), IsmMode::kDiff);
  o.targets = {"nosuch"};
  EXPECT_NE(error_of([&] { ism_stream(m, *source, o); }).find("--target: 'nosuch'"), std::string::npos);
  seqs[1] = seqs[1].substr(0, 199);
  auto mixed = fasta_source(write_fasta(dir, seqs));
  o.targets.clear();
  const std::string e = error_of([&] { ism_stream(m, *mixed, o); });
  EXPECT_NE(e.find("(s1): sequence length 199 does not match the model's input length 200 (ism needs one length)"),
            std::string::npos) << e;
  EXPECT_FALSE(seqnn::test::exists(dir.file("d.npy")));
  o.out = dir.file("d.tsv");
  EXPECT_NE(error_of([&] { ism_stream(m, *fasta_source(dir.file("x.fa")), o); }).find("ism writes .npy"), std::string::npos);
}

TEST(IsmArrays, NamesByModeAndOutputs) {
  IsmResult r;
  r.output_names = {"a"};
  r.reference = ModelOutput::single(torch::ones({2, 3}));
  r.mutants = ModelOutput::single(torch::full({2, 4, 4, 3}, 3.0));
  NamedArrays diff = ism_arrays(r, IsmMode::kDiff);
  ASSERT_EQ(diff.size(), 1u);
  EXPECT_EQ(diff[0].first, "ism");
  EXPECT_EQ(diff[0].second.sum().item<double>(), 2.0 * 16 * 3 * 2);
  NamedArrays raw = ism_arrays(r, IsmMode::kRaw);
  ASSERT_EQ(raw.size(), 2u);
  EXPECT_EQ(raw[0].first, "mutants");
  EXPECT_EQ(raw[1].first, "reference");
  NamedArrays attribution = ism_arrays(r, IsmMode::kAttribution);
  EXPECT_EQ(attribution[0].second.sizes(), (std::vector<int64_t>{2, 4, 4}));  // (N, A, L_w)
  r.output_names = {"x", "y"};
  r.reference.names = {"x", "y"};
  r.reference.tensors.push_back(torch::ones({2, 1}));
  r.mutants.names = {"x", "y"};
  r.mutants.tensors.push_back(torch::ones({2, 4, 4, 1}));
  NamedArrays two = ism_arrays(r, IsmMode::kRaw);
  ASSERT_EQ(two.size(), 4u);
  EXPECT_EQ(two[2].first, "y.mutants");
  EXPECT_EQ(parse_ism_mode("attribution"), IsmMode::kAttribution);
  EXPECT_THROW(parse_ism_mode("bogus"), Error);
}

TEST(IsmWriter, OneFileForOneArrayElseOnePerName) {
  TempDir dir;
  RowLabels rows;
  rows.columns = {"name"};
  rows.rows = {{"s0"}, {"s1"}};
  IsmWriter single(dir.file("a.npy"));
  single.write({{"ism", torch::zeros({2, 3})}}, rows);
  single.write({{"ism", torch::ones({2, 3})}}, rows);
  EXPECT_FALSE(seqnn::test::exists(dir.file("a.npy")));
  EXPECT_EQ(single.close(), (std::vector<std::string>{dir.file("a.npy"), dir.file("a.rows.tsv")}));
  EXPECT_EQ(load_npy(dir.file("a.npy")).sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(seqnn::test::read_text(dir.file("a.rows.tsv")), "name\ns0\ns1\ns0\ns1\n");
  IsmWriter several(dir.file("b.npy"));
  several.write({{"mutants", torch::zeros({2, 1})}, {"reference", torch::zeros({2})}}, rows);
  EXPECT_EQ(several.close(), (std::vector<std::string>{dir.file("b.mutants.npy"), dir.file("b.reference.npy"), dir.file("b.rows.tsv")}));
}
