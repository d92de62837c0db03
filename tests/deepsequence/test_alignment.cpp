// Alignment reader (focus-column rules) and sequence weights (tiled methods vs a brute-force loop).
#include <torch/torch.h>

#include <chrono>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn::ds {
namespace {

const char* kBlat = "protein/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m";

TEST(DsAlignment, FocusColumnsAndDroppedRecords) {
  test::TempDir dir;
  const std::string path = dir.file("toy.a2m");
  // Focus: lowercase 'm' and 'k' are not focus columns; record 3 has X in a focus column (dropped);
  // record 4 has an X only in a non-focus column (kept); '.' becomes '-'.
  test::write_text(path,
                   ">FOO/10-17\nmACDkEF\n"
                   ">r2\n.AC-.EF\n"
                   ">r3\n-AXD-EF\n"
                   ">r4\nxac.DEF\n");
  Alignment a = read_alignment(path);
  EXPECT_EQ(a.focus_name, "FOO");
  EXPECT_EQ(a.focus_start, 10);
  EXPECT_EQ(a.focus_sequence, "ACDEF");
  EXPECT_EQ(a.positions, (std::vector<int64_t>{11, 12, 13, 15, 16}));
  EXPECT_EQ(a.records_read, 4);
  EXPECT_EQ(a.records_dropped, 1);
  ASSERT_EQ(a.size(), 3);
  EXPECT_EQ(a.sequences[1], "AC-EF");
  EXPECT_EQ(a.sequences[2], "AC-EF");  // lowercase 'c' in a focus column is uppercased
  EXPECT_EQ(a.column_of(15), 3);
  EXPECT_EQ(a.column_of(14), -1);
}

TEST(DsAlignment, A3mInsertionsAreRemoved) {
  test::TempDir dir;
  const std::string path = dir.file("toy.a3m");
  test::write_text(path, ">Q/1-4\nACDE\n>r2\nAggC-E\n>r3\nAC\n");
  try {
    read_alignment(path);
    FAIL() << "a record that does not line up must be an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("toy.a3m:5:"), std::string::npos) << e.what();
  }
  test::write_text(path, ">Q/1-4\nACDE\n>r2\nAggC-E\n");
  Alignment a = read_alignment(path);
  ASSERT_EQ(a.size(), 2);
  EXPECT_EQ(a.sequences[1], "AC-E");
}

TEST(DsAlignment, AFocusRangeThatIsNotStartEndIsAnError) {
  test::TempDir dir;
  const std::string path = dir.file("f.a2m");
  for (const std::string bad : {"abc-def", "10-", "-5", "0-4", "9-3", "1-2-3"}) {
    test::write_text(path, ">Q/" + bad + "\nACDE\n>r2\nACDE\n");
    EXPECT_EQ(test::error_of([&] { read_alignment(path); }),
              path + ":1: focus header 'Q/" + bad + "': range '" + bad + "' is not START-END with 1 <= START <= END");
  }
  // A '/' without a range is part of the name, numbered from 1.
  test::write_text(path, ">sp/P62593\nACDE\n>r2\nACDE\n");
  Alignment a = read_alignment(path);
  EXPECT_EQ(a.focus_name, "sp/P62593");
  EXPECT_EQ(a.focus_start, 1);
}

TEST(DsAlignment, BlatRealData) {
  const std::string path = test::shared_data(kBlat);
  SKIP_WITHOUT_SHARED_DATA(path);
  Alignment a = read_alignment(path);
  EXPECT_EQ(a.records_read, 8403);
  EXPECT_EQ(a.size(), 8355);
  EXPECT_EQ(a.length(), 253);
  EXPECT_EQ(a.focus_name, "BLAT_ECOLX");
  EXPECT_EQ(a.focus_start, 24);
  // "hpetl" are lowercase: the first focus column is V at 24 + 5.
  EXPECT_EQ(a.positions.front(), 29);
  EXPECT_EQ(a.focus_sequence[0], 'V');
}

at::Tensor random_codes(int64_t n, int64_t len, uint64_t seed) {
  // Sequences derived from a few ancestors by mutation, so that identities straddle 0.8.
  torch::manual_seed(seed);
  at::Tensor anc = torch::randint(0, 20, {4, len}, torch::kLong);
  at::Tensor pick = torch::randint(0, 4, {n}, torch::kLong);
  at::Tensor codes = anc.index_select(0, pick);
  at::Tensor mut = torch::rand({n, len}) < torch::rand({n, 1}) * 0.4;
  codes = torch::where(mut, torch::randint(0, 21, {n, len}, torch::kLong), codes);
  codes[3].fill_(kGapCode);  // an all-gap record: weight 0
  return codes.to(torch::kUInt8);
}

TEST(DsWeights, TiledMethodsMatchBruteForceExactly) {
  at::Tensor codes = random_codes(301, 37, 7);
  for (double theta : {0.2, 0.5}) {
    at::Tensor ref = sequence_weights_brute_force(codes, theta);
    EXPECT_EQ(ref[3].item<double>(), 0.0);
    EXPECT_GT(ref.lt(1.0).sum().item<int64_t>(), 50) << "test data must have neighbours";
    WeightsOptions o;
    o.theta = theta;
    o.method = WeightsMethod::kCompare;
    EXPECT_TRUE(torch::equal(sequence_weights(codes, o), ref)) << "compare, theta " << theta;
    o.method = WeightsMethod::kMatmul;
    o.tile = 64;  // several tiles, a ragged last one
    EXPECT_TRUE(torch::equal(sequence_weights(codes, o), ref)) << "matmul, theta " << theta;
  }
}

TEST(DsWeights, HandComputedIdentityIsAsymmetricAndStrict) {
  // r0 = AAAAA, r1 = AAAA- : identity(r1, r0) = 4/4 = 1; identity(r0, r1) = 4/5 = 0.8 (not > 0.8).
  at::Tensor codes = encode_codes({"AAAAA", "AAAA-", "CCCCC"});
  WeightsOptions o;
  at::Tensor w = sequence_weights(codes, o);
  EXPECT_DOUBLE_EQ(w[0].item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(w[1].item<double>(), 0.5);
  EXPECT_DOUBLE_EQ(w[2].item<double>(), 1.0);
}

TEST(DsWeights, BlatNeffAndTime) {
  const std::string path = test::shared_data(kBlat);
  SKIP_WITHOUT_SHARED_DATA(path);
  Alignment a = read_alignment(path);
  at::Tensor codes = encode_codes(a.sequences);
  auto t0 = std::chrono::steady_clock::now();
  at::Tensor w = sequence_weights(codes);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double neff = w.sum().item<double>();
  std::printf("BLAT: %lld sequences, Neff %.2f, weights in %.2f s\n", static_cast<long long>(a.size()), neff, secs);
  EXPECT_GT(neff, 1000.0);
  EXPECT_LT(neff, 8355.0);
  // A brute-force check of a sample of rows (all rows would take minutes).
  at::Tensor sub = codes.slice(0, 0, 300);
  EXPECT_TRUE(torch::equal(sequence_weights(sub), sequence_weights_brute_force(sub, 0.2)));
}

}  // namespace
}  // namespace seqnn::ds
