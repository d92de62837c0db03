// The dinucleotide shuffle (counts kept exactly, deterministic per seed), reference specs, and
// `seqnn attribute` against the library call.
#include <torch/torch.h>

#include <map>

#include "seqnn/attribution/attribution.h"
#include "seqnn/models/model.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/shuffle.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::fixture;
using seqnn::test::max_abs_diff;
using seqnn::test::run_cli;
using seqnn::test::TempDir;
using seqnn::test::write_text;

namespace {

std::map<std::pair<int, int>, int> attr_dinucleotides(const std::vector<int>& s) {
  std::map<std::pair<int, int>, int> c;
  for (size_t i = 0; i + 1 < s.size(); ++i) ++c[{s[i], s[i + 1]}];
  return c;
}

std::vector<int> attr_letters_of(const at::Tensor& x) {  // (A, L) -> letter per column, A for N
  std::vector<int> s;
  for (int64_t l = 0; l < x.size(1); ++l) {
    at::Tensor col = x.select(1, l);
    s.push_back(col.ne(0).any().item<bool>() ? static_cast<int>(col.argmax().item<int64_t>()) : static_cast<int>(x.size(0)));
  }
  return s;
}

}  // namespace

TEST(AttributionShuffle, DinucleotideCountsEndsAndSeedsAreKept) {
  for (uint64_t seed : {1, 2, 3}) {
    at::Tensor x = random_one_hot({1, 4, 97}, seed)[0].clone();
    x.select(1, 10).zero_();  // N positions are a letter of their own
    x.select(1, 11).zero_();
    x.select(1, 50).zero_();
    const std::vector<int> s = attr_letters_of(x);
    at::Tensor sh = dinucleotide_shuffle(x, 8, seed);
    ASSERT_EQ(sh.sizes(), (std::vector<int64_t>{8, 4, 97}));
    int differ = 0;
    for (int64_t k = 0; k < 8; ++k) {
      const std::vector<int> t = attr_letters_of(sh[k]);
      EXPECT_EQ(attr_dinucleotides(t), attr_dinucleotides(s)) << "shuffle " << k;
      EXPECT_EQ(t.front(), s.front());
      EXPECT_EQ(t.back(), s.back());
      differ += t != s;
      EXPECT_EQ(sh[k].sum(0).le(1).all().item<bool>(), true);
    }
    EXPECT_GE(differ, 7);
    EXPECT_TRUE(dinucleotide_shuffle(x, 8, seed).equal(sh));       // deterministic
    EXPECT_FALSE(dinucleotide_shuffle(x, 8, seed + 10).equal(sh));  // the seed matters
  }
  // Letter sequences: short ones are returned as they are; strings of one letter too.
  EXPECT_EQ(dinucleotide_shuffle_letters({2, 1}, 2, 0), (std::vector<std::vector<int>>{{2, 1}, {2, 1}}));
  EXPECT_EQ(dinucleotide_shuffle_letters({3, 3, 3, 3}, 1, 0), (std::vector<std::vector<int>>{{3, 3, 3, 3}}));
  // Batches: sequence i depends only on (seed, first_index + i).
  at::Tensor X = random_one_hot({5, 4, 40}, 9);
  at::Tensor all = dinucleotide_shuffles(X, 3, 4);
  EXPECT_TRUE(dinucleotide_shuffles(X.narrow(0, 3, 2), 3, 4, 3).equal(all.narrow(0, 3, 2)));
}

TEST(AttributionShuffle, EveryEulerPathOfASmallGraphIsDrawn) {
  // ACAGA: the walks from A through the edges AC, CA, AG, GA are ACAGA and AGACA, both likely.
  std::map<std::vector<int>, int> seen;
  for (const auto& t : dinucleotide_shuffle_letters({0, 1, 0, 2, 0}, 400, 5)) ++seen[t];
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& [t, n] : seen) EXPECT_GT(n, 150);
}

TEST(AttributionReferences, SpecsFilesAndShapes) {
  EXPECT_EQ(parse_references("zeros", 0).kind, References::Kind::kZeros);
  EXPECT_EQ(parse_references("shuffle:7", 0).shuffles, 7);
  EXPECT_NE(error_of([] { parse_references("shuffle:x", 0); }).find("shuffle:K"), std::string::npos);
  TempDir dir;
  write_text(dir.file("refs.fa"), ">a\nACGTACGT\n>b\nTTTTAAAA\n");
  References fa = parse_references(dir.file("refs.fa"), 0);
  at::Tensor X = random_one_hot({3, 4, 8}, 1);
  EXPECT_EQ(references_for(fa, X, 1, 2).sizes(), (std::vector<int64_t>{2, 2, 4, 8}));
  save_npy(dir.file("refs.npy"), torch::rand({3, 5, 4, 8}));
  References npy = parse_references(dir.file("refs.npy"), 0);
  EXPECT_EQ(references_for(npy, X, 1, 2).sizes(), (std::vector<int64_t>{2, 5, 4, 8}));
  EXPECT_NE(error_of([&] { references_for(npy, random_one_hot({3, 4, 9}, 1), 0, 1); }).find("do not fit"), std::string::npos);
}

TEST(AttributionCli, DeepLiftShapEqualsTheLibraryCall) {
  TempDir dir;
  at::Tensor X = random_one_hot({5, 4, 200}, 3);
  std::string fa;
  const auto seqs = one_hot_decode_batch(X, Alphabet::dna());
  for (size_t i = 0; i < seqs.size(); ++i) fa += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  write_text(dir.file("in.fa"), fa);
  auto r = run_cli("attribute --method deeplift-shap -m " + fixture("deepsea_small.pt") + " -f " + dir.file("in.fa") +
                   " --target 1 --references shuffle:3 --seed 4 --chunk 2 --batch-size 5 -q -o " + dir.file("out.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seqnn attribute: 5 sequences"), std::string::npos) << r.output;
  Model m = Model::load(fixture("deepsea_small.pt"));
  AttributionOptions o;
  o.targets = {1};
  o.references.shuffles = 3;
  o.references.seed = 4;
  EXPECT_LE(max_abs_diff(load_npy(dir.file("out.npy")), attribute(m, X, {}, o).attributions), 1e-5);

  auto ism = run_cli("attribute --method ism -m " + fixture("deepsea_small.pt") + " -f " + dir.file("in.fa") + " -q -o " + dir.file("ism.npy"));
  ASSERT_EQ(ism.exit_code, 0) << ism.output;
  EXPECT_EQ(load_npy(dir.file("ism.npy")).sizes(), X.sizes());

  auto bad = run_cli("attribute -m " + fixture("ism/op_zoo.pt") + " -f " + dir.file("in.fa") + " --output 0 -o " + dir.file("bad.npy"));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("seqnn attribute: error: deeplift-shap: no DeepLIFT rule"), std::string::npos) << bad.output;
  EXPECT_FALSE(seqnn::test::exists(dir.file("bad.npy")));
}
