// S1's thermodynamic input channels (rna/thermo_input.h): the folding engine's pair probabilities
// and MFE pairing as 2 extra L x L maps, in the model config, in training and in prediction.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <random>

#include "rna/fold_test_util.h"
#include "rna/rna_test_util.h"
#include "seqnn/rna/fold/eval.h"
#include "seqnn/rna/fold/fold.h"
#include "seqnn/rna/predict_structures.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/rna/s1_train.h"
#include "seqnn/rna/thermo_input.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

S1Config small_thermo_config() {
  S1Config c;
  c.filters = {4, 4};
  c.widths = {3, 3};
  c.hidden = {4};
  c.inputs = S1Inputs::kThermo;
  return c;
}

// Pair probabilities of a short sequence by brute force over every structure, with the energy
// evaluator and RNAfold's smoothing off (the engine's exact-weight mode): the reference the
// channel is checked against, independent of the McCaskill recursions.
std::vector<std::vector<double>> brute_force_probabilities(const std::string& seq) {
  const auto enc = fold::encode_sequence(seq);
  const int n = enc.n;
  std::vector<std::vector<double>> p(static_cast<size_t>(n), std::vector<double>(static_cast<size_t>(n), 0.0));
  double z = 0.0;
  fold::test::for_each_structure(enc, [&](const std::vector<int>& pt) {
    const double w = std::exp(-fold::structure_energy(enc, pt) / 100.0 / fold::kt_kcal());
    z += w;
    for (int i = 0; i < n; ++i) {
      if (pt[static_cast<size_t>(i)] > i) p[static_cast<size_t>(i)][static_cast<size_t>(pt[static_cast<size_t>(i)])] += w;
    }
  });
  for (auto& row : p) {
    for (double& v : row) v /= z;
  }
  return p;
}

TEST(RnaThermoInput, ChannelsAreTheEnginesPairProbabilitiesAndMfePairs) {
  std::mt19937_64 rng(19);
  for (int rep = 0; rep < 4; ++rep) {
    const std::string seq = fold::test::random_rna(16, rng);
    const ThermoFeatures f = thermo_features(seq);
    const at::Tensor x = thermo_channels(f, 20);
    ASSERT_EQ(x.sizes(), (std::vector<int64_t>{2, 20, 20}));
    EXPECT_TRUE(x.equal(x.transpose(1, 2))) << seq;
    EXPECT_EQ(x.narrow(1, 16, 4).abs().sum().item<double>(), 0.0) << "padding is zero";
    // Every base pairs at most once in total probability, and the MFE channel is the MFE structure.
    EXPECT_LE(x[0].sum(1).max().item<double>(), 1.0 + 1e-5) << seq;
    const std::string mfe = fold::fold_mfe(seq).structure;
    const at::Tensor mfe_map = Structure::from_dot_bracket(mfe).to_matrix();
    EXPECT_TRUE(x[1].narrow(0, 0, 16).narrow(1, 0, 16).equal(mfe_map)) << seq << " " << mfe;
    // The smoothing RNAfold applies to dangles moves probabilities a little; the brute-force
    // ensemble of exact weights must still agree to well under the channel's useful precision.
    const auto ref = brute_force_probabilities(seq);
    for (int i = 0; i < 16; ++i) {
      for (int j = i + 1; j < 16; ++j) {
        const double got = x[0][i][j].item<double>();
        const double want = ref[static_cast<size_t>(i)][static_cast<size_t>(j)] >= kThermoPairThreshold ? ref[static_cast<size_t>(i)][static_cast<size_t>(j)] : 0.0;
        EXPECT_NEAR(got, want, 0.02) << seq << " (" << i << ", " << j << ")";
      }
    }
  }
}

