// The S1 model against an independent PyTorch implementation (tests/fixtures/rna/
// make_s1_fixture.py): same weights and input give the same head outputs and loss terms.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "seqnn/rna/boxes.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/rna/targets.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

at::Tensor rna_fixture(const std::string& name) { return seqnn::test::fixture_npy("rna/" + name); }

S1Config fixture_config() {
  S1Config c;
  c.filters = {4, 3};
  c.widths = {3, 2};
  c.hidden = {5};
  return c;
}

S1Model fixture_model() {
  S1Model m = S1Model::create(fixture_config(), 0);
  at::Tensor flat = rna_fixture("s1_params");
  int64_t at = 0;
  torch::NoGradGuard no_grad;
  for (auto& p : m.parameters()) {
    p.copy_(flat.narrow(0, at, p.numel()).view(p.sizes()));
    at += p.numel();
  }
  EXPECT_EQ(at, flat.numel());
  return m;
}

// The PyTorch head tensor (N, C, L, L) in seqnn's S1Output order.
at::Tensor concat_head(const S1Output& o, int k) {
  std::vector<at::Tensor> parts{o.on[k].unsqueeze(1), o.loc_x[k], o.loc_y[k], o.size_x[k]};
  if (k == 1) parts.push_back(o.size_y[k]);
  parts.push_back(o.scalar_x[k].unsqueeze(1));
  if (k == 1) parts.push_back(o.scalar_y[k].unsqueeze(1));
  return torch::cat(parts, 1);
}

TEST(RnaS1Model, MatchesPyTorchForwardAndLoss) {
  S1Model m = fixture_model();
  m.train(true);
  at::Tensor x = rna_fixture("s1_x");
  EXPECT_TENSOR_NEAR(pair_input_batch({"ACGUNGC", "GGCAUUA"}), x, 0.0);
  S1Output out = m.forward(x);
  const char* names[] = {"stem", "iloop", "hloop"};
  for (int k = 0; k < 3; ++k) {
    EXPECT_TENSOR_NEAR(concat_head(out, k), rna_fixture(std::string("s1_head_") + names[k]), 1e-5) << names[k];
  }
  S1Targets t{rna_fixture("s1_t_on"),     rna_fixture("s1_t_on_mask"),    rna_fixture("s1_t_inside"),
              rna_fixture("s1_t_loc_x"),  rna_fixture("s1_t_loc_y"),      rna_fixture("s1_t_size_x_cls"),
              rna_fixture("s1_t_size_y_cls"), rna_fixture("s1_t_size_x"), rna_fixture("s1_t_size_y")};
  std::vector<std::pair<std::string, double>> parts;
  at::Tensor loss = s1_loss(out, t, &parts);
  at::Tensor expect = rna_fixture("s1_losses");
  ASSERT_EQ(static_cast<int64_t>(parts.size()), expect.numel());
  for (size_t k = 0; k < parts.size(); ++k) {
    EXPECT_NEAR(parts[k].second, expect[static_cast<int64_t>(k)].item<double>(), 1e-4) << parts[k].first;
  }
  EXPECT_NEAR(loss.item<double>(), expect.sum().item<double>(), 1e-3);
  EXPECT_EQ(parts[0].first, "stem_on");
  EXPECT_EQ(parts[9].first, "iloop_sm_size_y");  // stem has 5 terms, iloop 7, hloop 5
  // Weighted: the PyTorch per-term losses, each times its kind's weight.
  const S1LossWeights w = S1LossWeights::parse("on=7,location=0.5,sl_size=0.25");
  double weighted = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::string& name = parts[k].first;
    const double f = name.find("_on") != std::string::npos ? 7 : name.find("location") != std::string::npos ? 0.5
                   : name.find("_sl_") != std::string::npos ? 0.25 : 1.0;
    weighted += f * expect[static_cast<int64_t>(k)].item<double>();
  }
  EXPECT_NEAR(s1_loss(out, t, nullptr, w).item<double>(), weighted, 1e-3);
  EXPECT_EQ(w.to_string(), "on=7,location=0.5,sm_size=1,sl_size=0.25");
  for (const char* bad : {"on", "size=2", "on=x", "on=-1", "on=2x"}) EXPECT_THROW(S1LossWeights::parse(bad), Error) << bad;
}

