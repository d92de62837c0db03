// `seqnn deepseq train | score | weights` end to end on a toy alignment: outputs, determinism,
// skipped mutants, resume, one-line errors.
#include <torch/cuda.h>

#include "deepsequence/toy_data.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::ds {
namespace {

struct Toy {
  test::TempDir dir;
  std::string aln = dir.file("toy.a2m"), cfg = dir.file("cfg.json"), csv = dir.file("muts.csv");
  Toy() {
    test::write_text(aln, test_data::toy_alignment());
    test::write_text(cfg, test_data::toy_config());
    test::write_text(csv, test_data::toy_mutations());
  }
  std::string train(const std::string& out, int updates, const std::string& extra = "") const {
    return "deepseq train -a " + aln + " -c " + cfg + " -o " + out + " --updates " + std::to_string(updates) +
           " --checkpoint-every 10 --log-every 5 --seed 3 --threads 1 --device cpu --quiet " + extra;
  }
};

TEST(DsCli, TrainScoreWeightsEndToEnd) {
  Toy t;
  test::CliResult r = test::run_cli(t.train(t.dir.file("m"), 30));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("updates/s"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("-> " + t.dir.file("m/model_best.pt")), std::string::npos) << r.output;
  EXPECT_TRUE(test::exists(t.dir.file("m/checkpoint_30.pt")));
  EXPECT_FALSE(test::exists(t.dir.file("m/checkpoint_20.pt"))) << "only the newest checkpoint is kept";
  const std::vector<std::string> curve = split(test::read_text(t.dir.file("m/loss.tsv")), '\n');
  EXPECT_EQ(curve.size(), 1u + 6u + 1u) << "header, 6 rows (every 5 of 30), trailing newline";

  const std::string score = "deepseq score -m " + t.dir.file("m/model_best.pt") + " -a " + t.aln + " --mutations " + t.csv +
                            " --samples 4 --independent --spearman fit --threads 1 --quiet -o ";
  r = test::run_cli(score + t.dir.file("s1.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("7 mutants, 4 scored, 3 skipped"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Spearman vs fit"), std::string::npos) << r.output;
  const std::vector<std::string> rows = split(test::read_text(t.dir.file("s1.csv")), '\n');
  ASSERT_GE(rows.size(), 8u);
  EXPECT_EQ(rows[0], "mutant,deepseq,independent,note");
  EXPECT_EQ(split(rows[1], ',').size(), 4u);
  EXPECT_FALSE(split(rows[1], ',')[1].empty()) << rows[1];
  EXPECT_NE(rows[4].find("wild type at 6 is A, not G"), std::string::npos) << rows[4];
  EXPECT_NE(rows[5].find("position 5 is not a focus column"), std::string::npos) << rows[5];
  EXPECT_NE(rows[6].find("not a mutation like A42G"), std::string::npos) << rows[6];

  // Same seed, same result; the weights command writes one row per kept record.
  ASSERT_EQ(test::run_cli(t.train(t.dir.file("m2"), 30)).exit_code, 0);
  ASSERT_EQ(test::run_cli("deepseq score -m " + t.dir.file("m2/model_best.pt") + " -a " + t.aln + " --mutations " + t.csv +
                          " --samples 4 --independent --spearman fit --threads 1 --quiet -o " + t.dir.file("s2.csv"))
                .exit_code,
            0);
  EXPECT_EQ(test::read_text(t.dir.file("s1.csv")), test::read_text(t.dir.file("s2.csv")));
  r = test::run_cli("deepseq weights -a " + t.aln + " -o " + t.dir.file("w.tsv") + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Neff"), std::string::npos);
  EXPECT_GE(split(test::read_text(t.dir.file("w.tsv")), '\n').size(), 50u);

  // Resume continues the newest checkpoint to the new total (the configuration is the run's).
  r = test::run_cli("deepseq train -a " + t.aln + " -o " + t.dir.file("m") + " --resume --updates 40 --log-every 5 --threads 1 --quiet");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("30 -> 40 updates"), std::string::npos) << r.output;
  EXPECT_TRUE(test::exists(t.dir.file("m/checkpoint_40.pt")));
  EXPECT_EQ(split(test::read_text(t.dir.file("m/loss.tsv")), '\n').size(), 1u + 8u + 1u) << "the curve continues";
}

// On a GPU: train there, then the checkpoint scores on the CPU (it holds CPU tensors).
TEST(DsCli, TrainsOnCudaAndScoresOnTheCpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  Toy t;
  test::CliResult r = test::run_cli("deepseq train -a " + t.aln + " -c " + t.cfg + " -o " + t.dir.file("g") +
                                    " --updates 20 --log-every 5 --seed 3 --device cuda --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("updates on cuda"), std::string::npos) << r.output;
  for (const char* dev : {"cpu", "cuda"}) {
    r = test::run_cli("deepseq score -m " + t.dir.file("g/model_best.pt") + " -a " + t.aln + " --mutations " + t.csv +
                      " --samples 4 --spearman fit --quiet --device " + dev + " -o " + t.dir.file(std::string(dev) + ".csv"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("4 scored"), std::string::npos) << r.output;
  }
}

TEST(DsCli, BadInputIsAOneLineError) {
  Toy t;
  test::CliResult r = test::run_cli("deepseq train -a " + t.dir.file("missing.a2m") + " -o " + t.dir.file("m"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("missing.a2m"), std::string::npos) << r.output;
  test::write_text(t.cfg, R"({"encoder": [16], "decoder": [10], "sparsity_tiles": 4})");
  r = test::run_cli(t.train(t.dir.file("m"), 5));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("sparsity_tiles"), std::string::npos) << r.output;
  test::write_text(t.csv, "mutant,fit\nA6C,1\nC7D\n");
  r = test::run_cli("deepseq score -a " + t.aln + " --independent --mutations " + t.csv + " -o " + t.dir.file("s.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("muts.csv:3:"), std::string::npos) << r.output;
  // An output directory that cannot be made fails before any training, not after it.
  test::write_text(t.cfg, R"({"encoder": [16], "decoder": [12]})");  // 4 sparsity tiles divide 12
  r = test::run_cli(t.train(t.aln + "/m", 100000));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("toy.a2m/m: cannot create directory"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("updates/s"), std::string::npos) << "trained before failing: " << r.output;
  // Numeric flags are typed and range-checked; --resume is a flag, -n is gone.
  r = test::run_cli(t.train(t.dir.file("m3"), 10, "--log-every 0"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--log-every"), std::string::npos) << r.output;
  EXPECT_FALSE(test::exists(t.dir.file("m3"))) << "refused before running";
  r = test::run_cli("deepseq weights -a " + t.aln + " -o " + t.dir.file("w.tsv") + " --weights-method fast");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("fast"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seqnn::ds