TEST(RnaThermoInput, BatchIsSequenceChannelsThenThermoChannelsInOrder) {
  const std::vector<std::string> seqs{"GGGGAAACCCCA", "GCGCUUUUGCGCAAAUU", "ACGU"};
  const at::Tensor x = s1_input_batch(seqs, S1Inputs::kThermo);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{3, 10, 17, 17}));
  EXPECT_TRUE(x.narrow(1, 0, 8).equal(pair_input_batch(seqs)));
  const auto features = thermo_features(seqs);  // parallel, in input order
  for (size_t k = 0; k < seqs.size(); ++k) {
    EXPECT_TRUE(x[static_cast<int64_t>(k)].narrow(0, 8, 2).equal(thermo_channels(features[k], 17))) << k;
    EXPECT_TRUE(x[static_cast<int64_t>(k)].narrow(0, 8, 2).equal(thermo_channels(thermo_features(seqs[k]), 17))) << k;
  }
  EXPECT_TRUE(s1_input_batch(seqs, S1Inputs::kSequence).equal(pair_input_batch(seqs)));
  EXPECT_GT(x[0][8].max().item<double>(), 0.5) << "the hairpin GGGG...CCCC is likely";
  EXPECT_EQ(parse_s1_inputs("thermo"), S1Inputs::kThermo);
  EXPECT_EQ(seqnn::test::error_of([] { parse_s1_inputs("bpp", "cfg"); }), "cfg: unknown S1 inputs 'bpp' (expected sequence or thermo)");
}

TEST(RnaThermoInput, ConfigSavesInputsAndOlderFilesReadAsSequence) {
  seqnn::test::TempDir dir;
  S1Model m = S1Model::create(small_thermo_config(), 1);
  EXPECT_NE(m.config().to_json().find("\"inputs\":\"thermo\""), std::string::npos);
  m.save(dir.file("t.pt"));
  S1Model back = S1Model::load(dir.file("t.pt"));
  EXPECT_EQ(back.config().inputs, S1Inputs::kThermo);
  EXPECT_EQ(back.input_batch({"GGGAAACCC"}).size(1), 10);
  S1Config plain = small_thermo_config();
  plain.inputs = S1Inputs::kSequence;
  EXPECT_EQ(plain.to_json().find("inputs"), std::string::npos) << "sequence-only files keep their old JSON";
  EXPECT_EQ(S1Config::from_json(plain.to_json()).inputs, S1Inputs::kSequence);
  // A thermo model refuses the 8-channel input, naming the shape it needs.
  EXPECT_EQ(seqnn::test::error_of([&] { m.forward(pair_input_batch({"GGGAAACCC"})); }), "S1 input must be (N, 10, L, L)");
}

TEST(RnaThermoInput, TrainsAndPredictsWithThermodynamicChannels) {
  seqnn::test::TempDir dir;
  std::vector<RnaRecord> records;
  for (int k = 0; k < 24; ++k) {
    std::string db = test::random_dot_bracket(22, 300 + static_cast<uint64_t>(k));
    std::string seq = test::random_rna(22, 500 + static_cast<uint64_t>(k));
    for (size_t p = 0; p < db.size(); ++p) {
      if (db[p] == '(') seq[p] = 'G';
      if (db[p] == ')') seq[p] = 'C';
    }
    RnaRecord r;
    r.id = "s" + std::to_string(k);
    r.sequence = seq;
    r.structure = Structure::from_dot_bracket(db);
    records.push_back(r);
  }
  S1TrainOptions o;
  o.epochs = 2;
  o.batch_size = 6;
  o.validation_fraction = 0.25;
  o.seed = 4;
  o.progress = false;
  o.out_dir = dir.file("run");
  S1Model m = S1Model::create(small_thermo_config(), 4);
  const S1TrainSummary s = train_s1(m, records, o);
  EXPECT_EQ(s.train_records, 18);
  EXPECT_EQ(s.best_validation.size(), s1_metric_names().size());
  // evaluate_s1 folds the records itself: the same metrics as the run's own (precomputed) pass.
  S1Model best = S1Model::load(dir.file("run/model_best.pt"));
  EXPECT_EQ(best.config().inputs, S1Inputs::kThermo);
  const auto again = evaluate_s1(best, split_records(records, 0.25, 4).second, o.batch_size);
  ASSERT_EQ(again.size(), s.best_validation.size());
  for (size_t k = 0; k < again.size(); ++k) {
    if (std::isnan(again[k].second)) continue;
    EXPECT_NEAR(again[k].second, s.best_validation[k].second, 1e-9) << again[k].first;
  }
  const auto preds = predict_structures(best, records, {});
  ASSERT_EQ(preds.size(), records.size());
  for (size_t k = 0; k < preds.size(); ++k) EXPECT_EQ(preds[k].structure.length(), 22) << k;
}

}  // namespace
}  // namespace seqnn::rna
