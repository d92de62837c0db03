// Data set loaders, the reproducible split and batches.
#include <gtest/gtest.h>

#include <algorithm>

#include "seqnn/training/dataset.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

TEST(TrainingDataset, FastaWithLabelsAndMissingValues) {
  test::TempDir dir;
  test::write_text(dir.file("s.fa"), ">a\nACGT\n>b\nACG\n>c\nTTTTT\n");
  test::write_text(dir.file("l.tsv"), "name\tx\ty\nc\t1\t0.5\na\t0\tNA\nb\t1\t2\n");
  Dataset d = load_fasta_with_labels(dir.file("s.fa"), dir.file("l.tsv"));
  ASSERT_EQ(d.size(), 3);
  EXPECT_EQ(d.targets, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(d.examples[0].id, "a");
  EXPECT_EQ(d.examples[0].mask, (std::vector<float>{1, 0}));
  EXPECT_EQ(d.examples[2].target, (std::vector<float>{1, 0.5}));
  EXPECT_EQ(d.max_length(), 5);
  Dataset only_y = load_fasta_with_labels(dir.file("s.fa"), dir.file("l.tsv"), {"y"});
  EXPECT_EQ(only_y.targets, (std::vector<std::string>{"y"}));

  test::write_text(dir.file("bad.tsv"), "name\tx\na\t1\nb\tzz\n");
  EXPECT_NE(test::error_of([&] { load_fasta_with_labels(dir.file("s.fa"), dir.file("bad.tsv")); }).find("bad.tsv:3"),
            std::string::npos);
  test::write_text(dir.file("short.tsv"), "name\tx\na\t1\nb\t1\n");
  EXPECT_NE(test::error_of([&] { load_fasta_with_labels(dir.file("s.fa"), dir.file("short.tsv")); }).find("'c' has no row"),
            std::string::npos);
}

TEST(TrainingDataset, ClassFastasAndTables) {
  test::TempDir dir;
  test::write_text(dir.file("neg.fa"), ">n1\nAAAA\n>n2\nCCCC\n");
  test::write_text(dir.file("pos.fa"), ">p1\nGGGG\n");
  Dataset d = load_class_fastas({dir.file("neg.fa"), dir.file("pos.fa")});
  ASSERT_EQ(d.size(), 3);
  EXPECT_EQ(d.examples[2].target[0], 1.f);
  EXPECT_EQ(d.examples[0].target[0], 0.f);

  test::write_text(dir.file("t.tsv"), "allele\tpep\tic50\tset\nA\tSIINFEKL\t50000\ttrain\nB\tAAAAAAAA\t1\ttrain\n"
                                      "A\tGILGFVFTL\t500\ttest\n");
  TableOptions o;
  o.sequence_column = "pep";
  o.target_columns = {"ic50"};
  o.transform = "ic50";
  o.filters = {{"allele", "A"}};
  o.split_column = "set";
  Dataset t = load_sequence_table(dir.file("t.tsv"), o);
  ASSERT_EQ(t.size(), 2);
  EXPECT_NEAR(t.examples[0].target[0], 0.0, 1e-6);
  EXPECT_NEAR(t.examples[1].target[0], 1 - std::log(500.0) / std::log(50000.0), 1e-6);
  SplitOptions so;
  so.use_split_column = true;
  Split s = make_split(t, so);
  EXPECT_EQ(s.train, (std::vector<int64_t>{0}));
  EXPECT_EQ(s.test, (std::vector<int64_t>{1}));
  o.target_columns = {"nope"};
  EXPECT_NE(test::error_of([&] { load_sequence_table(dir.file("t.tsv"), o); }).find("no column 'nope'"), std::string::npos);
}

TEST(TrainingDataset, RefusesDataThatWouldTrainOnNonsense) {
  test::TempDir dir;
  test::write_text(dir.file("s.fa"), ">a\nACGT\n>b\nACG\n>a\nTTTTT\n");
  test::write_text(dir.file("l.tsv"), "name\tx\na\t1\nb\t0\n");
  // Labels are joined by name: a second record 'a' would silently get the first one's label.
  EXPECT_EQ(test::error_of([&] { load_fasta_with_labels(dir.file("s.fa"), dir.file("l.tsv")); }),
            dir.file("s.fa") + ":5: duplicate record name 'a' (also line 1): labels are joined by name");
  test::write_text(dir.file("u.fa"), ">a\nACGT\n>b\nACG\n");
  test::write_text(dir.file("na.tsv"), "name\tx\ty\na\tNA\t.\nb\tNA\tNA\n");
  EXPECT_EQ(test::error_of([&] { load_fasta_with_labels(dir.file("u.fa"), dir.file("na.tsv")); }),
            dir.file("na.tsv") + ": no labelled example: every target value is missing (NA)");
  // The same file as positives and negatives (also through another spelling of its path).
  const std::string other_spelling = dir.path() + "/./u.fa";
  EXPECT_NE(test::error_of([&] { load_class_fastas({dir.file("u.fa"), other_spelling}); })
                .find("given for two classes (0 and 1); each class needs its own FASTA"),
            std::string::npos);
}

TEST(TrainingDataset, SplitIsReproducibleAndPartitions) {
  Dataset d;
  d.targets = {"y"};
  for (int i = 0; i < 1000; ++i) d.examples.push_back({"s" + std::to_string(i), "ACGT", {0.f}, {1.f}, "", ""});
  SplitOptions o;
  o.val_fraction = 0.05;
  o.split_seed = 7;
  Split a = make_split(d, o), b = make_split(d, o);
  EXPECT_EQ(a.val, b.val);
  EXPECT_EQ(a.val.size(), 50u);
  EXPECT_EQ(a.train.size(), 950u);
  o.split_seed = 8;
  EXPECT_NE(make_split(d, o).val, a.val);
  // k folds: every row is tested exactly once; 5% of the rest validate.
  o.folds = 5;
  std::vector<int> seen(1000, 0);
  for (int k = 0; k < 5; ++k) {
    o.fold = k;
    Split f = make_split(d, o);
    EXPECT_EQ(f.test.size(), 200u);
    EXPECT_EQ(f.val.size(), 40u);
    EXPECT_EQ(f.train.size(), 760u);
    for (int64_t i : f.test) ++seen[static_cast<size_t>(i)];
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
}

TEST(TrainingDataset, BatchesPadAndBucket) {
  Dataset d;
  d.targets = {"y"};
  for (int i = 0; i < 40; ++i) {
    d.examples.push_back({"s" + std::to_string(i), std::string(static_cast<size_t>(1 + i % 10), 'A'), {1.f}, {1.f}, "", "x"});
  }
  std::vector<int64_t> rows(40);
  for (int i = 0; i < 40; ++i) rows[static_cast<size_t>(i)] = i;
  auto batches = make_batches(d, rows, 8, true, 3, true);
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(batches, make_batches(d, rows, 8, true, 3, true));
  size_t total = 0;
  for (const auto& b : batches) total += b.size();
  EXPECT_EQ(total, 40u);
  Batch b = make_batch(d, {0, 5, 9}, Alphabet::dna(), 0);
  EXPECT_EQ(b.x.sizes(), (std::vector<int64_t>{3, 4, 10}));
  EXPECT_EQ(b.lengths[1].item<int64_t>(), 6);
  EXPECT_EQ(b.x[0].sum().item<float>(), 1.f);
  EXPECT_THROW(make_batch(d, {9}, Alphabet::dna(), 5), Error);
}


TEST(TrainingDataset, RealDataSmoke) {
  const std::string pos = test::shared_data("dna/rbp_clip/pum2.test.positive.fasta");
  const std::string neg = test::shared_data("dna/rbp_clip/pum2.test.negative.fasta");
  const std::string mhc = test::shared_data("mhc/bdata.2013.mhci.public.blind.1.txt");
  SKIP_WITHOUT_SHARED_DATA(pos);
  SKIP_WITHOUT_SHARED_DATA(mhc);
  Dataset d = load_class_fastas({neg, pos});
  EXPECT_EQ(d.size(), 2592);  // 1,296 + 1,296 (data README)
  EXPECT_EQ(d.max_length(), 200);
  Batch b = make_batch(d, {0, 1295, 1296, 2591}, Alphabet::rna(), 200);
  EXPECT_EQ(b.target.flatten()[2].item<float>(), 1.f);
  TableOptions o;
  o.target_columns = {"meas"};
  o.transform = "ic50";
  o.filters = {{"mhc", "HLA-A*02:01"}};
  Dataset m = load_sequence_table(mhc, o);
  EXPECT_EQ(m.size(), 2126);
  for (const auto& ex : m.examples) {
    ASSERT_GE(ex.target[0], 0.f);
    ASSERT_LE(ex.target[0], 1.f);
    ASSERT_GE(ex.sequence.size(), 8u);
  }
}

TEST(TrainingDataset, RecordsWithoutLettersAreRefusedWhereTheyAreRead) {
  // A zero-length record used to reach the model: "forward failed on input of shape [1, 4, 0]".
  test::TempDir dir;
  test::write_text(dir.file("x.fa"), ">a\nACGT\n>z\n>b\nACGA\n");
  test::write_text(dir.file("y.tsv"), "name\ty\na\t1\nz\t0\nb\t1\n");
  EXPECT_EQ(test::error_of([&] { load_fasta_with_labels(dir.file("x.fa"), dir.file("y.tsv"), {}); }),
            dir.file("x.fa") + ":3: record 'z' has an empty sequence");
  test::write_text(dir.file("n.fa"), ">n\nACGT\n");
  EXPECT_EQ(test::error_of([&] { load_class_fastas({dir.file("n.fa"), dir.file("x.fa")}, "label"); }),
            dir.file("x.fa") + ":3: record 'z' has an empty sequence");
}

}  // namespace
}  // namespace seqnn
