// one_hot_encode_chunk: the one encoder of a chunk of sequences for a model, with its length rules.
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;

TEST(ChunkEncoding, OneLengthEqualsTheBatchEncoder) {
  auto seqs = random_sequences(6, 50, Alphabet::dna(), 4);
  seqs[1][3] = 'N';
  at::Tensor x = one_hot_encode_chunk(seqs, Alphabet::dna());
  EXPECT_EQ(x.scalar_type(), at::kChar);
  EXPECT_TENSOR_NEAR(x, one_hot_encode(seqs, Alphabet::dna()), 0.0);
  EXPECT_EQ(x[1].select(1, 3).sum().item<int64_t>(), 0);  // unknown base: zero column
  ChunkEncodeOptions fixed;
  fixed.length = 50;
  EXPECT_TENSOR_NEAR(one_hot_encode_chunk(seqs, Alphabet::dna(), fixed), x, 0.0);
}

TEST(ChunkEncoding, OneLengthNamesTheRecordThatDiffers) {
  std::vector<std::string> seqs = {"ACGT", "ACGT", "ACG"};
  ChunkEncodeOptions o;
  o.hint = "ism needs one length";
  EXPECT_EQ(error_of([&] { one_hot_encode_chunk(seqs, Alphabet::dna(), o, {"a.fa:1 (x)", "a.fa:3 (y)", "a.fa:5 (z)"}); }),
            "a.fa:5 (z): sequence length 3 does not match the first sequence's length 4 (ism needs one length)");
  o.length = 3;
  EXPECT_EQ(error_of([&] { one_hot_encode_chunk(seqs, Alphabet::dna(), o); }),
            "sequence 1: sequence length 4 does not match the model's input length 3 (ism needs one length)");
}

TEST(ChunkEncoding, PadToLongestZeroFillsShorterRows) {
  std::vector<std::string> seqs = {"ACG", "TTTTT", "G"};
  ChunkEncodeOptions o;
  o.lengths = ChunkLengths::kPadToLongest;
  at::Tensor x = one_hot_encode_chunk(seqs, Alphabet::dna(), o);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_TENSOR_NEAR(x[0].narrow(1, 0, 3), one_hot_encode(std::string("ACG"), Alphabet::dna()), 0.0);
  EXPECT_EQ(x[0].narrow(1, 3, 2).abs().sum().item<int64_t>(), 0);
  EXPECT_EQ(x[2].sum().item<int64_t>(), 1);
  EXPECT_TENSOR_NEAR(x[1], one_hot_encode(std::string("TTTTT"), Alphabet::dna()), 0.0);
  o.length = 4;  // the longest the model takes
  EXPECT_EQ(error_of([&] { one_hot_encode_chunk(seqs, Alphabet::dna(), o, {"r1", "r2", "r3"}); }),
            "r2: sequence length 5 exceeds the model's input length 4");
}

TEST(ChunkEncoding, InvalidCharacterNamesTheRecord) {
  const std::string e = error_of([&] { one_hot_encode_chunk({"ACGT", "ACZT"}, Alphabet::dna(), {}, {"f:1 (a)", "f:3 (b)"}); });
  EXPECT_NE(e.find("f:3 (b)"), std::string::npos) << e;
  EXPECT_NE(e.find("invalid character 'Z'"), std::string::npos) << e;
}
