#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;

namespace {
EncodeOptions opts(at::ScalarType dtype, UnknownRule rule = UnknownRule::kZero, std::string source = "") {
  EncodeOptions o;
  o.dtype = dtype;
  o.unknown = rule;
  o.source = std::move(source);
  return o;
}
}  // namespace

TEST(Alphabet, DnaIsCaseInsensitiveAndNIsUnknown) {
  const Alphabet& dna = Alphabet::dna();
  EXPECT_EQ(dna.size(), 4);
  EXPECT_EQ(dna.index('A'), 0);
  EXPECT_EQ(dna.index('c'), 1);
  EXPECT_EQ(dna.index('g'), 2);
  EXPECT_EQ(dna.index('T'), 3);
  EXPECT_EQ(dna.index('N'), Alphabet::kUnknown);
  EXPECT_EQ(dna.index('r'), Alphabet::kUnknown);
  EXPECT_EQ(dna.index('-'), Alphabet::kUnknown);
  EXPECT_EQ(dna.index('U'), Alphabet::kInvalid);
  EXPECT_EQ(dna.index('1'), Alphabet::kInvalid);
}

TEST(Alphabet, RnaProteinAndGap) {
  EXPECT_EQ(Alphabet::rna().index('u'), 3);
  EXPECT_EQ(Alphabet::rna().index('T'), Alphabet::kInvalid);
  const Alphabet& p = Alphabet::protein();
  EXPECT_EQ(p.size(), 20);
  EXPECT_EQ(p.letters(), "ACDEFGHIKLMNPQRSTVWY");
  EXPECT_EQ(p.index('y'), 19);
  EXPECT_EQ(p.index('X'), Alphabet::kUnknown);
  Alphabet pg = Alphabet::from_name("protein+gap");
  EXPECT_EQ(pg.size(), 21);
  EXPECT_EQ(pg.index('-'), 20);
  EXPECT_EQ(pg.index('.'), 20);
  EXPECT_THROW(Alphabet::from_name("klingon"), Error);
}

TEST(Encoding, OneHotMatchesBruteForce) {
  const std::string seq = "ACGTNacgtRT";
  at::Tensor x = one_hot_encode(seq, Alphabet::dna(), opts(at::kFloat));
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{4, 11}));
  for (size_t i = 0; i < seq.size(); ++i) {
    const char u = static_cast<char>(std::toupper(seq[i]));
    for (int a = 0; a < 4; ++a) {
      float expected = (u == "ACGT"[a]) ? 1.f : 0.f;
      EXPECT_EQ(x[a][static_cast<int64_t>(i)].item<float>(), expected) << "position " << i << " channel " << a;
    }
  }
}

TEST(Encoding, BatchIsInt8ByDefaultAndRoundTrips) {
  std::vector<std::string> seqs = {"ACGTAC", "TTTTGG", "GNNACA"};
  at::Tensor x = one_hot_encode(seqs, Alphabet::dna());
  EXPECT_EQ(x.scalar_type(), at::kChar);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{3, 4, 6}));
  auto back = one_hot_decode_batch(x, Alphabet::dna());
  EXPECT_EQ(back, seqs);
  EXPECT_EQ(x[2].sum().item<int64_t>(), 4);  // two N columns are all zero
}

TEST(Encoding, UnknownRules) {
  at::Tensor u = one_hot_encode("ANA", Alphabet::dna(), opts(at::kFloat, UnknownRule::kUniform));
  EXPECT_FLOAT_EQ(u[0][1].item<float>(), 0.25f);
  EXPECT_FLOAT_EQ(u.sum().item<float>(), 3.0f);
  EXPECT_THROW(one_hot_encode("ANA", Alphabet::dna(), opts(at::kFloat, UnknownRule::kError)), Error);
  EXPECT_THROW(one_hot_encode("ANA", Alphabet::dna(), opts(at::kChar, UnknownRule::kUniform)), Error);
}

TEST(Encoding, InvalidCharacterNamesSourceAndPosition) {
  try {
    one_hot_encode("ACGZT", Alphabet::dna(), opts(at::kChar, UnknownRule::kZero, "x.fa:3 (seq1)"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("x.fa:3 (seq1)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'Z'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("position 4"), std::string::npos) << msg;
  }
}

TEST(Encoding, DifferentLengthsInBatchIsAnError) {
  EXPECT_THROW(one_hot_encode(std::vector<std::string>{"ACG", "AC"}, Alphabet::dna()), Error);
}

TEST(Encoding, ReverseComplementStringAndTensorAgree) {
  const std::string seq = "AACGTTNGca";
  EXPECT_EQ(reverse_complement(seq), "tgCNAACGTT");
  EXPECT_EQ(reverse_complement("ACGU", Alphabet::rna()), "ACGU");
  at::Tensor x = one_hot_encode(seq, Alphabet::dna());
  at::Tensor rc = reverse_complement(x);
  EXPECT_EQ(one_hot_decode(rc, Alphabet::dna()), "TGCNAACGTT");
  // Involution.
  EXPECT_TRUE(torch::equal(reverse_complement(rc), x));
  EXPECT_THROW(reverse_complement(one_hot_encode("ACD", Alphabet::protein())[0].unsqueeze(0), Alphabet::protein()), Error);
}

TEST(Encoding, RandomOneHotIsDeterministicAndOneHot) {
  at::Tensor a = random_one_hot({5, 4, 100}, 7);
  at::Tensor b = random_one_hot({5, 4, 100}, 7);
  at::Tensor c = random_one_hot({5, 4, 100}, 8);
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_FALSE(torch::equal(a, c));
  EXPECT_TRUE(torch::equal(a.sum(1), torch::ones({5, 100}, torch::kChar)));
  // The first sequences do not depend on N.
  EXPECT_TRUE(torch::equal(random_one_hot({2, 4, 100}, 7), a.narrow(0, 0, 2)));
  // Uniform on average.
  at::Tensor big = random_one_hot({1, 4, 40000}, 1, at::kFloat);
  at::Tensor freq = big.sum(2) / 40000.0;
  EXPECT_LT((freq - 0.25).abs().max().item<double>(), 0.02);
  // With probabilities.
  at::Tensor gc = random_one_hot({1, 4, 40000}, 1, at::kFloat, {0.1, 0.4, 0.4, 0.1});
  EXPECT_NEAR((gc[0][1].sum() / 40000.0).item<double>(), 0.4, 0.02);
}

TEST(Encoding, PaddingGivesMaskAndLengths) {
  PaddedBatch b = pad_one_hot({"ACGT", "AC", "GGGGGG"}, Alphabet::dna());
  ASSERT_EQ(b.x.sizes(), (std::vector<int64_t>{3, 4, 6}));
  EXPECT_EQ(b.lengths[1].item<int64_t>(), 2);
  EXPECT_TRUE(b.mask[1][1].item<bool>());
  EXPECT_FALSE(b.mask[1][2].item<bool>());
  EXPECT_EQ(b.x[1].sum().item<int64_t>(), 2);
  EXPECT_EQ(one_hot_decode(b.x[0].narrow(1, 0, 4), Alphabet::dna()), "ACGT");
  EXPECT_THROW(pad_one_hot({"ACGTACGT"}, Alphabet::dna(), 4), Error);
  EXPECT_EQ(pad_one_hot({"A"}, Alphabet::dna(), 10).x.size(2), 10);
}
