// ISM must equal a brute-force loop that builds each mutant and calls the model.
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::fixture_npy;

namespace {

// (N, Lw, A, outputs...) by brute force: copy, edit, forward one mutant at a time.
at::Tensor brute_force_ism(Model& m, const at::Tensor& X, int64_t start, int64_t end,
                           const std::vector<at::Tensor>& args = {}, size_t output = 0) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> per_seq;
  for (int64_t i = 0; i < X.size(0); ++i) {
    std::vector<at::Tensor> rows;
    for (int64_t p = start; p < end; ++p) {
      for (int64_t a = 0; a < X.size(1); ++a) {
        at::Tensor x = X[i].to(torch::kFloat).clone();
        x.select(1, p).zero_();
        x[a][p] = 1;
        std::vector<at::Tensor> arg_rows;
        for (const auto& t : args) arg_rows.push_back(t.narrow(0, i, 1));
        rows.push_back(m.forward(x.unsqueeze(0), arg_rows)[output][0]);
      }
    }
    at::Tensor s = torch::stack(rows);
    std::vector<int64_t> shape = {end - start, X.size(1)};
    for (int64_t d = 1; d < s.dim(); ++d) shape.push_back(s.size(d));
    per_seq.push_back(s.reshape(shape));
  }
  return torch::stack(per_seq);
}

IsmOptions window(int64_t start, int64_t end, int64_t batch) {
  IsmOptions o;
  o.start = start;
  o.end = end;
  o.predict.batch_size = batch;
  return o;
}

}  // namespace

TEST(Ism, EqualsBruteForceOnDeepSea) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({2, 4, 200}, 21);
  at::Tensor expected = brute_force_ism(m, X, 95, 107);
  for (int64_t b : {7, 64}) {
    IsmResult r = ism(m, X, {}, window(95, 107, b));
    EXPECT_TENSOR_NEAR(r.mutants[0], expected, 1e-6);
    EXPECT_TENSOR_NEAR(r.reference[0], m.forward(X).tensor(), 1e-6);
  }
}

TEST(Ism, IdentitySlotsHoldTheReferenceAndTargetsSelectColumns) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({1, 4, 200}, 5);
  IsmOptions o = window(10, 14, 5);
  o.targets = {3, 7};
  IsmResult r = ism(m, X, {}, o);
  ASSERT_EQ(r.mutants[0].sizes(), (std::vector<int64_t>{1, 4, 4, 2}));
  at::Tensor ref = m.forward(X).tensor().index_select(1, torch::tensor({3, 7}));
  for (int64_t p = 10; p < 14; ++p) {
    int64_t base = X[0].select(1, p).argmax().item<int64_t>();
    EXPECT_TENSOR_NEAR(r.mutants[0][0][p - 10][base], ref[0], 0.0);
  }
  at::Tensor diff = ism_difference(r.mutants[0], r.reference[0]);
  EXPECT_EQ(diff.sizes(), r.mutants[0].sizes());
  at::Tensor attr = ism_attribution(diff);
  ASSERT_EQ(attr.sizes(), (std::vector<int64_t>{1, 4, 4}));
  EXPECT_LT(attr.sum(1).abs().max().item<double>(), 1e-6);  // mean-centred over the alphabet
  // Attribution = summed difference minus its mean over the 4 bases, by hand for one slot.
  at::Tensor d = diff[0][1].sum(1);  // position 11: (A,)
  EXPECT_NEAR(attr[0][2][1].item<double>(), (d[2] - d.mean()).item<double>(), 1e-6);
}

TEST(Ism, MultiInputDictModelAndNPositions) {
  Model m = Model::load(fixture("multi_dict.pt"));
  at::Tensor X = fixture_npy("multi_X").narrow(0, 0, 3).clone();
  X[1].select(1, 4).zero_();  // an N: all four bases are substitutions there
  at::Tensor bias = fixture_npy("multi_dict_bias").narrow(0, 0, 3);
  IsmResult r = ism(m, X, {bias}, window(2, 8, 4));
  EXPECT_EQ(r.mutants.names, (std::vector<std::string>{"logits", "pooled"}));
  EXPECT_TENSOR_NEAR(r.mutants.at("logits"), brute_force_ism(m, X, 2, 8, {bias}, 0), 1e-5);
  EXPECT_TENSOR_NEAR(r.mutants.at("pooled"), brute_force_ism(m, X, 2, 8, {bias}, 1), 1e-5);
}

TEST(Ism, BadWindowsAreErrors) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = random_one_hot({1, 4, 200}, 5);
  // The flags that set the window are named, and what is wrong with it.
  EXPECT_EQ(seqnn::test::error_of([&] { ism(m, X, {}, window(150, 250, 8)); }),
            "--start 150 --end 250: the mutated window runs past the sequence length 200");
  EXPECT_EQ(seqnn::test::error_of([&] { ism(m, X, {}, window(20, 10, 8)); }),
            "--start 20 --end 10: the mutated window is empty (--start must be below --end)");
  IsmOptions o = window(0, 3, 8);
  o.targets = {40};
  EXPECT_THROW(ism(m, X, {}, o), Error);
}
