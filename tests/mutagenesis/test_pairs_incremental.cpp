// predict_pairs with single-base substitutions on the incremental engine must equal predicting
// every window whole, to float rounding: native and TorchScript models, a tuple output, both
// strands (--rc mean / max), float32 and float64, substitutions at both window ends and at N;
// pairs that are not substitutions go whole within the same call, and models the engine cannot
// run fall back with the reason.
#include <torch/torch.h>

#include "seqnn/models/native.h"
#include "seqnn/mutagenesis/variant_effect.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::relative_diff;

namespace {

// Row i of alt becomes ref with base (ref base + 1 + i % 3) % 4 at positions[i]; a position given
// as -1 - p puts an N in the reference there first (alt then holds a base where ref holds none).
struct SnvPairs {
  at::Tensor ref, alt;
};

SnvPairs snv_pairs(int64_t L, const std::vector<int64_t>& positions, uint64_t seed) {
  const int64_t N = static_cast<int64_t>(positions.size());
  SnvPairs s{random_one_hot({N, 4, L}, seed), at::Tensor()};
  s.alt = s.ref.clone();
  for (int64_t i = 0; i < N; ++i) {
    int64_t p = positions[static_cast<size_t>(i)];
    if (p < 0) {
      p = -1 - p;
      s.ref[i].select(1, p).zero_();
    }
    const int64_t base = s.ref[i].select(1, p).argmax().item<int64_t>();
    s.alt[i].select(1, p).zero_();
    s.alt[i][(base + 1 + i % 3) % 4][p] = 1;
  }
  return s;
}

PairedPrediction pairs(Model& m, const SnvPairs& s, IsmEngine engine, at::ScalarType dtype, StrandCombine rc,
                       int64_t batch = 5) {
  PredictOptions o;
  o.batch_size = batch;
  o.dtype = dtype;
  return predict_pairs(m, s.ref, s.alt, o, rc, engine);
}

void expect_same_pairs(const PairedPrediction& naive, const PairedPrediction& fast, double tol) {
  ASSERT_EQ(naive.ref.size(), fast.ref.size());
  EXPECT_EQ(naive.ref.names, fast.ref.names);
  for (size_t j = 0; j < naive.ref.size(); ++j) {
    ASSERT_EQ(naive.alt[j].sizes(), fast.alt[j].sizes());
    EXPECT_LE(relative_diff(naive.ref[j], fast.ref[j]), tol) << "reference, output " << j;
    EXPECT_LE(relative_diff(naive.alt[j], fast.alt[j]), tol) << "alternative, output " << j;
  }
}

// Substitutions at both ends, next to them, in the middle and at N, on every strand setting and
// in both dtypes, over several batches.
void expect_engine_matches_naive(Model& m, int64_t L) {
  const SnvPairs s = snv_pairs(L, {0, 1, L / 2, L - 2, L - 1, -1, -1 - (L - 1), 7, L / 3, -1 - L / 2, L - 9}, 11);
  for (at::ScalarType dtype : {at::kFloat, at::kDouble}) {
    const double tol = dtype == at::kFloat ? 1e-5 : 1e-11;
    for (StrandCombine rc : {StrandCombine::kNone, StrandCombine::kMean, StrandCombine::kMax}) {
      SCOPED_TRACE(std::string(c10::toString(dtype)) + ", rc " + std::to_string(static_cast<int>(rc)));
      PairedPrediction naive = pairs(m, s, IsmEngine::kNaive, dtype, rc);
      PairedPrediction fast = pairs(m, s, IsmEngine::kIncremental, dtype, rc);
      EXPECT_EQ(naive.incremental, 0);
      EXPECT_EQ(fast.incremental, s.ref.size(0));
      expect_same_pairs(naive, fast, tol);
    }
  }
}

}  // namespace

TEST(IncrementalPairs, NativeCnnWithBatchNormMatchesWholeWindows) {
  Model m = make_native_model_from_json(R"({"input_length": 120, "conv": [
      {"filters": 12, "width": 8, "batch_norm": true, "pool": 4, "dropout": 0.2},
      {"filters": 16, "width": 5, "pool": 2, "padding": "same"}],
      "dense": [{"units": 10}], "outputs": 6, "output_activation": "sigmoid"})",
                                        "test config", 3);
  expect_engine_matches_naive(m, 120);
}

TEST(IncrementalPairs, TorchScriptDeepSeaMatchesWholeWindows) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  expect_engine_matches_naive(m, 200);
}

