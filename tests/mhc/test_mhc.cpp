// The mhc module's pieces: allele names, pseudo-sequence tables, the split within each allele
// (the per-allele benchmark's folds), random peptides, percentile ranks, peptide checks and the
// pan-allele model's metadata.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "seqnn/mhc/alleles.h"
#include "seqnn/mhc/calibration.h"
#include "seqnn/mhc/mhc_data.h"
#include "seqnn/mhc/pan_model.h"
#include "seqnn/models/native.h"
#include "seqnn/sequence/encoding.h"
#include "test_helpers.h"

namespace seqnn::mhc {
namespace {

TEST(MhcAlleles, ThreeSpellingsNameOneAllele) {
  EXPECT_EQ(allele_key("HLA-A*02:01"), "HLA-A0201");
  EXPECT_EQ(allele_key("HLA-A02:01"), "HLA-A0201");
  EXPECT_EQ(allele_key("hla-a0201"), "HLA-A0201");
  EXPECT_EQ(display_allele("HLA-A0201"), "HLA-A*02:01");
  EXPECT_EQ(display_allele("HLA-A02:01"), "HLA-A*02:01");
  EXPECT_EQ(display_allele("HLA-B*07:02"), "HLA-B*07:02");
  EXPECT_EQ(display_allele("hla-c0702"), "HLA-C*07:02");
  EXPECT_EQ(display_allele("HLA-A02:101"), "HLA-A*02:101");
  EXPECT_EQ(display_allele("H-2-Db"), "H-2-Db");
  EXPECT_EQ(display_allele("Mamu-A1:00101"), "Mamu-A1:00101");
  // Found by the mhc fuzz target: a '*' before "HLA-" shifted the name by one character.
  EXPECT_EQ(display_allele("*HLA-A01:06"), "HLA-A*01:06");
  EXPECT_EQ(allele_key(display_allele("*HLA-A01:06")), allele_key("*HLA-A01:06"));
}

TEST(MhcAlleles, PseudoSequenceTableAndItsErrors) {
  test::TempDir dir;
  test::write_text(dir.file("p.dat"), "HLA-A01:01 YFAMYQ\n\n#A:11:50Q YYAMYQ\nHLA-A02:01  YFAMYR\nH-2-Db YESYWR\n");
  const PseudoSequences p = PseudoSequences::read(dir.file("p.dat"));
  EXPECT_EQ(p.size(), 3);
  EXPECT_EQ(p.length(), 6);
  for (const char* name : {"HLA-A*02:01", "HLA-A02:01", "HLA-A0201", "hla-a*02:01"}) {
    ASSERT_NE(p.find(name), nullptr) << name;
    EXPECT_EQ(*p.find(name), "YFAMYR") << name;
  }
  EXPECT_EQ(p.find("HLA-A*03:01"), nullptr);
  EXPECT_EQ(test::error_of([&] { p.require("HLA-A*03:01", "t.tsv:7"); }),
            "t.tsv:7: allele 'HLA-A*03:01' has no pseudo-sequence in " + dir.file("p.dat"));
  const std::pair<std::string, std::string> bad[] = {
      {"HLA-A01:01 YFAMYQ\nHLA-A02:01 YFAMY\n", ":2: pseudo-sequence of 'HLA-A02:01' has 5 residues, the others 6"},
      {"HLA-A01:01 YFAMYQ\nHLA-A02:01 YFAMY1\n", ":2: pseudo-sequence of 'HLA-A02:01' has '1' at position 6"},
      {"HLA-A01:01 YFAMYQ extra\n", ":1: expected 'ALLELE PSEUDO-SEQUENCE'"},
      {"HLA-A01:01 YFAMYQ\nHLA-A*01:01 YFAMYR\n", ":2: allele 'HLA-A*01:01' has a second, different pseudo-sequence"},
      {"\n", ": no pseudo-sequences"}};
  for (const auto& [text, message] : bad) {
    test::write_text(dir.file("bad.dat"), text);
    const std::string e = test::error_of([&] { PseudoSequences::read(dir.file("bad.dat")); });
    EXPECT_NE(e.find(dir.file("bad.dat") + message), std::string::npos) << e;
  }
}

TEST(MhcAlleles, EveryBlindAlleleHasAPseudoSequence) {
  const std::string dat = test::shared_data("mhc/MHC_pseudo.dat");
  SKIP_WITHOUT_SHARED_DATA(dat);
  const PseudoSequences p = PseudoSequences::read(dat);
  EXPECT_GT(p.size(), 3700);
  EXPECT_EQ(p.length(), 34);
  const MhcData d = load_mhc_table(test::shared_data("mhc/bdata.2013.mhci.public.blind.1.txt"),
                                   MhcTableOptions{"sequence", "mhc", "meas", "ic50", {{"species", "human"}}}, p);
  EXPECT_EQ(d.data.size(), 25667);
  EXPECT_EQ(d.pseudo[0], *p.find(d.alleles[0]));
  EXPECT_EQ(d.data.examples[0].id, d.data.examples[0].sequence);
}

// Rows of three alleles, interleaved, with a file and line each.
MhcData three_allele_rows() {
  MhcData d;
  d.data.targets = {"meas"};
  const char* alleles[] = {"HLA-A*02:01", "HLA-B*07:02", "HLA-A*02:01", "HLA-A*01:01"};
  for (int i = 0; i < 200; ++i) {
    Example ex;
    ex.sequence = ex.id = "PEPTIDE" + std::to_string(i);
    ex.target = {static_cast<float>(i) / 200};
    ex.mask = {1};
    ex.where = "t.tsv:" + std::to_string(i + 2);
    d.data.examples.push_back(ex);
    d.alleles.push_back(alleles[i % 4 == 3 && i > 100 ? 3 : i % 3]);
    d.pseudo.push_back("YFAMYQ");
  }
  return d;
}

TEST(MhcData, SplitWithinEachAlleleIsThePerAlleleSplit) {
  const MhcData d = three_allele_rows();
  SplitOptions o;
  o.folds = 5;
  o.val_fraction = 0.1;
  o.split_seed = 1;
  for (int64_t fold = 0; fold < 5; ++fold) {
    o.fold = fold;
    const Split pan = split_by_allele(d, o);
    // The per-allele runs: each allele's rows alone (file order), split with the same options.
    std::vector<int64_t> train, val, test;
    for (const char* a : {"HLA-A*02:01", "HLA-B*07:02", "HLA-A*01:01"}) {
      std::vector<int64_t> rows;
      for (int64_t i = 0; i < d.data.size(); ++i) {
        if (d.alleles[static_cast<size_t>(i)] == a) rows.push_back(i);
      }
      const Split own = make_split(d.data.subset(rows), o);
      for (int64_t r : own.train) train.push_back(rows[static_cast<size_t>(r)]);
      for (int64_t r : own.val) val.push_back(rows[static_cast<size_t>(r)]);
      for (int64_t r : own.test) test.push_back(rows[static_cast<size_t>(r)]);
    }
    for (auto* v : {&train, &val, &test}) std::sort(v->begin(), v->end());
    EXPECT_EQ(pan.train, train) << "fold " << fold;
    EXPECT_EQ(pan.val, val) << "fold " << fold;
    EXPECT_EQ(pan.test, test) << "fold " << fold;
    EXPECT_EQ(pan.train.size() + pan.val.size() + pan.test.size(), 200u);
  }
}

TEST(MhcData, LeaveOneAlleleOut) {
  const MhcData d = three_allele_rows();
  SplitOptions o;
  o.folds = 5;  // ignored: the held-out allele is the test set
  o.val_fraction = 0.1;
  o.split_seed = 1;
  const Split s = split_by_allele(d, o, "HLA-B07:02");
  ASSERT_FALSE(s.test.empty());
  for (int64_t i : s.test) EXPECT_EQ(d.alleles[static_cast<size_t>(i)], "HLA-B*07:02");
  for (const auto* part : {&s.train, &s.val}) {
    for (int64_t i : *part) EXPECT_NE(d.alleles[static_cast<size_t>(i)], "HLA-B*07:02");
  }
  EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), 200u);
  EXPECT_NE(test::error_of([&] { split_by_allele(d, o, "HLA-C*07:02"); }).find("--test-allele 'HLA-C*07:02': no row"),
            std::string::npos);
}

