// `seqnn seqlets` on a simulated DNA map with a planted motif on both strands: the seqlets'
// letters, the top pattern and its TOMTOM match (strand and all); bad input in one line.
#include <torch/torch.h>

#include <random>
#include <sstream>

#include "seqnn/attribution/meme.h"
#include "seqnn/attribution/seqlets_run.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::read_text;
using seqnn::test::run_cli;
using seqnn::test::TempDir;
using seqnn::test::write_text;

namespace {

std::string seqlets_reverse_complement(std::string s) {
  std::reverse(s.begin(), s.end());
  for (char& c : s) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
  return s;
}

// n random DNA sequences of length l with `word` planted (every other one on the reverse
// strand); their FASTA and a map that is +1 at the planted letters, small noise elsewhere.
struct PlantedMaps {
  std::vector<std::string> seqs;
  std::vector<int64_t> at;
};

PlantedMaps write_planted(const std::string& fasta, const std::string& npy, const std::string& word, int64_t n, int64_t l,
                          uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.03);
  PlantedMaps p;
  std::string text;
  at::Tensor maps = torch::zeros({n, 4, l});
  const std::string acgt = "ACGT";
  for (int64_t i = 0; i < n; ++i) {
    std::string s;
    for (int64_t j = 0; j < l; ++j) s += acgt[rng() % 4];
    const int64_t at = 5 + static_cast<int64_t>(rng() % static_cast<uint64_t>(l - 10 - static_cast<int64_t>(word.size())));
    s.replace(static_cast<size_t>(at), word.size(), i % 2 ? seqlets_reverse_complement(word) : word);
    for (int64_t j = 0; j < l; ++j) {
      const bool planted = j >= at && j < at + static_cast<int64_t>(word.size());
      maps[i][static_cast<int64_t>(acgt.find(s[static_cast<size_t>(j)]))][j] = planted ? 1.0 + noise(rng) : noise(rng);
    }
    text += ">s" + std::to_string(i) + "\n" + s + "\n";
    p.seqs.push_back(s);
    p.at.push_back(at);
  }
  write_text(fasta, text);
  save_npy(npy, maps);
  return p;
}

std::string motif_file_with(const std::string& word, int decoys, uint64_t seed) {
  MotifFile f;
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> g(0.3, 1.0);
  for (int d = 0; d < decoys; ++d) {
    Motif m;
    m.id = "DECOY" + std::to_string(d);
    for (int j = 0; j < 8; ++j) {
      std::vector<double> c(4);
      double s = 0;
      for (double& v : c) s += (v = g(rng) + 1e-3);
      for (double& v : c) v /= s;
      m.columns.push_back(c);
    }
    f.motifs.push_back(m);
  }
  Motif plant;
  plant.id = "PLANT";
  plant.name = "planted";
  for (char c : word) {
    std::vector<double> col(4, 0.01);
    col[std::string("ACGT").find(c)] = 0.97;
    plant.columns.push_back(col);
  }
  f.motifs.insert(f.motifs.begin() + decoys / 2, plant);
  f.strands = "+ -";
  f.background = {0.25, 0.25, 0.25, 0.25};
  return format_meme(f);
}