TEST(RnaS1Model, OutputIsLxLForEveryLengthAndWidth) {
  S1Config c;
  c.filters = {3, 2};
  c.widths = {4, 5};  // even widths: padding split unevenly, still L x L
  c.hidden = {};
  S1Model m = S1Model::create(c, 1);
  m.train(false);
  for (int64_t L : {1, 6, 13}) {
    S1Output o = m.forward(torch::rand({2, 8, L, L}));
    EXPECT_EQ(o.on[0].sizes(), (at::IntArrayRef{2, L, L}));
    EXPECT_EQ(o.size_y[1].sizes(), (at::IntArrayRef{2, 11, L, L}));
    EXPECT_EQ(o.loc_x[2].sizes(), (at::IntArrayRef{2, 12, L, L}));
  }
  EXPECT_THROW(m.forward(torch::rand({1, 4, 5, 5})), Error);
}

TEST(RnaS1Model, SaveLoadRoundTripAndBadFiles) {
  S1Model m = fixture_model();
  m.train(false);
  seqnn::test::TempDir dir;
  m.save(dir.file("s1.pt"));
  S1Model back = S1Model::load(dir.file("s1.pt"));
  EXPECT_EQ(back.config().widths, (std::vector<int64_t>{3, 2}));
  at::Tensor x = rna_fixture("s1_x");
  EXPECT_TENSOR_NEAR(back.forward(x).loc_y[1], m.forward(x).loc_y[1], 0.0);
  seqnn::test::write_text(dir.file("bad.pt"), "not a model");
  EXPECT_THROW(S1Model::load(dir.file("bad.pt")), Error);
  EXPECT_THROW(S1Model::load(dir.file("missing.pt")), Error);
  S1Config bad = fixture_config();
  bad.widths.pop_back();
  EXPECT_THROW(S1Model::create(bad, 0), Error);
}

TEST(RnaS1Model, LossFallsWhenFittingOneStructure) {
  S1Config c;
  c.filters = {8, 8};
  c.widths = {5, 5};
  c.hidden = {8};
  S1Model m = S1Model::create(c, 2);
  m.train(true);
  const std::string seq = "GGGGAAACCCCAGGAAACCU";
  const std::string db = "((((...))))((.....))";
  S1Targets t = S1Targets::stack({make_targets(20, decompose(Structure::from_dot_bracket(db)).boxes)});
  at::Tensor x = pair_input_batch({seq});
  torch::optim::Adam opt(m.parameters(), torch::optim::AdamOptions(1e-2));
  double first = 0, last = 0;
  for (int step = 0; step < 40; ++step) {
    opt.zero_grad();
    at::Tensor loss = s1_loss(m.forward(x), t);
    loss.backward();
    opt.step();
    if (step == 0) first = loss.item<double>();
    last = loss.item<double>();
  }
  EXPECT_LT(last, 0.5 * first);
}

TEST(RnaS1Model, AbsurdLayerSizesAreRefusedBeforeAllocating) {
  S1Config c;
  c.filters = {1000000000000};
  c.widths = {3};
  EXPECT_EQ(seqnn::test::error_of([&] { c.validate("--num-filters/--filter-width"); }),
            "--num-filters/--filter-width: filter count 1000000000000 is too large (at most 16777216)");
  c.filters = {100000, 100000};
  c.widths = {3, 3};
  EXPECT_NE(seqnn::test::error_of([&] { c.validate("flags"); }).find("flags: the layers would hold "), std::string::npos);
}

}  // namespace
}  // namespace seqnn::rna
