// Data-set loaders read their tables through seqnn::TableReader: quoted CSV, gzip, CRLF, and
// errors with file:line.
#include <gtest/gtest.h>
#include <zlib.h>

#include "seqnn/training/dataset.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

TEST(TrainingDatasetTables, QuotedCsvSequenceTable) {
  test::TempDir dir;
  test::write_text(dir.file("t.csv"), "id,pep,note,y\r\n\"p,1\",SIINFEKL,\"say \"\"x\"\"\",0.5\r\np2,GILGFVFTL,,NA\r\n");
  TableOptions o;
  o.sequence_column = "pep";
  o.id_column = "id";
  o.target_columns = {"y"};
  Dataset d = load_sequence_table(dir.file("t.csv"), o);
  ASSERT_EQ(d.size(), 2);
  EXPECT_EQ(d.examples[0].id, "p,1");
  EXPECT_EQ(d.examples[0].target, (std::vector<float>{0.5f}));
  EXPECT_EQ(d.examples[1].mask, (std::vector<float>{0.f}));
  EXPECT_EQ(d.examples[1].where, dir.file("t.csv") + ":3");
  test::write_text(dir.file("bad.csv"), "id,pep,y\np1,SIIN\"FEKL,1\n");
  EXPECT_EQ(test::error_of([&] { load_sequence_table(dir.file("bad.csv"), o); }).rfind(dir.file("bad.csv") + ":2: quote inside", 0), 0u);
}

TEST(TrainingDatasetTables, GzipLabelsAndFoldFile) {
  test::TempDir dir;
  test::write_text(dir.file("s.fa"), ">a\nACGT\n>b\nACG\n");
  test::write_gzip(dir.file("l.tsv.gz"), "name\ty\na\t1\nb\t0\n");
  Dataset d = load_fasta_with_labels(dir.file("s.fa"), dir.file("l.tsv.gz"));
  ASSERT_EQ(d.size(), 2);
  EXPECT_EQ(d.examples[1].target, (std::vector<float>{0.f}));
  test::write_text(dir.file("folds.tsv"), "a\t0\r\n\r\nb\t1\r\n");
  SplitOptions so;
  so.fold_file = dir.file("folds.tsv");
  so.fold = 1;
  Split s = make_split(d, so);
  EXPECT_EQ(s.val, (std::vector<int64_t>{1}));
  EXPECT_EQ(s.train, (std::vector<int64_t>{0}));
  test::write_text(dir.file("bad_folds.tsv"), "a\t0\nb\tone\n");
  so.fold_file = dir.file("bad_folds.tsv");
  EXPECT_EQ(test::error_of([&] { make_split(d, so); }), dir.file("bad_folds.tsv") + ":2: fold 'one' is not an integer");
}

}  // namespace
}  // namespace seqnn