TEST(MhcCalibration, RandomPeptidesAreSeededNaturalAndOfEveryLength) {
  const auto a = random_peptides(20000, 8, 11, 1), b = random_peptides(20000, 8, 11, 1), c = random_peptides(20000, 8, 11, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::map<size_t, int> lengths;
  std::map<char, double> count;
  double letters = 0;
  for (const auto& p : a) {
    lengths[p.size()]++;
    for (char ch : p) count[ch] += 1, letters += 1;
  }
  for (size_t L = 8; L <= 11; ++L) EXPECT_EQ(lengths[L], 5000);
  const std::string aa = "ACDEFGHIKLMNPQRSTVWY";
  const auto& f = natural_amino_acid_frequencies();
  double sum = 0;
  for (double v : f) sum += v;
  for (size_t k = 0; k < aa.size(); ++k) {
    const double p = f[k] / sum;  // within 4 binomial standard deviations
    EXPECT_NEAR(count[aa[k]] / letters, p, 4 * std::sqrt(p * (1 - p) / letters)) << aa[k];
  }
}

TEST(MhcCalibration, PercentileRankAgainstCounting) {
  // Quantiles of 0, 1, ..., 1000: the rank of s is the percent of the set at or above it.
  std::vector<double> scores;
  for (int i = 1000; i >= 0; --i) scores.push_back(i);
  const auto q = score_quantiles(scores, 1001);
  for (double s : {0.0, 1.0, 250.0, 999.0, 1000.0}) {
    const double above = static_cast<double>(std::count_if(scores.begin(), scores.end(), [&](double v) { return v > s; }));
    EXPECT_NEAR(percentile_rank(q, s), 100.0 * above / 1000.0, 1e-9) << s;
  }
  EXPECT_DOUBLE_EQ(percentile_rank(q, 2000), 0.0);
  EXPECT_DOUBLE_EQ(percentile_rank(q, -1), 100.0);
  EXPECT_NEAR(percentile_rank(q, 250.5), 74.95, 1e-9);
  // Random scores: within one quantile step of the counted fraction.
  std::mt19937_64 rng(3);
  std::vector<double> r(5000);
  for (double& v : r) v = static_cast<double>(rng() % 100000) / 1000.0;
  const auto rq = score_quantiles(r);
  for (double s : {5.0, 33.3, 50.0, 90.1}) {
    const double above = static_cast<double>(std::count_if(r.begin(), r.end(), [&](double v) { return v > s; }));
    EXPECT_NEAR(percentile_rank(rq, s), 100.0 * above / 5000.0, 0.15) << s;
  }
}

PseudoSequences tiny_pseudo() {
  PseudoSequences p;
  p.add("HLA-A02:01", "YFAMYQ", "t");
  p.add("HLA-B07:02", "YYSEYR", "t");
  return p;
}

TEST(MhcPanModel, PeptideChecksAndMetadataRoundTrip) {
  const PseudoSequences pseudo = tiny_pseudo();
  PanModelOptions o;
  o.embedding = 4;
  o.hidden = 3;
  o.peptide_features = o.allele_features = 4;
  o.dense_units = {5};
  Model m = make_pan_model(o, pseudo, 1);
  PanMetadata meta = pan_metadata(m);
  EXPECT_EQ(meta.pseudo.entries(), pseudo.entries());
  EXPECT_EQ(meta.min_length, 8);
  EXPECT_EQ(meta.max_length, 15);
  check_peptide("SIINFEKL", meta, "p.txt:1");
  check_peptide("siinfekl", meta, "p.txt:1");
  EXPECT_EQ(test::error_of([&] { check_peptide("SIINFEKX", meta, "p.txt:3"); }),
            "p.txt:3: peptide 'SIINFEKX' has 'X' at position 8, not one of the 20 amino acids");
  EXPECT_EQ(test::error_of([&] { check_peptide("SIINFEK", meta, "p.txt:4"); }),
            "p.txt:4: peptide 'SIINFEK' has 7 residues; the model takes 8 to 15");
  meta.calibration.peptides = 300;
  calibrate_alleles(m, meta, {"HLA-A*02:01"});
  ASSERT_NE(stored_calibration(meta, "HLA-A0201"), nullptr);
  EXPECT_EQ(stored_calibration(meta, "HLA-B*07:02"), nullptr);
  set_pan_metadata(m, meta);
  test::TempDir dir;
  m.save(dir.file("m.pt"));
  Model loaded = Model::load(dir.file("m.pt"));
  const PanMetadata back = pan_metadata(loaded);
  EXPECT_EQ(*stored_calibration(back, "HLA-A02:01"), *stored_calibration(meta, "HLA-A02:01"));
  // Calibrating again (one allele alone, other batches) gives the stored quantiles.
  PanMetadata again = back;
  again.calibration.quantiles.clear();
  calibrate_alleles(loaded, again, {"HLA-B*07:02", "HLA-A02:01"});
  const auto& q1 = *stored_calibration(again, "HLA-A02:01");
  const auto& q0 = *stored_calibration(back, "HLA-A02:01");
  ASSERT_EQ(q1.size(), q0.size());
  for (size_t k = 0; k < q0.size(); ++k) EXPECT_NEAR(q1[k], q0[k], 1.5e-6);
  // Predictions: (peptides, alleles), batched by length, equal to one forward pass per pair.
  const std::vector<std::string> peptides = {"SIINFEKL", "GILGFVFTL", "NLVPMVATV"};
  const at::Tensor y = predict_pan(loaded, peptides, {"YFAMYQ", "YYSEYR"});
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{3, 2}));
  EncodeOptions as_float;
  as_float.dtype = at::kFloat;
  const at::Tensor one = loaded.forward(one_hot_encode(std::string("GILGFVFTL"), Alphabet::protein(), as_float).unsqueeze(0),
                                        {one_hot_encode(std::string("YYSEYR"), Alphabet::protein(), as_float).unsqueeze(0)})
                             .tensor();
  EXPECT_NEAR(y[1][1].item<double>(), one.item<double>(), 1e-6);
  EXPECT_NEAR(ic50_of_target(1.0), 1.0, 1e-12);
  EXPECT_NEAR(ic50_of_target(0.0), 50000.0, 1e-9);
  EXPECT_NEAR(ic50_of_target(1 - std::log(500.0) / std::log(50000.0)), 500.0, 1e-9);
  // Other models are refused by name.
  CnnConfig plain;
  plain.global_pool = GlobalPool::kMax;
  Model cnn = make_native_model(plain, 0);
  EXPECT_NE(test::error_of([&] { pan_metadata(cnn); }).find("not a seqnn mhc pan-allele model"), std::string::npos);
}

}  // namespace
}  // namespace seqnn::mhc
