// `seqnn mhc train | predict` end to end: a small training run on a slice of the Kim 2014 BLIND
// rows (skipped without ../shared/data) that resumes to the uninterrupted result, one-line errors,
// the output of predict, and the shipped model (models/mhc/pan.pt) reproducing committed
// reference predictions exactly.
#include <gtest/gtest.h>

#include <set>

#include "seqnn/util/strings.h"
#include "seqnn/util/table.h"
#include "test_helpers.h"

namespace seqnn::mhc {
namespace {

using test::run_cli;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out = split(text, '\n');
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// Header plus the rows of a few alleles of the BLIND file: three small ones and part of A*02:01.
std::string write_slice(const test::TempDir& dir, const std::string& blind) {
  const std::set<std::string> small = {"HLA-A*02:02", "HLA-B*45:01", "HLA-B*54:01"};
  std::string out;
  int a0201 = 0;
  for (const std::string& line : lines_of(test::read_text(blind))) {
    const std::vector<std::string> f = split(line, '\t');
    if (out.empty() || small.count(f.at(1)) || (f.at(1) == "HLA-A*02:01" && a0201++ < 250)) out += line + "\n";
  }
  test::write_text(dir.file("slice.tsv"), out);
  return dir.file("slice.tsv");
}

const char kSmallModel[] =
    " --embedding 8 --hidden 8 --peptide-units 8 --allele-units 8 --dense-units 8 --batch-size 32 --threads 1 -q";

TEST(MhcCli, TrainsResumesAndPredictsOnASliceOfTheBlindSet) {
  const std::string blind = test::shared_data("mhc/bdata.2013.mhci.public.blind.1.txt");
  SKIP_WITHOUT_SHARED_DATA(blind);
  test::TempDir dir;
  const std::string train = "mhc train --table " + write_slice(dir, blind) + " --pseudo-sequences " +
                            test::shared_data("mhc/MHC_pseudo.dat") +
                            " --filter species=human --folds 5 --fold 0 --split-seed 1 --calibration-peptides 400" + kSmallModel;
  auto r = run_cli(train + " --epochs 2 --out " + dir.file("run1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seqnn mhc train: 2 epoch(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("4 allele(s) calibrated"), std::string::npos) << r.output;
  const auto metrics = lines_of(test::read_text(dir.file("run1/metrics.csv")));
  ASSERT_EQ(metrics.size(), 6u);  // header, train and val of 2 epochs, test
  EXPECT_NE(metrics[0].find("meas.spearman"), std::string::npos);
  EXPECT_NE(metrics[0].find("meas.auroc"), std::string::npos);
  const auto predictions = lines_of(test::read_text(dir.file("run1/test_predictions.tsv")));
  EXPECT_EQ(predictions[0], "id\tallele\tmeas.target\tmeas.prediction");
  // Fold 0 of each allele: 126, 65, 79 and 250 rows -> 26 + 13 + 16 + 50.
  EXPECT_EQ(predictions.size(), 1u + 26 + 13 + 16 + 50);
  for (size_t i = 1; i < predictions.size(); ++i) EXPECT_EQ(split(predictions[i], '\t').size(), 4u);

  // An interrupted run resumed to the same length ends where the uninterrupted one did.
  ASSERT_EQ(run_cli(train + " --epochs 1 --out " + dir.file("run2")).exit_code, 0);
  r = run_cli(train + " --epochs 2 --resume --out " + dir.file("run2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::read_text(dir.file("run2/test_predictions.tsv")), test::read_text(dir.file("run1/test_predictions.tsv")));
  r = run_cli(train + " --epochs 2 --resume --dropout 0.3 --out " + dir.file("run2"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--resume: setting 'dropout' was 0.2 in this run, now 0.3"), std::string::npos) << r.output;
  r = run_cli(train + " --epochs 2 --out " + dir.file("run1"));
  EXPECT_NE(r.output.find("a checkpoint of an earlier run"), std::string::npos) << r.output;

  // Predict: three spellings, one allele calibrated at training time and one not, peptides on stdin.
  const std::string predict = std::string(SEQNN_CLI_PATH) + " mhc predict -q --threads 1 --model " + dir.file("run1/model_best.pt");
  r = test::run_shell("printf 'SIINFEKL\\n\\ngilgfvftl\\n# comment\\nNLVPMVATV\\n' | " + predict +
                      " --alleles HLA-A0202,HLA-B*45:01,HLA-C07:02 --peptides - --out " + dir.file("p.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 peptides x 3 alleles = 9 rows on cpu (1 allele(s) calibrated now)"), std::string::npos) << r.output;
  const auto rows = lines_of(test::read_text(dir.file("p.tsv")));
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[0], "allele\tpeptide\tic50_nM\tpercentile_rank");
  EXPECT_EQ(rows[1].substr(0, 21), "HLA-A*02:02\tSIINFEKL\t");
  EXPECT_EQ(rows[2].substr(0, 22), "HLA-A*02:02\tGILGFVFTL\t");
  EXPECT_EQ(rows[9].substr(0, 22), "HLA-C*07:02\tNLVPMVATV\t");
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto f = split(rows[i], '\t');
    ASSERT_EQ(f.size(), 4u);
    const double ic50 = std::stod(f[2]), rank = std::stod(f[3]);
    EXPECT_GE(ic50, 1.0);
    EXPECT_LE(ic50, 50000.0);
    EXPECT_GE(rank, 0.0);
    EXPECT_LE(rank, 100.0);
  }
}

TEST(MhcCli, BadInputIsOneLine) {
  test::TempDir dir;
  test::write_text(dir.file("p.dat"), "HLA-A02:01 YFAMYQ\n");
  test::write_text(dir.file("t.tsv"), "species\tmhc\tsequence\tmeas\nhuman\tHLA-A*02:01\tSIINFEKL\t30\nhuman\tHLA-A*99:99\tSIINFEKV\t300\n");
  auto r = run_cli("mhc train -q --table " + dir.file("t.tsv") + " --pseudo-sequences " + dir.file("p.dat") + " --out " +
                   dir.file("run"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.output, "seqnn mhc train: error: " + dir.file("t.tsv") + ":3: allele 'HLA-A*99:99' has no pseudo-sequence in " +
                          dir.file("p.dat") + "\n");
  test::write_text(dir.file("u.tsv"), "species\tmhc\tsequence\tmeas\nhuman\tHLA-A*02:01\tSIINFEKLSIINFEKL\t30\n");
  r = run_cli("mhc train -q --table " + dir.file("u.tsv") + " --pseudo-sequences " + dir.file("p.dat") + " --out " + dir.file("run"));
  EXPECT_EQ(r.output, "seqnn mhc train: error: " + dir.file("u.tsv") +
                          ":2: peptide 'SIINFEKLSIINFEKL' has 16 residues; the model takes 8 to 15\n");
}

const std::string kShipped = std::string(SEQNN_SOURCE_DIR) + "/models/mhc/pan.pt";

// The rows of `actual` are those of `expected` (the first of them, when `actual` is shorter):
// the same allele and peptide, affinities to 1e-5 relative plus one printed digit, ranks to one
// printed digit.
void expect_same_predictions(const std::string& actual, const std::string& expected) {
  const auto q = lines_of(actual), p = lines_of(expected);
  ASSERT_GT(q.size(), 2u);
  ASSERT_LE(q.size(), p.size());
  EXPECT_EQ(q[0], p[0]);
  for (size_t i = 1; i < q.size(); ++i) {
    const auto a = split(q[i], '\t'), b = split(p[i], '\t');
    ASSERT_EQ(a.size(), 4u) << q[i];
    ASSERT_EQ(b.size(), 4u) << p[i];
    EXPECT_EQ(a[0] + a[1], b[0] + b[1]) << q[i];
    EXPECT_NEAR(std::stod(a[2]), std::stod(b[2]), 1e-5 * std::stod(b[2]) + 0.011) << q[i];
    EXPECT_NEAR(std::stod(a[3]), std::stod(b[3]), 0.0011) << q[i];
  }
}

TEST(MhcCli, ShippedModelReproducesItsReferencePredictions) {
  if (!test::exists(kShipped)) GTEST_SKIP() << "models/mhc/pan.pt not built";
  test::TempDir dir;
  const std::string predict = "mhc predict -q --threads 1 --model " + kShipped;
  const std::string reference = " --peptides " + test::fixture("mhc/pan_reference_peptides.txt");
  auto r = run_cli(predict + reference + " --out " + dir.file("p.tsv") + " --alleles HLA-A*02:01,HLA-B*07:02,HLA-A*24:02,HLA-C*07:02");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Another CPU (other BLAS kernels) may change the last printed digit: the rows are compared
  // by value, to one unit of that digit.
  expect_same_predictions(test::read_text(dir.file("p.tsv")), test::read_text(test::fixture("mhc/pan_reference.tsv")));
  // The other spellings of an allele give the same rows (in other batches than four alleles).
  for (const char* spelling : {"HLA-A0201", "HLA-A02:01"}) {
    r = run_cli(predict + reference + " --out " + dir.file("q.tsv") + " --alleles " + spelling);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    SCOPED_TRACE(spelling);
    expect_same_predictions(test::read_text(dir.file("q.tsv")), test::read_text(dir.file("p.tsv")));
  }
  // Known HLA-A*02:01 epitopes (influenza M1 GILGFVFTL, CMV pp65 NLVPMVATV) are predicted binders
  // in the top percent of random peptides; the mouse K^b epitope SIINFEKL is not a binder by rank.
  for (const auto& line : lines_of(test::read_text(dir.file("p.tsv")))) {
    const auto f = split(line, '\t');
    if (f[0] != "HLA-A*02:01") continue;
    if (f[1] == "GILGFVFTL" || f[1] == "NLVPMVATV") {
      EXPECT_LT(std::stod(f[2]), 500.0) << line;
      EXPECT_LT(std::stod(f[3]), 1.0) << line;
    }
    if (f[1] == "SIINFEKL") {  // outside the top 2 %, the usual binder cut-off
      EXPECT_GT(std::stod(f[3]), 2.0) << line;
    }
  }
  test::write_text(dir.file("bad.txt"), "NLVPMVATV\nSIINFEK1\n");
  r = run_cli(predict + " --out " + dir.file("r.tsv") + " --alleles HLA-A*02:01 --peptides " + dir.file("bad.txt"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find(dir.file("bad.txt") + ":2: peptide 'SIINFEK1' has '1' at position 8, not one of the 20 amino acids"),
            std::string::npos)
      << r.output;
  test::write_text(dir.file("short.txt"), "NLVPMVA\n");
  r = run_cli(predict + " --out " + dir.file("r.tsv") + " --alleles HLA-A*02:01 --peptides " + dir.file("short.txt"));
  EXPECT_NE(r.output.find(":1: peptide 'NLVPMVA' has 7 residues; the model takes 8 to 15"), std::string::npos) << r.output;
  r = run_cli(predict + reference + " --out " + dir.file("r.tsv") + " --alleles HLA-A*99:99");
  EXPECT_NE(r.output.find("--alleles: allele 'HLA-A*99:99' has no pseudo-sequence in " + kShipped), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seqnn::mhc
