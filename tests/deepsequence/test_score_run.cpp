// ds::score_mutations and its parts: the mutation table, Spearman over finite pairs, the focus
// check, VAE and independent-site scores, the output CSV and the skipped-mutant warnings.
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "deepsequence/toy_data.h"
#include "seqnn/deepsequence/alignment.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/deepsequence/mutation_table.h"
#include "seqnn/deepsequence/mutations.h"
#include "seqnn/deepsequence/score_run.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/training/metrics.h"
#include "seqnn/util/merge_shards.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::ds {
namespace {

struct ToyScoring {
  test::TempDir dir;
  std::string aln = dir.file("toy.a2m"), csv = dir.file("muts.csv"), model = dir.file("m.pt");
  ToyScoring() {
    test::write_text(aln, test_data::toy_alignment());
    test::write_text(csv, test_data::toy_mutations());
  }
  // An untrained model of the toy focus (random initial weights are enough to test the scoring).
  void write_model() const {
    const Alignment a = read_alignment(aln);
    Vae vae(VaeConfig::from_json(test_data::toy_config(), "toy"), a.length(), 7);
    save_checkpoint(model, vae, focus_of(a, 1.0), nullptr, false);
  }
  ScoreMutationsOptions options() const {
    ScoreMutationsOptions o;
    o.alignment = aln;
    o.mutations = csv;
    o.out = dir.file("scores.csv");
    o.progress = false;
    return o;
  }
};

TEST(DsMutationTable, ColumnsQuotesBlankLinesAndNumbers) {
  test::TempDir dir;
  const std::string path = dir.file("m.csv");
  test::write_text(path, "id,mutant,fit\n1,A6C,0.5\n\n2,\"A6C:D8E\",-2\n3,C7D,n/a\n4,F10W,\n");
  const MutationTable t = read_mutation_table(path, "mutant", "fit");
  EXPECT_EQ(t.mutants, (std::vector<std::string>{"A6C", "A6C:D8E", "C7D", "F10W"}));
  EXPECT_EQ(t.lines, (std::vector<int64_t>{2, 4, 5, 6}));
  EXPECT_DOUBLE_EQ(t.measured[1], -2.0);
  EXPECT_TRUE(std::isnan(t.measured[2]) && std::isnan(t.measured[3]));
  EXPECT_TRUE(std::isnan(read_mutation_table(path, "mutant", "").measured[0])) << "no value column asked";
  EXPECT_NE(test::error_of([&] { read_mutation_table(path, "variant", ""); }).find("m.csv:1: no column 'variant'"),
            std::string::npos);
  test::write_text(path, "mutant,fit\nA6C,1\nC7D\n");
  EXPECT_NE(test::error_of([&] { read_mutation_table(path, "mutant", "fit"); }).find("m.csv:3: 1 fields"), std::string::npos);
  test::write_text(path, "mutant,fit\n");
  EXPECT_NE(test::error_of([&] { read_mutation_table(path, "mutant", "fit"); }).find("no mutants"), std::string::npos);
}

TEST(DsScoreRun, SpearmanOverFinitePairsOnly) {
  const double nan = std::nan("");
  const Correlation c = spearman_of({1, 2, nan, 4, 5, 3}, {10, 20, 30, nan, 40, 5});
  EXPECT_EQ(c.n, 4);  // pairs 0, 1, 4, 5
  EXPECT_DOUBLE_EQ(c.rho, spearman({1, 2, 5, 3}, {10, 20, 40, 5}));
  EXPECT_DOUBLE_EQ(spearman_of({1, 2, 3}, {-1, -4, -9}).rho, -1.0);
}

TEST(DsFocus, ModelAndAlignmentMustShareTheFocus) {
  ToyScoring t;
  Alignment a = read_alignment(t.aln);
  const FocusInfo f = focus_of(a, 2.5);
  EXPECT_EQ(f.name, "TOY");
  EXPECT_EQ(f.column_of(6), 0);
  EXPECT_EQ(f.column_of(5), -1);
  EXPECT_DOUBLE_EQ(f.neff, 2.5);
  EXPECT_EQ(test::error_of([&] { check_same_focus(f, a); }), "no error");
  a.focus_sequence[3] = 'W';
  EXPECT_NE(test::error_of([&] { check_same_focus(f, a); }).find("toy.a2m: focus sequence TOY does not match"),
            std::string::npos);
}

TEST(DsScoreRun, IndependentSiteScoresCsvAndWarnings) {
  ToyScoring t;
  ScoreMutationsOptions o = t.options();
  o.independent = true;
  o.spearman_column = "fit";
  std::vector<std::string> warnings;
  o.warn = [&](const std::string& w) { warnings.push_back(w); };
  const ScoreMutationsResult r = score_mutations(o);
  ASSERT_EQ(r.mutants.size(), 7u);
  EXPECT_EQ(r.skipped, 3);
  EXPECT_TRUE(r.deepseq.empty());
  EXPECT_EQ(r.elbos, 0);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0], "skipping " + t.csv + ":5 G6A: wild type at 6 is A, not G");
  const Alignment a = read_alignment(t.aln);
  const at::Tensor codes = encode_codes(a.sequences);
  const IndependentSiteModel site(codes, sequence_weights(codes), 1.0);
  EXPECT_DOUBLE_EQ(r.independent[2], site.score(r.mutants[2], a.focus_sequence));
  EXPECT_TRUE(std::isnan(r.independent[3]));
  EXPECT_EQ(r.rho_independent.n, 3) << "F10W has no number";
  const std::vector<std::string> rows = split(test::read_text(o.out), '\n');
  EXPECT_EQ(rows[0], "mutant,independent,note");
  EXPECT_EQ(rows[4], "G6A,,wild type at 6 is A, not G");
  EXPECT_EQ(test::read_text(o.out), mutation_scores_csv(r));
}

