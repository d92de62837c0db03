// seqnn marginalize | ablate | space | design with the shipped PUM2 model: the Pumilio element
// UGUAHAUA raises P(bound) on random backgrounds and a control motif does not, two copies work
// best close together, design writes UGUA-like sites, and bad motifs, backgrounds and regions
// are one line naming the flag.
#include <gtest/gtest.h>

#include <map>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/strings.h"
#include "test_helpers.h"

namespace seqnn::test {
namespace {

std::vector<std::vector<std::string>> rows_of(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : split(read_text(path), '\n')) {
    if (!line.empty()) rows.push_back(split(line, '\t'));
  }
  return rows;
}

// Mean of column `col` per value of column `key` (header skipped).
std::map<std::string, double> mean_by(const std::vector<std::vector<std::string>>& rows, size_t key, size_t col) {
  std::map<std::string, double> sum;
  std::map<std::string, int> n;
  for (size_t i = 1; i < rows.size(); ++i) {
    sum[rows[i][key]] += std::stod(rows[i][col]);
    ++n[rows[i][key]];
  }
  for (auto& [k, v] : sum) v /= n[k];
  return sum;
}

class ExperimentsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string fa;
    const auto seqs = random_sequences(12, 200, Alphabet::rna(), 31);
    for (size_t i = 0; i < seqs.size(); ++i) fa += ">r" + std::to_string(i) + "\n" + seqs[i] + "\n";
    write_text(dir.file("bg.fa"), fa);
  }
  std::string run(const std::string& command, const std::string& out) {
    const auto r = run_cli(command + " -m rbp/pum2 -f " + dir.file("bg.fa") + " -o " + dir.file(out) + " --threads 1 -q");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
  }
  TempDir dir;
};

TEST_F(ExperimentsCli, ThePumilioElementRaisesPum2BindingAndAControlDoesNot) {
  const std::string summary =
      run("marginalize --motif UGUAAAUA --motif " + fixture("motifs/rbp_iupac.meme") + ":PUM --motif ACGCGUCA --backgrounds shuffle:3",
          "m.tsv");
  const auto rows = rows_of(dir.file("m.tsv"));
  ASSERT_EQ(rows[0], (std::vector<std::string>{"name", "background", "motif", "start", "before.label", "after.label", "diff.label"}));
  ASSERT_EQ(rows.size(), 1u + 12 * 3 * 3);
  EXPECT_EQ(rows[1][1], "shuffle_1");
  EXPECT_EQ(rows[1][3], "96");  // centred: (200 - 8) / 2
  const auto diff = mean_by(rows, 2, 6);
  EXPECT_GT(diff.at("UGUAAAUA"), 0.3) << summary;
  EXPECT_GT(diff.at("PUM"), 0.3) << summary;  // letters drawn from UGUAHAUA
  EXPECT_LT(diff.at("ACGCGUCA"), 0.1) << summary;
  EXPECT_NE(summary.find("mean after - before of label: UGUAAAUA "), std::string::npos) << summary;
  // The same seed gives the same file.
  run("marginalize --motif UGUAAAUA --motif " + fixture("motifs/rbp_iupac.meme") + ":PUM --motif ACGCGUCA --backgrounds shuffle:3",
      "m2.tsv");
  EXPECT_EQ(read_text(dir.file("m.tsv")), read_text(dir.file("m2.tsv")));
}

TEST_F(ExperimentsCli, AblatingAnInsertedSiteTakesTheGainAwayAndSpacingMatters) {
  // Backgrounds with a PUM site at 96..104, then that region shuffled.
  std::string fa;
  const auto seqs = random_sequences(12, 200, Alphabet::rna(), 31);
  for (size_t i = 0; i < seqs.size(); ++i) {
    std::string s = seqs[i];
    s.replace(96, 8, "UGUAAAUA");
    fa += ">p" + std::to_string(i) + "\n" + s + "\n";
  }
  write_text(dir.file("sites.fa"), fa);
  auto r = run_cli("ablate -m rbp/pum2 -f " + dir.file("sites.fa") + " --start 90 --end 110 --shuffles 6 -o " + dir.file("a.tsv") +
                   " --threads 1 -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = rows_of(dir.file("a.tsv"));
  ASSERT_EQ(rows.size(), 13u);
  EXPECT_EQ(rows[0][7], "diff.label");
  EXPECT_LT(mean_by(rows, 2, 7).at("90"), -0.2) << r.output;
  run("space --motif UGUAAAUA --motif UGUAAAUA --spacing 0,60", "s.tsv");
  const auto by_spacing = mean_by(rows_of(dir.file("s.tsv")), 2, 5);
  ASSERT_EQ(by_spacing.size(), 2u);
  EXPECT_GT(by_spacing.at("0"), 0.3);
}

TEST_F(ExperimentsCli, DesignRaisesTheScoreWithTheEditsItLists) {
  const std::string summary = run("design --iterations 3 --start 80 --end 120", "d.tsv");
  const auto rows = rows_of(dir.file("d.tsv"));
  ASSERT_EQ(rows.size(), 13u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"name", "background", "initial", "final", "edits", "changes", "scores", "designed"}));
  const auto seqs = random_sequences(12, 200, Alphabet::rna(), 31);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_GT(std::stod(rows[i][3]), std::stod(rows[i][2])) << rows[i][0];
    const auto changes = split(rows[i][5], ',');
    EXPECT_EQ(std::to_string(changes.size()), rows[i][4]);
    std::string edited = seqs[i - 1];
    for (const std::string& c : changes) {  // "97:G>U", 1-based
      const size_t colon = c.find(':');
      const size_t pos = std::stoul(c.substr(0, colon)) - 1;
      EXPECT_GE(pos, 80u);
      EXPECT_LT(pos, 120u);
      EXPECT_EQ(edited[pos], c[colon + 1]) << c;
      edited[pos] = c[colon + 3];
    }
    EXPECT_EQ(rows[i][7], edited);
  }
  EXPECT_NE(summary.find("mean score (label)"), std::string::npos) << summary;
}

TEST_F(ExperimentsCli, BadMotifsBackgroundsAndRegionsAreOneLine) {
  const std::string base = " -m rbp/pum2 -f " + dir.file("bg.fa") + " -o " + dir.file("x.tsv") + " -q";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"marginalize --motif UGUA1AUA" + base, "--motif UGUA1AUA"},
      {"marginalize --motif " + fixture("motifs/rbp_iupac.meme") + ":NOSUCH" + base, "no motif with id or name 'NOSUCH'"},
      {"marginalize --motif UGUAAAUA --backgrounds shuffle:0" + base, "--backgrounds shuffle:0"},
      {"marginalize --motif UGUAAAUA --start 195" + base, "does not fit inside sequences of length 200"},
      {"ablate --start 150 --end 100" + base, "--start 150 --end 100"},
      {"space --motif UGUAAAUA --spacing 0" + base, "space needs two motifs"},
      {"design --goal value --start 10 --end 500" + base, "--end 500"},
  };
  for (const auto& [args, needle] : cases) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << args << "\n" << r.output;
    EXPECT_FALSE(exists(dir.file("x.tsv"))) << args;
    EXPECT_FALSE(exists(dir.file("x.tsv.partial"))) << args;
  }
}

}  // namespace
}  // namespace seqnn::test