TEST(IncrementalPairs, TorchScriptBPNetTupleMatchesWholeWindows) {
  Model m = Model::load(fixture("ism/bpnet_small.pt"));
  expect_engine_matches_naive(m, 300);
}

TEST(IncrementalPairs, PairsThatAreNoSubstitutionGoWholeInTheSameCall) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  const int64_t L = 200;
  SnvPairs s = snv_pairs(L, {100, 3, 100, 100, 100, 196, 100, 0}, 4);
  s.alt[0] = s.ref[0].roll(1, 1);                    // an insertion shifts the right flank
  s.alt[0].narrow(1, 0, 100).copy_(s.ref[0].narrow(1, 0, 100));
  s.alt[2][0][40] = 1 - s.alt[2][0][40];             // a second changed column (and a non-one-hot one)
  s.alt[3].select(1, 100).zero_();                   // alt holds N
  s.alt[4] = s.ref[4];                               // identical windows
  s.alt[6].select(1, 101).copy_(s.alt[6].select(1, 101).roll(1, 0));  // two adjacent bases (an MNV)
  for (StrandCombine rc : {StrandCombine::kNone, StrandCombine::kMean}) {
    PairedPrediction naive = pairs(m, s, IsmEngine::kNaive, at::kFloat, rc, 3);
    PairedPrediction fast = pairs(m, s, IsmEngine::kIncremental, at::kFloat, rc, 3);
    EXPECT_EQ(fast.incremental, 3);  // rows 1, 5 and 7
    expect_same_pairs(naive, fast, 1e-5);
  }
  // No substitution at all: nothing for the engine, and no error even when it is required.
  SnvPairs none{s.ref.narrow(0, 2, 3), s.alt.narrow(0, 2, 3)};
  PairedPrediction whole = pairs(m, none, IsmEngine::kIncremental, at::kFloat, StrandCombine::kNone);
  EXPECT_EQ(whole.incremental, 0);
  EXPECT_TRUE(whole.engine_note.empty());
  expect_same_pairs(pairs(m, none, IsmEngine::kNaive, at::kFloat, StrandCombine::kNone), whole, 0.0);
}

TEST(IncrementalPairs, UnsupportedModelFallsBackSaysWhyAndStillMatches) {
  Model m = Model::load(fixture("ism/lstm_head.pt"));
  const SnvPairs s = snv_pairs(40, {0, 20, 39}, 2);
  PairedPrediction naive = pairs(m, s, IsmEngine::kNaive, at::kFloat, StrandCombine::kMean);
  PairedPrediction autod = pairs(m, s, IsmEngine::kAuto, at::kFloat, StrandCombine::kMean);
  EXPECT_EQ(autod.incremental, 0);
  EXPECT_NE(autod.engine_note.find("aten::transpose"), std::string::npos) << autod.engine_note;
  EXPECT_TRUE(naive.engine_note.empty());
  expect_same_pairs(naive, autod, 0.0);
  EXPECT_THROW(pairs(m, s, IsmEngine::kIncremental, at::kFloat, StrandCombine::kNone), Error);
}

TEST(IncrementalPairs, OnePredictorAcrossChunksKeepsItsEngineAndItsFallback) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  PredictOptions o;
  o.batch_size = 4;
  PairPredictor chunks(m, o, StrandCombine::kMean, IsmEngine::kIncremental);
  const SnvPairs same{random_one_hot({3, 4, 200}, 5), at::Tensor()};
  EXPECT_EQ(chunks(same.ref, same.ref).incremental, 0);  // nothing to check the engine on yet
  for (uint64_t seed : {6, 7}) {
    const SnvPairs s = snv_pairs(200, {0, 199, 100, -1 - 50, 120}, seed);
    PairedPrediction fast = chunks(s.ref, s.alt);
    EXPECT_EQ(fast.incremental, 5);
    expect_same_pairs(pairs(m, s, IsmEngine::kNaive, at::kFloat, StrandCombine::kMean, 4), fast, 1e-5);
  }
  Model lstm = Model::load(fixture("ism/lstm_head.pt"));
  PairPredictor fallback(lstm, o, StrandCombine::kNone, IsmEngine::kAuto);
  const SnvPairs s = snv_pairs(40, {3, 30}, 8);
  for (int call = 0; call < 2; ++call) {
    PairedPrediction p = fallback(s.ref, s.alt);
    EXPECT_EQ(p.incremental, 0);
    EXPECT_NE(p.engine_note.find("aten::transpose"), std::string::npos) << "call " << call;
  }
}
