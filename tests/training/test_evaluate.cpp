// seqnn evaluate: a trained model's metrics on labelled data, against a brute-force auROC of the
// same model's predictions (every positive-negative pair), and its errors.
#include <map>

#include "seqnn/inference/predict.h"
#include "seqnn/models/model.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/training/evaluate_run.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

const std::string kPum2 = std::string(SEQNN_SOURCE_DIR) + "/models/rbp/pum2.pt";

// The fixture's records split by their CLIP label: the strongest site and the 3rd test positive
// of each protein are positives (records 0, 1, 3, 5), the negatives are records 2, 4, 6.
void write_labelled_fastas(const test::TempDir& dir, std::vector<std::string>& pos, std::vector<std::string>& neg) {
  FastaReader reader(test::fixture("shipped/rbp_sequences.fa"));
  FastaRecord r;
  std::string p, n;
  for (int i = 0; reader.next(r); ++i) {
    const bool positive = i == 0 || i % 2 == 1;
    (positive ? p : n) += ">" + r.name + "\n" + r.sequence + "\n";
    (positive ? pos : neg).push_back(r.sequence);
  }
  test::write_text(dir.file("pos.fa"), p);
  test::write_text(dir.file("neg.fa"), n);
}

double brute_force_auroc(const std::vector<double>& pos, const std::vector<double>& neg) {
  double wins = 0;
  for (double a : pos) for (double b : neg) wins += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
  return wins / static_cast<double>(pos.size() * neg.size());
}

TEST(Evaluate, AurocEqualsTheBruteForcePairCountOfTheModelsPredictions) {
  test::TempDir dir;
  std::vector<std::string> pos, neg;
  write_labelled_fastas(dir, pos, neg);
  Model m = Model::load(kPum2);
  auto scores = [&](const std::vector<std::string>& seqs) {
    std::vector<double> s;
    for (const auto& q : seqs) s.push_back(predict(m, one_hot_encode(q, Alphabet::rna()).unsqueeze(0)).tensor().item<double>());
    return s;
  };
  const double expected = brute_force_auroc(scores(pos), scores(neg));

  EvaluateRequest req;
  req.model = kPum2;
  req.data_settings_json = "{\"positives\": \"" + dir.file("pos.fa") + "\", \"negatives\": \"" + dir.file("neg.fa") + "\"}";
  req.out = dir.file("pred.tsv");
  const EvaluateResult r = run_evaluate(req);
  EXPECT_EQ(r.rows, 7);
  std::map<std::string, double> got(r.metrics.begin(), r.metrics.end());
  EXPECT_NEAR(got.at("label.auroc"), expected, 1e-12);
  EXPECT_NE(test::read_text(req.out).find("id\tlabel.target\tlabel.prediction\n"), std::string::npos);

  auto cli = test::run_cli("evaluate --model rbp/pum2 --positives " + dir.file("pos.fa") + " --negatives " + dir.file("neg.fa"));
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  char text[64];
  std::snprintf(text, sizeof(text), "label.auroc=%.4f", expected);
  EXPECT_NE(cli.output.find(text), std::string::npos) << cli.output;
}

TEST(Evaluate, DataThatDoNotFitTheModelAreRefused) {
  test::TempDir dir;
  test::write_text(dir.file("long.fa"), ">a\n" + std::string(250, 'A') + "\n");
  test::write_text(dir.file("short.fa"), ">b\n" + std::string(200, 'C') + "\n");
  auto r = test::run_cli("evaluate --model " + kPum2 + " --positives " + dir.file("long.fa") + " --negatives " + dir.file("short.fa"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("250 letters is longer than the model's input (200)"), std::string::npos) << r.output;
  test::write_text(dir.file("short2.fa"), ">c\n" + std::string(200, 'G') + "\n");
  test::write_text(dir.file("short3.fa"), ">d\n" + std::string(200, 'T') + "\n");
  r = test::run_cli("evaluate --model " + kPum2 + " --class-fasta " + dir.file("short.fa") + " " + dir.file("short2.fa") + " " +
                    dir.file("short3.fa"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("the model has 1 outputs, but"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seqnn
