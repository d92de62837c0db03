// The trained models in models/: listed from their cards, found by name, and reproducing the
// predictions recorded when they were trained (tests/fixtures/shipped/make_references.sh).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "seqnn/attribution/logo.h"
#include "seqnn/inference/predict.h"
#include "seqnn/models/model.h"
#include "seqnn/models/shipped_models.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

namespace fs = std::filesystem;
const std::string kModels = std::string(SEQNN_SOURCE_DIR) + "/models";

std::map<std::string, std::string> fixture_sequences() {
  std::map<std::string, std::string> seqs;
  FastaReader reader(test::fixture("shipped/rbp_sequences.fa"));
  FastaRecord r;
  while (reader.next(r)) seqs[r.name] = r.sequence;
  return seqs;
}

TEST(ShippedModels, EveryModelFileHasACardAndEveryCardItsFile) {
  const auto models = shipped_models(kModels);
  std::set<std::string> listed;
  for (const auto& m : models) {
    listed.insert(fs::weakly_canonical(m.path).string());
    EXPECT_FALSE(m.task.empty() || m.input.empty() || m.outputs.empty() || m.metrics.empty()) << m.name;
    EXPECT_LE(fs::file_size(m.path), 5u * 1024 * 1024) << m.name << ": a shipped model is at most 5 MB";
  }
  uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(kModels)) {
    if (e.path().extension() != ".pt") continue;
    total += e.file_size();
    EXPECT_TRUE(listed.count(fs::weakly_canonical(e.path()).string())) << e.path() << " has no model card";
  }
  EXPECT_LE(total, 20u * 1024 * 1024) << "shipped models are at most 20 MB in all";
  for (const char* name : {"rbp/pum2", "rbp/qki", "rbp/nova"}) {
    EXPECT_TRUE(std::any_of(models.begin(), models.end(), [&](const auto& m) { return m.name == name; })) << name;
  }
}

TEST(ShippedModels, NamesResolveToFilesAndPathsPassThrough) {
  setenv("SEQNN_MODELS", kModels.c_str(), 1);
  EXPECT_EQ(fs::weakly_canonical(resolve_model_path("rbp/pum2")), fs::weakly_canonical(kModels + "/rbp/pum2.pt"));
  const std::string file = test::fixture("shipped/rbp_sequences.fa");
  EXPECT_EQ(resolve_model_path(file), file);
  const std::string e = test::error_of([] { resolve_model_path("rbp/no_such_protein"); });
  EXPECT_NE(e.find("rbp/no_such_protein: no such model file"), std::string::npos) << e;
  EXPECT_NE(e.find("rbp/pum2"), std::string::npos) << "the error lists the shipped names: " << e;
  unsetenv("SEQNN_MODELS");
}

TEST(ShippedModels, ACardWithoutFrontMatterOrModelFileIsRefused) {
  test::TempDir dir;
  fs::create_directories(dir.file("fam"));
  test::write_text(dir.file("fam/a.md"), "# no front matter\n");
  EXPECT_NE(test::error_of([&] { shipped_models(dir.path()); }).find("front matter"), std::string::npos);
  test::write_text(dir.file("fam/a.md"), "---\ntask: t\ninput: i\noutputs: o\nmetrics: m\n---\n");
  EXPECT_NE(test::error_of([&] { shipped_models(dir.path()); }).find("is missing"), std::string::npos);
  test::write_text(dir.file("fam/a.pt"), "x");
  ASSERT_EQ(shipped_models(dir.path()).size(), 1u);
  EXPECT_EQ(shipped_models(dir.path())[0].name, "fam/a");
}

TEST(ShippedModels, RbpModelsReproduceTheirRecordedPredictions) {
  const auto seqs = fixture_sequences();
  std::ifstream in(test::fixture("shipped/rbp_references.tsv"));
  std::string line;
  std::getline(in, line);
  std::map<std::string, Model> loaded;
  int checked = 0;
  while (std::getline(in, line)) {
    const auto t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    const std::string name = line.substr(0, t1), id = line.substr(t1 + 1, t2 - t1 - 1);
    const double expected = std::stod(line.substr(t2 + 1));
    if (!loaded.count(name)) loaded[name] = Model::load(kModels + "/" + name + ".pt");
    Model& m = loaded[name];
    at::Tensor x = one_hot_encode(seqs.at(id), Alphabet::rna()).unsqueeze(0);
    const double got = predict(m, x).tensor().item<double>();
    EXPECT_NEAR(got, expected, 2e-6 * std::max(1.0, std::abs(expected))) << name << " on " << id;
    ++checked;
  }
  EXPECT_EQ(checked, 21);
}

// The PUM2 model has learned the Pumilio response element: the strongest 8-mer of the ISM map of
// the test set's strongest site is UGUA[AUC]AUA (Wang et al. 2002; pysster's motif for PUM2).
TEST(ShippedModels, Pum2IsmMapOfItsStrongestSiteSpellsThePumMotif) {
  const auto seqs = fixture_sequences();
  const std::string site = seqs.at("chr1:207540414-207540614(+)");
  Model m = Model::load(kModels + "/rbp/pum2.pt");
  at::Tensor x = one_hot_encode(site, Alphabet::rna()).unsqueeze(0);
  IsmResult r = ism(m, x);
  at::Tensor map = ism_attribution(ism_difference(r.mutants.tensor(), r.reference.tensor()))[0];
  const int64_t start = strongest_window(map, "ACGU", site, 8);
  const std::string motif = site.substr(static_cast<size_t>(start), 8);
  EXPECT_TRUE(std::regex_match(motif, std::regex("UGUA[AUC]AUA"))) << "strongest 8-mer " << motif << " at " << start;
}

}  // namespace
}  // namespace seqnn
