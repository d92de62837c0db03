// Readers, and `seqnn rna train | predict | eval` end to end on tiny data; the ArchiveII
// RNAfold baseline (mean F1 0.589, precision 0.563, recall 0.622 in ../shared/data/README.md)
// checks the F1 code against an independent figure.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <map>

#include "rna/rna_test_util.h"
#include "seqnn/rna/eval_run.h"
#include "seqnn/rna/predict_run.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/rna/s1_run.h"
#include "seqnn/rna/s1_train.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

TEST(RnaIo, TablesCsvQuotesAndFasta) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("a.tsv"), "id\tsequence\tstructure\tmfe\nr1\tGGGAAACCC\t(((...)))\t-1\nr2\tacgu\t....\t0\n");
  auto t = read_rna_table(dir.file("a.tsv"));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].structure.num_pairs(), 3);
  EXPECT_EQ(t[1].sequence, "ACGU");
  seqnn::test::write_text(dir.file("b.csv"), "id,sequence,structure,base_pairs,len\nx,GGGAAACCC,(((...))),\"[[1, 9], [2, 8]]\",9\n");
  EXPECT_EQ(read_rna_table(dir.file("b.csv"))[0].structure.to_dot_bracket(), "(((...)))");
  seqnn::test::write_text(dir.file("c.csv"), "id,sequence,base_pairs\nx,GGGAAACCC,\"[[1, 9], [2, 8]]\"\n");
  EXPECT_EQ(read_rna_table(dir.file("c.csv"))[0].structure.to_dot_bracket(), "((.....))");
  seqnn::test::write_text(dir.file("d.fa"), ">s1 RNAfold\nGGGAAA\nCCC\n(((...))) (-1.20)\n>s2\nAAAA\n....\n");
  auto f = read_structures(dir.file("d.fa"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].id, "s1");
  EXPECT_EQ(f[0].structure.to_dot_bracket(), "(((...)))");

  seqnn::test::write_text(dir.file("e.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\t(((...))\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("e.tsv")); }), dir.file("e.tsv") + ":2: unbalanced '(' at position 1");
  seqnn::test::write_text(dir.file("f.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\t(((...))).\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("f.tsv")); }), dir.file("f.tsv") + ":2: sequence length 9 != structure length 10");
  seqnn::test::write_text(dir.file("g.tsv"), "id\tsequence\tstructure\nr1\tGGGA7ACCC\t(((...)))\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("g.tsv")); }), dir.file("g.tsv") + ":2: invalid character '7' at sequence position 5");
  seqnn::test::write_text(dir.file("h.tsv"), "id\tseq\n");
  EXPECT_EQ(seqnn::test::error_of([&] { read_rna_table(dir.file("h.tsv")); }), dir.file("h.tsv") + ":1: no 'sequence' column in the header");
}

TEST(RnaIo, SplitIsDeterministicAndDisjoint) {
  std::vector<RnaRecord> recs(100);
  for (size_t k = 0; k < recs.size(); ++k) recs[k].id = std::to_string(k);
  auto [tr, va] = split_records(recs, 0.05, 5555);
  auto [tr2, va2] = split_records(recs, 0.05, 5555);
  ASSERT_EQ(tr.size(), 95u);
  ASSERT_EQ(va.size(), 5u);
  for (size_t k = 0; k < 5; ++k) EXPECT_EQ(va[k].id, va2[k].id);
  for (const auto& v : va) {
    for (const auto& t : tr) EXPECT_NE(v.id, t.id);
  }
}

// Writes `n` random structured sequences (canonical G-C pairs) as a TSV.
std::string write_random_table(const seqnn::test::TempDir& dir, int n, int64_t L) {
  std::string text = "id\tsequence\tstructure\n";
  for (int k = 0; k < n; ++k) {
    std::string db = test::random_dot_bracket(L, 77 + static_cast<uint64_t>(k));
    std::string seq = test::random_rna(L, 900 + static_cast<uint64_t>(k));
    for (size_t p = 0; p < db.size(); ++p) {
      if (db[p] == '(') seq[p] = 'G';
      if (db[p] == ')') seq[p] = 'C';
    }
    text += "s" + std::to_string(k) + "\t" + seq + "\t" + db + "\n";
  }
  seqnn::test::write_text(dir.file("data.tsv"), text);
  std::string fa;
  for (const auto& line : split(text, '\n')) {
    const auto f = split(line, '\t');
    if (f.size() == 3 && f[0] != "id") fa += ">" + f[0] + "\n" + f[1] + "\n";
  }
  seqnn::test::write_text(dir.file("data.fa"), fa);
  return dir.file("data.tsv");
}

// --inputs thermo: the model file says so, fine-tuning keeps it, prediction folds the sequences itself.
TEST(RnaCli, TrainAndPredictWithThermodynamicInputs) {
  seqnn::test::TempDir dir;
  const std::string data = write_random_table(dir, 30, 24);
  const std::string train = "rna train --data " + data + " --num-filters 4,4 --filter-width 3,3 --dense-units 4 --epochs 1 "
                            "--batch-size 8 --val-fraction 0.2 --threads 1 --seed 3 -q --inputs thermo --out ";
  auto r = seqnn::test::run_cli(train + dir.file("run"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("(thermo inputs)"), std::string::npos) << r.output;
  EXPECT_NE(seqnn::test::read_text(dir.file("run/config.json")).find("\"inputs\": \"thermo\""), std::string::npos);
  EXPECT_EQ(S1Model::load(dir.file("run/model_best.pt")).config().inputs, S1Inputs::kThermo);
  r = seqnn::test::run_cli("rna predict -q --threads 1 --model " + dir.file("run/model_best.pt") + " --fasta " + dir.file("data.fa") +
                           " --out " + dir.file("pred.tsv") + " --truth " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(split(seqnn::test::read_text(dir.file("pred.tsv")), '\n').size(), 32u);
  r = seqnn::test::run_cli("rna predict -q --threads 1 --model " + dir.file("run/model_best.pt") + " --fasta " + dir.file("data.fa") +
                           " --out " + dir.file("pairs.db") + " --decoder pairs --gamma 4");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_structures(dir.file("pairs.db")).size(), 30u);
  r = seqnn::test::run_cli(train + dir.file("bad") + " --inputs bpp");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--inputs"), std::string::npos) << r.output;
  r = seqnn::test::run_cli("rna train --data " + data + " --epochs 1 -q --inputs thermo --init " + dir.file("run/model_best.pt") +
                           " --out " + dir.file("tuned"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("excludes"), std::string::npos) << r.output;
}

TEST(RnaCli, TrainPredictEvalEndToEnd) {
  seqnn::test::TempDir dir;
  const std::string data = write_random_table(dir, 40, 24);
  const std::string train = "rna train --data " + data + " --num-filters 4,4 --filter-width 3,3 --dense-units 4 --epochs 2 "
                            "--batch-size 8 --val-fraction 0.2 --threads 1 --seed 3 -q --out ";
  auto r = seqnn::test::run_cli(train + dir.file("run1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("best epoch"), std::string::npos) << r.output;
  const std::string csv = seqnn::test::read_text(dir.file("run1/metrics.csv"));
  const std::string header = split(csv, '\n')[0];
  std::string expect;
  for (const auto& n : s1_metric_names()) expect += n + ",";
  EXPECT_EQ(header, expect + "tv,epoch");
  EXPECT_EQ(split(csv, '\n').size(), 6u);  // header, 2 epochs x (train, val), final newline
  EXPECT_TRUE(seqnn::test::exists(dir.file("run1/checkpoint_2.pt")));
  EXPECT_TRUE(seqnn::test::exists(dir.file("run1/model_best.pt")));
  EXPECT_NE(seqnn::test::read_text(dir.file("run1/config.json")).find("\"dense_units\": [\n    4\n  ]"), std::string::npos);
  // Same seed, same numbers; space-separated lists (the notebook's form) are the same run.
  ASSERT_EQ(seqnn::test::run_cli(train + dir.file("run2")).exit_code, 0);
  EXPECT_EQ(seqnn::test::read_text(dir.file("run2/metrics.csv")), csv);
  r = seqnn::test::run_cli("rna train --data " + data + " --out " + dir.file("run3") +
                           " --num-filters 4 4 --filter-width 3 3 --dense-units 4 --epochs 2 --batch-size 8 "
                           "--val-fraction 0.2 --seed 3 --threads 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(seqnn::test::read_text(dir.file("run3/metrics.csv")), csv);
  // S1 has one entry point: `seqnn train` refuses it.
  r = seqnn::test::run_cli("train --arch s1 --table " + data + " --out " + dir.file("x") + " --threads 1 -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("unknown --arch 's1'"), std::string::npos) << r.output;
  // Fine-tuning keeps the trained model's architecture (a different default is ignored) and
  // starts from its weights: with an lr that rounds every float32 step to zero (--lr must be
  // positive) nothing but batch-norm statistics can change.
  const std::string tune = "rna train --data " + data + " --epochs 1 --batch-size 8 --val-fraction 0.2 "
                           "--threads 1 --seed 3 -q --init " + dir.file("run1/model_best.pt");
  r = seqnn::test::run_cli(tune + " --lr 1e-50 --out " + dir.file("tuned"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const size_t at = r.output.find("S1 with ");
  ASSERT_NE(at, std::string::npos) << r.output;
  const S1Model before = S1Model::load(dir.file("run1/model_best.pt")), after = S1Model::load(dir.file("tuned/model_best.pt"));
  EXPECT_EQ(after.config().to_json(), before.config().to_json());
  const auto pb = before.parameters(), pa = after.parameters();
  ASSERT_EQ(pb.size(), pa.size());
  for (size_t k = 0; k < pb.size(); ++k) EXPECT_TRUE(pb[k].equal(pa[k])) << "parameter " << k;
  r = seqnn::test::run_cli(tune + " --num-filters 4 --filter-width 3 --out " + dir.file("tuned2"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("excludes"), std::string::npos) << r.output;

  r = seqnn::test::run_cli("rna predict -q --threads 1 --model " + dir.file("run1/model_best.pt") + " --fasta " + dir.file("data.fa") +
                    " --out " + dir.file("pred.tsv") + " --png " + dir.file("png") + " --truth " + data + " --min-pixel-prob 0.3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("mean base-pair F1"), std::string::npos) << r.output;
  EXPECT_EQ(split(seqnn::test::read_text(dir.file("pred.tsv")), '\n').size(), 42u);
  EXPECT_TRUE(seqnn::test::exists(dir.file("pred.boxes.tsv")));
  EXPECT_TRUE(seqnn::test::exists(dir.file("png/s0.png")));
  r = seqnn::test::run_cli("rna eval -q --truth " + data + " --pred " + dir.file("pred.tsv") + " --boxes " + dir.file("pred.boxes.tsv") +
                    " --out " + dir.file("eval.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("box sensitivity"), std::string::npos) << r.output;
  // The truth as its own prediction scores F1 = 1.
  r = seqnn::test::run_cli("rna eval -q --truth " + data + " --pred " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("F1 1.0000"), std::string::npos) << r.output;
}

// run_s1_training: files in, the shared output layout out (config.json first), the summary's
// mean on-auROC from the best epoch's validation metrics.
TEST(RnaRun, S1TrainingFromFiles) {
  seqnn::test::TempDir dir;
  S1RunOptions o;
  o.data = write_random_table(dir, 30, 20);
  o.max_records = 25;
  o.config.filters = {4, 4};
  o.config.widths = {3, 3};
  o.config.hidden = {4};
  o.train.epochs = 2;
  o.train.batch_size = 8;
  o.train.validation_fraction = 0.2;
  o.train.progress = false;
  o.train.out_dir = dir.file("run");
  std::string started;
  o.on_start = [&](const std::string& line) { started = line; };
  const S1RunResult r = run_s1_training(o);
  EXPECT_EQ(r.records_read, 25);
  EXPECT_EQ(r.summary.train_records + r.summary.validation_records, 25);
  EXPECT_EQ(started.find("25 records from " + o.data + ", S1 with " + std::to_string(r.parameters) + " parameters (sequence inputs) on cpu"), 0u)
      << started;
  double on = 0.0;
  for (const auto& [k, v] : r.summary.best_validation) on += ends_with(k, "_on.auroc") ? v / 3.0 : 0.0;
  EXPECT_DOUBLE_EQ(r.mean_on_auroc, on);
  for (const char* f : {"checkpoint_1.pt", "checkpoint_2.pt", "model_best.pt", "metrics.csv", "config.json"})
    EXPECT_TRUE(seqnn::test::exists(dir.file(std::string("run/") + f))) << f;
  const std::string cfg = seqnn::test::read_text(dir.file("run/config.json"));
  EXPECT_NE(cfg.find("\"max_records\": 25"), std::string::npos) << cfg;
  EXPECT_EQ(S1Model::load(dir.file("run/model_best.pt")).config().to_json(), o.config.to_json());
  o.train.validation_fraction = 0.0;
  EXPECT_NE(seqnn::test::error_of([&] { run_s1_training(o); }).find("--val-fraction"), std::string::npos);
  o.train.validation_fraction = 0.2;
  o.config.widths = {3};
  EXPECT_NE(seqnn::test::error_of([&] { run_s1_training(o); }).find("2 filter counts but 1 filter widths"), std::string::npos);
}

// Two epochs, stop, resume to four == four epochs in one go (the batch order of the resumed
// epochs comes from the replayed random stream).
TEST(RnaRun, ResumeGivesTheUninterruptedRun) {
  seqnn::test::TempDir dir;
  S1RunOptions o;
  o.data = write_random_table(dir, 30, 20);
  o.config.filters = {4, 4};
  o.config.widths = {3, 3};
  o.config.hidden = {4};
  o.train.epochs = 4;
  o.train.batch_size = 8;
  o.train.validation_fraction = 0.2;
  o.train.progress = false;
  o.train.out_dir = dir.file("whole");
  const S1RunResult whole = run_s1_training(o);
  o.train.out_dir = dir.file("parts");
  o.train.epochs = 2;
  run_s1_training(o);
  o.train.epochs = 4;
  o.train.resume = true;
  const S1RunResult parts = run_s1_training(o);
  EXPECT_EQ(seqnn::test::read_text(dir.file("parts/metrics.csv")), seqnn::test::read_text(dir.file("whole/metrics.csv")));
  EXPECT_EQ(parts.summary.best_epoch, whole.summary.best_epoch);
  const S1Model a = S1Model::load(dir.file("whole/model_best.pt")), b = S1Model::load(dir.file("parts/model_best.pt"));
  const auto pa = a.parameters(), pb = b.parameters();
  for (size_t k = 0; k < pa.size(); ++k) EXPECT_TRUE(pa[k].equal(pb[k])) << "parameter " << k;
  o.config.hidden = {5};  // another architecture cannot continue the run
  EXPECT_NE(seqnn::test::error_of([&] { run_s1_training(o); }).find(dir.file("parts")), std::string::npos);
}

TEST(RnaRun, ScoreStructuresMeansRowsAndBoxes) {
  std::vector<RnaRecord> truth(4);
  const char* dbs[] = {"((((...))))", "((((...))))", "(((.....)))", "((((....))))....."};
  for (size_t k = 0; k < truth.size(); ++k) {
    truth[k].id = "r" + std::to_string(k);
    truth[k].structure = Structure::from_dot_bracket(dbs[k]);
    truth[k].where = "t.tsv:" + std::to_string(k + 2);
  }
  std::map<std::string, Structure> pred;
  pred["r0"] = truth[0].structure;                               // exact
  pred["r1"] = Structure::from_dot_bracket("((..(...)))");       // 2 of 4 true pairs, 3 predicted
  pred["r3"] = truth[3].structure;                               // longer than max_length below
  std::map<std::string, std::vector<Box>> boxes;
  boxes["r0"] = decompose(truth[0].structure).boxes;
  int ticks = 0;
  StructureEvaluation e = score_structures(truth, pred, &boxes, 12, [&] { ++ticks; });
  EXPECT_EQ(ticks, 4);
  ASSERT_EQ(e.rows.size(), 2u);  // r2 has no prediction, r3 is too long
  EXPECT_EQ(e.missing, 1);
  EXPECT_EQ(e.rows[1].scores.correct, 2);
  EXPECT_DOUBLE_EQ(e.mean_precision, (1.0 + 2.0 / 3.0) / 2.0);
  EXPECT_DOUBLE_EQ(e.mean_recall, (1.0 + 0.5) / 2.0);
  EXPECT_TRUE(e.has_boxes);
  EXPECT_EQ(e.boxes.total_true(), 4);  // two stems, two hairpins
  EXPECT_DOUBLE_EQ(e.boxes.identical_rate(), 0.5);
  const auto lines = split(e.to_tsv(), '\n');
  EXPECT_EQ(lines[0], "id\tlength\ttrue_pairs\tpredicted_pairs\tcorrect\tprecision\trecall\tf1");
  EXPECT_EQ(lines[1], "r0\t11\t4\t4\t4\t1.000000\t1.000000\t1.000000");
  pred["r2"] = Structure::from_dot_bracket("....");
  EXPECT_EQ(seqnn::test::error_of([&] { score_structures(truth, pred); }),
            "t.tsv:4: predicted structure of 'r2' has length 4, the true one 11");
}

TEST(RnaRun, PredictFromFiles) {
  EXPECT_EQ(boxes_table_path("out/pred.tsv"), "out/pred.boxes.tsv");
  EXPECT_EQ(boxes_table_path("run.d/pred"), "run.d/pred.boxes.tsv");
  EXPECT_EQ(boxes_table_path("out/pred.ct"), "out/pred.boxes.tsv");
  EXPECT_EQ(picture_file_name("chr1:5-9 x/y"), "chr1_5-9_x_y");
  seqnn::test::TempDir dir;
  const std::string data = write_random_table(dir, 6, 20);
  seqnn::test::write_text(dir.file("t.fa"), ">a\nacgt\n");
  EXPECT_EQ(read_rna_fasta(dir.file("t.fa"))[0].sequence, "ACGU");
  seqnn::test::write_text(dir.file("empty.fa"), "");
  EXPECT_NE(seqnn::test::error_of([&] { read_rna_fasta(dir.file("empty.fa")); }).find("no sequences"), std::string::npos);
  S1Config cfg;
  cfg.filters = {4};
  cfg.widths = {3};
  cfg.hidden = {4};
  S1Model::create(cfg, 1).save(dir.file("m.pt"));
  RnaPredictRunOptions o;
  o.model = dir.file("m.pt");
  o.fasta = dir.file("data.fa");
  o.out = dir.file("pred.tsv");
  o.png_dir = dir.file("png");
  o.truth = data;
  o.progress = false;
  const RnaPredictRunResult r = predict_structure_files(o);
  EXPECT_EQ(r.sequences, 6);
  EXPECT_EQ(r.scored, 6);
  EXPECT_EQ(r.boxes_path, dir.file("pred.boxes.tsv"));
  EXPECT_EQ(split(seqnn::test::read_text(o.out), '\n').size(), 8u);  // header, 6 rows, final newline
  EXPECT_TRUE(seqnn::test::exists(dir.file("png/s5.png")));
  // The F1 of the run equals rna eval's on the written table.
  RnaEvalRunOptions ev;
  ev.truth = data;
  ev.pred = o.out;
  ev.progress = false;
  EXPECT_NEAR(evaluate_structure_files(ev).mean_f1, r.mean_f1, 1e-12);
  // The same structures as dot-bracket FASTA (by the extension) read back equal to the table's.
  o.out = dir.file("pred.db");
  o.png_dir.clear();
  predict_structure_files(o);
  const auto table = read_rna_table(dir.file("pred.tsv")), db = read_structures(o.out);
  ASSERT_EQ(db.size(), table.size());
  for (size_t k = 0; k < db.size(); ++k) EXPECT_EQ(db[k].structure.to_dot_bracket(), table[k].structure.to_dot_bracket()) << k;
  o.format = "ct";
  o.out = dir.file("pred.txt");
  predict_structure_files(o);
  EXPECT_EQ(seqnn::test::read_text(o.out).substr(0, 3), "20\t");
  o.format = "fasta";
  EXPECT_EQ(seqnn::test::error_of([&] { predict_structure_files(o); }),
            "--format: unknown structure format 'fasta' (expected tsv, dotbracket, bpseq or ct)");
}

// The three text formats written out by hand for GGAAAAACC paired as ((.....)).
TEST(RnaStructureFormats, DotBracketBpseqAndCtByHand) {
  const Structure s = Structure::from_dot_bracket("((.....))");
  EXPECT_EQ(format_structure("hp", "GGAAAAACC", s, StructureFormat::kDotBracket), ">hp\nGGAAAAACC\n((.....))\n");
  EXPECT_EQ(format_structure("hp", "GGAAAAACC", s, StructureFormat::kBpseq),
            "# hp\n1 G 9\n2 G 8\n3 A 0\n4 A 0\n5 A 0\n6 A 0\n7 A 0\n8 C 2\n9 C 1\n");
  EXPECT_EQ(format_structure("hp", "GGAAAAACC", s, StructureFormat::kCt),
            "9\thp\n1\tG\t0\t2\t9\t1\n2\tG\t1\t3\t8\t2\n3\tA\t2\t4\t0\t3\n4\tA\t3\t5\t0\t4\n5\tA\t4\t6\t0\t5\n"
            "6\tA\t5\t7\t0\t6\n7\tA\t6\t8\t0\t7\n8\tC\t7\t9\t2\t8\n9\tC\t8\t0\t1\t9\n");
  EXPECT_EQ(structure_format_for_path("a/b.bpseq"), StructureFormat::kBpseq);
  EXPECT_EQ(structure_format_for_path("a/b.ct"), StructureFormat::kCt);
  EXPECT_EQ(structure_format_for_path("a/b.tsv"), StructureFormat::kTsv);
  EXPECT_EQ(structure_format_for_path("a/b.fa"), StructureFormat::kDotBracket);
}

TEST(RnaCli, BadInputGivesOneLineErrors) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("bad.tsv"), "id\tsequence\tstructure\nr1\tGGGAAACCC\t(((...)))\nr2\tGGGAAACCC\t((..)\n");
  auto r = seqnn::test::run_cli("rna train -q --data " + dir.file("bad.tsv") + " --out " + dir.file("o"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "seqnn rna train: error: " + dir.file("bad.tsv") + ":3: unbalanced '(' at position 1\n");
  r = seqnn::test::run_cli("rna train -q --data " + dir.file("bad.tsv") + " --out " + dir.file("o") + " --num-filters 4,4 --filter-width 3");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("2 filter counts but 1 filter widths"), std::string::npos) << r.output;
  r = seqnn::test::run_cli("rna predict -q --model " + dir.file("none.pt") + " --fasta " + dir.file("bad.tsv") + " --out " + dir.file("p.tsv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(seqnn::test::exists(dir.file("p.tsv")));
}

TEST(RnaRealData, RnafoldBaselineF1OnArchiveII) {
  const std::string truth = seqnn::test::shared_data("rna/ArchiveII.csv");
  const std::string pred = seqnn::test::shared_data("rna/ArchiveII_RNAfold-2.7.1_mfe.txt");
  SKIP_WITHOUT_SHARED_DATA(truth);
  SKIP_WITHOUT_SHARED_DATA(pred);
  auto r = seqnn::test::run_cli("rna eval -q --truth " + truth + " --pred " + pred);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3375 structures"), std::string::npos) << r.output;
  // Independently: a Python loop over the same files gives 0.563031, 0.622142, 0.589007.
  EXPECT_NE(r.output.find("mean precision 0.5630, recall 0.6221, F1 0.5890"), std::string::npos) << r.output;
}

TEST(RnaRealData, Chr20TableParsesAndDecomposes) {
  const std::string path = seqnn::test::shared_data("rna/chr20_len64_mfefreq0.1.tsv.gz");
  SKIP_WITHOUT_SHARED_DATA(path);
  auto recs = read_rna_table(path, 500);
  ASSERT_EQ(recs.size(), 500u);
  int64_t stems = 0;
  for (const auto& r : recs) {
    EXPECT_EQ(r.sequence.size(), 64u);
    EXPECT_GE(r.structure.num_pairs(), 1);
    for (const auto& b : decompose(r.structure).boxes) stems += b.type == BoxType::kStem;
  }
  EXPECT_GT(stems, 500);
}

}  // namespace
}  // namespace seqnn::rna

TEST(RnaCli, EvalRefusesAPredictionOfAnotherSequence) {
  // Issue 15 B16: same id and length, different sequence: an F1 of such a pair means nothing.
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("t.csv"), "id,sequence,structure\nx,GGGAAACCC,(((...)))\n");
  seqnn::test::write_text(dir.file("p.fa"), ">x\nGGGAUACCC\n(((...)))\n");
  auto r = seqnn::test::run_cli("rna eval -q --truth " + dir.file("t.csv") + " --pred " + dir.file("p.fa"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("sequence of 'x' differs from the one in " + dir.file("t.csv") + " (first at position 5)"),
            std::string::npos)
      << r.output;
  seqnn::test::write_text(dir.file("same.fa"), ">x\nGGGAAACCC\n(((...)))\n");
  EXPECT_EQ(seqnn::test::run_cli("rna eval -q --truth " + dir.file("t.csv") + " --pred " + dir.file("same.fa")).exit_code, 0);
}