std::vector<std::vector<std::string>> tsv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST(SeqletsCli, PlantedDnaMotifIsFoundAndMatchedOnItsStrand) {
  TempDir dir;
  const std::string word = "GATTACAG";
  const PlantedMaps p = write_planted(dir.file("s.fa"), dir.file("a.npy"), word, 40, 80, 4);
  write_text(dir.file("m.meme"), motif_file_with(word, 30, 9));
  const auto r = run_cli("seqlets --attributions " + dir.file("a.npy") + " -f " + dir.file("s.fa") + " --motifs " + dir.file("m.meme") +
                         " -o " + dir.file("seqlets.tsv") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("best motif PLANT planted"), std::string::npos) << r.output;

  const auto rows = tsv_rows(read_text(dir.file("seqlets.tsv")));
  ASSERT_GE(rows.size(), 41u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"example_idx", "name", "start", "end", "attribution", "p-value", "sequence", "pattern"}));
  int on_plant = 0;
  for (size_t k = 1; k < rows.size(); ++k) {
    const int64_t i = std::stoll(rows[k][0]), start = std::stoll(rows[k][2]), end = std::stoll(rows[k][3]);
    EXPECT_EQ(rows[k][1], "s" + std::to_string(i));
    EXPECT_EQ(rows[k][6], p.seqs[static_cast<size_t>(i)].substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
    const int64_t a = p.at[static_cast<size_t>(i)];
    if (std::min<int64_t>(end, a + 8) - std::max(start, a) >= 6) {
      ++on_plant;
      EXPECT_EQ(rows[k][7], "pattern_1") << rows[k][6];
    }
  }
  EXPECT_EQ(on_plant, 40);

  const auto pats = tsv_rows(read_text(dir.file("seqlets.patterns.tsv")));
  ASSERT_GE(pats.size(), 2u);
  EXPECT_EQ(pats[0], (std::vector<std::string>{"pattern", "seqlets", "fraction", "seed", "consensus", "width", "motif", "motif_name",
                                               "motif_consensus", "offset", "strand", "overlap", "p-value", "E-value", "q-value"}));
  const auto& top = pats[1];
  EXPECT_EQ(top[0], "pattern_1");
  EXPECT_GE(std::stoi(top[1]), 40);
  EXPECT_EQ(top[6], "PLANT");
  const bool forward = top[4].find(word) != std::string::npos;
  const bool reverse = top[4].find(seqlets_reverse_complement(word)) != std::string::npos;
  ASSERT_TRUE(forward || reverse) << top[4];
  EXPECT_EQ(top[10], forward ? "+" : "-");
  EXPECT_EQ(top[8], forward ? word : seqlets_reverse_complement(word));
  EXPECT_LT(std::stod(top[14]), 0.01);
  // The patterns' matrices are a MEME file that reads back.
  const MotifFile back = read_meme(dir.file("seqlets.patterns.meme"));
  EXPECT_EQ(back.motifs[0].id, "pattern_1");
  EXPECT_EQ(back.motifs[0].nsites, std::stod(top[1]));
  // Without a FASTA: seqlets only, summed over the alphabet (the same calls, as the map is masked).
  const auto bare = run_cli("seqlets --attributions " + dir.file("a.npy") + " -o " + dir.file("bare.tsv") + " -q");
  ASSERT_EQ(bare.exit_code, 0) << bare.output;
  EXPECT_EQ(tsv_rows(read_text(dir.file("bare.tsv"))).size(), rows.size());
  EXPECT_FALSE(seqnn::test::exists(dir.file("bare.patterns.tsv")));
  // The logo report: a row per pattern, its logo beside its best match's.
  const auto logos = run_cli("seqlets --attributions " + dir.file("a.npy") + " -f " + dir.file("s.fa") + " --motifs " + dir.file("m.meme") +
                             " --logos " + dir.file("report.svg") + " -o " + dir.file("l.tsv") + " -q");
  ASSERT_EQ(logos.exit_code, 0) << logos.output;
  const std::string svg = read_text(dir.file("report.svg"));
  EXPECT_NE(svg.find(">pattern_1 " + top[4] + " (" + top[1] + " seqlets)</text>"), std::string::npos) << svg.substr(0, 2000);
  EXPECT_NE(svg.find(">best match PLANT planted (" + top[10]), std::string::npos);
  EXPECT_EQ(read_text(dir.file("l.tsv")), read_text(dir.file("seqlets.tsv")));
  const auto bad = run_cli("seqlets --attributions " + dir.file("a.npy") + " -f " + dir.file("s.fa") + " --logos " + dir.file("r.png") +
                           " -o " + dir.file("m.tsv") + " -q");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("the report is an .svg file"), std::string::npos) << bad.output;
  EXPECT_FALSE(seqnn::test::exists(dir.file("m.tsv")));
}

TEST(SeqletsCli, BadInputIsOneLine) {
  TempDir dir;
  write_planted(dir.file("s.fa"), dir.file("a.npy"), "GATTACAG", 6, 40, 1);
  write_planted(dir.file("t.fa"), dir.file("b.npy"), "GATTACAG", 5, 40, 1);
  write_text(dir.file("bad.meme"), "MEME version 4\nMOTIF A\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 0\n");
  auto r = run_cli("seqlets --attributions " + dir.file("a.npy") + " -f " + dir.file("t.fa") + " -o " + dir.file("o.tsv"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("seqnn seqlets: error: " + dir.file("t.fa") + ": has 5 records but the attribution file has 6 maps"),
            std::string::npos)
      << r.output;
  r = run_cli("seqlets --attributions " + dir.file("a.npy") + " -f " + dir.file("s.fa") + " --motifs " + dir.file("bad.meme") + " -o " +
              dir.file("o.tsv"));
  EXPECT_NE(r.output.find(dir.file("bad.meme") + ":4: motif A: matrix row sums to 1.5, not 1"), std::string::npos) << r.output;
  r = run_cli("seqlets --attributions " + dir.file("a.npy") + " --motifs " + dir.file("bad.meme") + " -o " + dir.file("o.tsv"));
  EXPECT_NE(r.output.find("--motifs needs --fasta"), std::string::npos) << r.output;
  r = run_cli("seqlets --attributions " + dir.file("a.npy") + " -f " + dir.file("s.fa") + " --alphabet protein -o " + dir.file("o.tsv"));
  EXPECT_NE(r.output.find("maps have 4 rows per position but the protein alphabet has 20 letters"), std::string::npos) << r.output;
  EXPECT_FALSE(seqnn::test::exists(dir.file("o.tsv")));
  r = run_cli("seqlets --attributions " + dir.file("a.npy") + " --min-seqlet-len 6 --max-seqlet-len 5 -o " + dir.file("o.tsv"));
  EXPECT_NE(r.output.find("seqlets: max_seqlet_len must be >= min_seqlet_len"), std::string::npos) << r.output;
}
