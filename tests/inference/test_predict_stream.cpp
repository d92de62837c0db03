// predict_stream: seqnn predict as a library call. Chunked, streamed output must equal one
// predict() over all sequences; MC results must not depend on the chunk size.
#include "seqnn/inference/predict_stream.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::TempDir;

namespace {

std::string write_fasta(const TempDir& dir, const std::string& name, const std::vector<std::string>& seqs) {
  std::string text;
  for (size_t i = 0; i < seqs.size(); ++i) text += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  seqnn::test::write_text(dir.file(name), text);
  return dir.file(name);
}

PredictStreamOptions stream_options(const std::string& out, int64_t batch, int64_t chunk) {
  PredictStreamOptions o;
  o.predict.batch_size = batch;
  o.chunk = chunk;
  o.out = out;
  o.input_name = "in.fa";
  o.show_progress = false;
  return o;
}

}  // namespace

TEST(PredictStream, ChunkedOutputEqualsOnePrediction) {
  TempDir dir;
  auto seqs = random_sequences(23, 200, Alphabet::dna(), 9);
  const std::string fa = write_fasta(dir, "in.fa", seqs);
  Model m = Model::load(fixture("deepsea_small.pt"));
  auto source = fasta_source(fa);
  PredictStreamResult r = predict_stream(m, *source, stream_options(dir.file("o.npy"), 5, 7));
  EXPECT_EQ(r.sequences, 23);
  EXPECT_EQ(r.shortest, 200);
  EXPECT_EQ(r.longest, 200);
  EXPECT_EQ(r.files, (std::vector<std::string>{dir.file("o.npy"), dir.file("o.rows.tsv")}));
  at::Tensor expected = predict(m, one_hot_encode(seqs, Alphabet::dna())).tensor();
  EXPECT_TENSOR_NEAR(load_npy(dir.file("o.npy")), expected, 1e-6);
  EXPECT_EQ(seqnn::test::read_text(dir.file("o.rows.tsv")).substr(0, 8), "name\ns0\n");
}

TEST(PredictStream, McResultsDoNotDependOnTheChunk) {
  TempDir dir;
  const std::string fa = write_fasta(dir, "in.fa", random_sequences(5, 200, Alphabet::dna(), 6));
  Model m = Model::load(fixture("deepsea_small.pt"));
  for (int64_t chunk : {2, 3}) {
    auto source = fasta_source(fa);
    PredictStreamOptions o = stream_options(dir.file("c" + std::to_string(chunk) + ".tsv"), 2, chunk);
    o.mc.samples = 4;
    o.mc.seed = 3;
    PredictStreamResult r = predict_stream(m, *source, o);
    EXPECT_EQ(r.files.back(), dir.file("c" + std::to_string(chunk) + ".sd.tsv"));
  }
  EXPECT_EQ(seqnn::test::read_text(dir.file("c2.tsv")), seqnn::test::read_text(dir.file("c3.tsv")));
  EXPECT_EQ(seqnn::test::read_text(dir.file("c2.sd.tsv")), seqnn::test::read_text(dir.file("c3.sd.tsv")));
  EXPECT_NE(seqnn::test::read_text(dir.file("c2.tsv")), seqnn::test::read_text(dir.file("c2.sd.tsv")));
}

TEST(PredictStream, WrongLengthIsNamedAndLeavesNoOutput) {
  TempDir dir;
  auto seqs = random_sequences(3, 200, Alphabet::dna(), 1);
  seqs[2] = seqs[2].substr(0, 150);
  const std::string fa = write_fasta(dir, "short.fa", seqs);
  Model m = Model::load(fixture("deepsea_small.pt"));
  auto source = fasta_source(fa);
  const std::string e = error_of([&] { predict_stream(m, *source, stream_options(dir.file("o.tsv"), 2, 2)); });
  EXPECT_NE(e.find("short.fa:5 (s2): sequence length 150 does not match the model's input length 200"), std::string::npos) << e;
  EXPECT_FALSE(seqnn::test::exists(dir.file("o.tsv")));
  EXPECT_FALSE(seqnn::test::exists(dir.file("o.tsv.partial")));
}

TEST(PredictStream, InputChecksAndNames) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  SequenceInput none;
  EXPECT_NE(error_of([&] { open_sequence_input(none, m.info()); }).find("exactly one input"), std::string::npos);
  SequenceInput bed;
  bed.bed = "x.bed";
  EXPECT_NE(error_of([&] { open_sequence_input(bed, m.info()); }).find("--bed needs --genome"), std::string::npos);
  bed.genome = "g.fa";
  bed.length = 150;
  EXPECT_NE(error_of([&] { open_sequence_input(bed, m.info()); }).find("--length 150 does not match"), std::string::npos);
  EXPECT_EQ(sd_path("out/p.tsv"), "out/p.sd.tsv");
  EXPECT_EQ(sd_path("p"), "p.sd");
  EXPECT_EQ(length_range(200, 200), "200");
  EXPECT_EQ(length_range(8, 15), "8-15");
}