TEST(DsScoreRun, VaeScoresAreElboDifferencesFromTheWildType) {
  ToyScoring t;
  t.write_model();
  ScoreMutationsOptions o = t.options();
  o.model = t.model;
  o.samples = 3;
  o.seed = 5;
  const ScoreMutationsResult r = score_mutations(o);
  EXPECT_TRUE(r.independent.empty());
  EXPECT_EQ(r.elbos, 5 * 3) << "wild type and 4 mutants, 3 draws each";
  const Checkpoint ck = load_checkpoint(t.model);
  std::vector<std::string> seqs = {ck.focus.sequence};
  for (const Mutant& m : r.mutants) {
    if (m.ok()) seqs.push_back(apply_mutant(m, ck.focus.sequence));
  }
  ElboOptions eo;
  eo.samples = 3;
  eo.seed = 5;
  const at::Tensor elbo = mean_elbo(*ck.model, seqs, eo);
  EXPECT_DOUBLE_EQ(r.deepseq[0], elbo[1].item<double>() - elbo[0].item<double>());
  EXPECT_DOUBLE_EQ(r.deepseq[6], elbo[4].item<double>() - elbo[0].item<double>()) << "F10W, the 4th placeable";
  EXPECT_TRUE(std::isnan(r.deepseq[4]));
  EXPECT_EQ(split(test::read_text(o.out), '\n')[0], "mutant,deepseq,note");
  o.alignment.clear();  // the model alone places the mutants
  EXPECT_EQ(score_mutations(o).deepseq[0], r.deepseq[0]);
  o.model.clear();
  EXPECT_NE(test::error_of([&] { score_mutations(o); }).find("give a model"), std::string::npos);
}

// `deepseq score --shard`: 21 rows (the toy table three times: 12 placeable, 9 not), 13 ELBO
// sequences in batches of 2 over 3 shards; every shard's rows are the unsharded run's rows to
// the bit (shards after the first evaluate the wild type's batch too) and merge gives its CSV.
TEST(DsScoreRun, ShardsOfWholeBatchesMergeToTheUnshardedCsv) {
  ToyScoring t;
  t.write_model();
  const std::string rows = std::string(test_data::toy_mutations()).substr(std::string("mutant,fit\n").size());
  test::write_text(t.csv, "mutant,fit\n" + rows + rows + rows);
  ScoreMutationsOptions o = t.options();
  o.model = t.model;
  o.independent = true;
  o.samples = 3;
  o.batch_size = 2;
  o.seed = 11;
  const ScoreMutationsResult whole = score_mutations(o);
  ASSERT_EQ(whole.mutants.size(), 21u);
  std::vector<std::string> outs;
  int64_t next_row = 0, elbos = 0;
  for (int64_t i = 0; i < 3; ++i) {
    ScoreMutationsOptions so = o;
    so.shard = {i, 3};
    so.out = t.dir.file("s" + std::to_string(i) + ".csv");
    const ScoreMutationsResult part = score_mutations(so);
    EXPECT_EQ(part.first_row, next_row);
    EXPECT_EQ(part.table_rows, 21);
    for (size_t k = 0; k < part.mutants.size(); ++k) {
      const size_t row = static_cast<size_t>(part.first_row) + k;
      EXPECT_EQ(part.mutants[k].text, whole.mutants[row].text);
      if (part.mutants[k].ok()) {
        EXPECT_EQ(part.deepseq[k], whole.deepseq[row]) << "row " << row << " of shard " << i;
      }
    }
    next_row += static_cast<int64_t>(part.mutants.size());
    elbos += part.elbos;
    outs.push_back(so.out);
  }
  EXPECT_EQ(next_row, 21);
  EXPECT_EQ(elbos, whole.elbos + 2 * 2 * 3) << "shards 1 and 2 evaluate the wild type's batch of 2 as well";
  const MergeResult m = merge_shards({outs[2], outs[0], outs[1]}, t.dir.file("m.csv"));
  EXPECT_EQ(m.command, "deepseq score");
  EXPECT_EQ(test::read_text(t.dir.file("m.csv")), test::read_text(o.out));
  ScoreMutationsOptions too_many = o;
  too_many.shard = {0, 8};
  EXPECT_NE(test::error_of([&] { score_mutations(too_many); }).find("shard 0/8 is empty"), std::string::npos);
}

}  // namespace

TEST(DsMutations, ASiteMutatedTwiceIsAProblemNotAScore) {
  // Issue 15 B15: V2A:V2C names two residues at one site.
  const FocusInfo focus{"X", 1, "MVK", {1, 2, 3}, 1.0};
  EXPECT_EQ(parse_mutant("V2A:V2C", focus).problem, "position 2 is mutated more than once");
  EXPECT_EQ(parse_mutant("V2A:V2A", focus).problem, "position 2 is mutated more than once");
  const Mutant ok = parse_mutant("M1A:V2C", focus);
  EXPECT_TRUE(ok.problem.empty()) << ok.problem;
  EXPECT_EQ(ok.changes.size(), 2u);
}

}  // namespace seqnn::ds
