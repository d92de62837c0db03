// Real data (skipped without ../shared/data): DeepLIFT/SHAP maps of the shipped PUM2 model on
// PUM2 CLIP sites give seqlets whose top pattern is the PUM motif UGUA[AUC]AUA, and agree with
// ISM maps; a JASPAR motif planted in a simulated DNA map is matched to itself.
#include <torch/torch.h>

#include <random>
#include <regex>

#include "seqnn/attribution/attribution.h"
#include "seqnn/attribution/meme.h"
#include "seqnn/attribution/seqlet_patterns.h"
#include "seqnn/attribution/seqlets.h"
#include "seqnn/attribution/seqlets_run.h"
#include "seqnn/models/model.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::shared_data;
using seqnn::test::TempDir;
using seqnn::test::write_text;

namespace {

std::vector<std::string> first_sequences(const std::string& path, size_t n) {
  FastaReader reader(path);
  FastaRecord r;
  std::vector<std::string> out;
  while (out.size() < n && reader.next(r)) out.push_back(r.sequence);
  return out;
}

// (N, A, L) map times the one-hot (N, A, L), summed over the alphabet -> N * L values.
std::vector<double> rbp_projected(const at::Tensor& map, const at::Tensor& x) {
  const at::Tensor p = (map.to(at::kDouble) * x.to(at::kDouble)).sum(1).contiguous();
  return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
}

double rbp_pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(a.size());
  mb /= static_cast<double>(b.size());
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

struct RbpCheck {
  std::string top;       // consensus of the most frequent pattern
  std::string best;      // its best TOMTOM match among JASPAR (read as RNA) and PUM, QKI, NOVA
  int64_t top_seqlets = 0;
  double pearson = 0;    // ISM vs DeepLIFT/SHAP, over positions
  int64_t seqlets = 0;
};

// The first n positive test sequences of a protein through attribute (DeepLIFT/SHAP and ISM)
// and seqlets, as `seqnn attribute` and `seqnn seqlets` run them.
RbpCheck check_rbp(const std::string& protein, size_t n) {
  const std::string fasta = shared_data("dna/rbp_clip/" + protein + ".test.positive.fasta");
  const auto seqs = first_sequences(fasta, n);
  const at::Tensor x = one_hot_encode(seqs, Alphabet::rna());
  Model model = Model::load("rbp/" + protein);
  AttributionOptions o;
  o.method = AttributionMethod::kDeepLiftShap;
  const at::Tensor dl = attribute(model, x, {}, o).attributions;
  o.method = AttributionMethod::kIsm;
  const at::Tensor ism = attribute(model, x, {}, o).attributions;
  RbpCheck r;
  r.pearson = rbp_pearson(rbp_projected(dl, x), rbp_projected(ism, x));

  TempDir dir;
  std::string text;
  for (size_t i = 0; i < seqs.size(); ++i) text += ">s" + std::to_string(i) + "\n" + seqs[i] + "\n";
  write_text(dir.file("s.fa"), text);
  save_npy(dir.file("dl.npy"), dl);
  MotifFile db = read_meme(shared_data("motifs/jaspar2024_consensus.meme"));
  db.letters = "ACGU";  // JASPAR's DNA motifs with U for T, on the RNA's strand
  db.strands = "+";
  for (const Motif& m : read_meme(seqnn::test::fixture("motifs/rbp_iupac.meme")).motifs) db.motifs.push_back(m);
  write_meme(dir.file("db.meme"), db);
  SeqletRequest req;
  req.attributions = dir.file("dl.npy");
  req.fasta = dir.file("s.fa");
  req.motifs = dir.file("db.meme");
  req.out = dir.file("seqlets.tsv");
  req.patterns.min_seqlets = 3;
  const SeqletRunResult res = call_seqlets_file(req);
  r.seqlets = res.seqlets;
  if (!res.patterns.empty()) {
    r.top = res.patterns[0].consensus;
    r.best = res.patterns[0].motif_id;
    r.top_seqlets = res.patterns[0].seqlets;
  }
  return r;
}

}  // namespace

TEST(SeqletsRealData, Pum2DeepLiftSeqletsRecoverThePumMotif) {
  SKIP_WITHOUT_SHARED_DATA(shared_data("dna/rbp_clip/pum2.test.positive.fasta"));
  const RbpCheck r = check_rbp("pum2", 48);
  EXPECT_GE(r.seqlets, 30);
  EXPECT_GE(r.top_seqlets, 15);
  EXPECT_TRUE(std::regex_search(r.top, std::regex("UGUA[AUC]A"))) << r.top;
  EXPECT_EQ(r.best, "PUM") << r.top;
  EXPECT_GT(r.pearson, 0.6);
}

TEST(SeqletsRealData, QkiDeepLiftSeqletsRecoverTheQkiMotif) {
  SKIP_WITHOUT_SHARED_DATA(shared_data("dna/rbp_clip/qki.test.positive.fasta"));
  const RbpCheck r = check_rbp("qki", 48);
  EXPECT_TRUE(std::regex_search(r.top, std::regex("ACUAA"))) << r.top;
  EXPECT_EQ(r.best, "QKI") << r.top;
  EXPECT_GT(r.pearson, 0.5);
}

TEST(SeqletsRealData, PlantedJasparMotifMatchesItself) {
  const std::string jaspar = shared_data("motifs/jaspar2024_consensus.meme");
  SKIP_WITHOUT_SHARED_DATA(jaspar);
  const MotifFile db = read_meme(jaspar);
  const Motif& planted = db.motifs[1];  // C002:CREB_XBP1:bZIP, 9 columns
  TempDir dir;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 0.03);
  const int64_t n = 60, l = 100;
  at::Tensor maps = torch::zeros({n, 4, l});
  std::string fasta;
  const std::string acgt = "ACGT";
  for (int64_t i = 0; i < n; ++i) {
    std::string s;
    for (int64_t j = 0; j < l; ++j) s += acgt[rng() % 4];
    const int64_t at = 10 + static_cast<int64_t>(rng() % 70);
    for (int64_t j = 0; j < planted.width(); ++j) {  // letters drawn from the motif's columns
      double r = u(rng);
      size_t a = 0;
      while (a < 3 && r > planted.columns[static_cast<size_t>(j)][a]) r -= planted.columns[static_cast<size_t>(j)][a++];
      s[static_cast<size_t>(at + j)] = acgt[a];
    }
    for (int64_t j = 0; j < l; ++j) {
      const bool in = j >= at && j < at + planted.width();
      maps[i][static_cast<int64_t>(acgt.find(s[static_cast<size_t>(j)]))][j] = in ? 1.0 + noise(rng) : noise(rng);
    }
    fasta += ">d" + std::to_string(i) + "\n" + s + "\n";
  }
  write_text(dir.file("d.fa"), fasta);
  save_npy(dir.file("d.npy"), maps);
  SeqletRequest req;
  req.attributions = dir.file("d.npy");
  req.fasta = dir.file("d.fa");
  req.motifs = jaspar;
  req.out = dir.file("d.tsv");
  const SeqletRunResult res = call_seqlets_file(req);
  ASSERT_FALSE(res.patterns.empty());
  EXPECT_GE(res.patterns[0].seqlets, 40);
  EXPECT_EQ(res.patterns[0].motif_id, planted.id) << res.patterns[0].consensus;
  EXPECT_LT(res.patterns[0].q_value, 0.05);
}
