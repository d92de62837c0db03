#include "seqnn/models/shipped_models.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

namespace fs = std::filesystem;

std::string running_binary_directory() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  return fs::path(std::string(buf, static_cast<size_t>(n))).parent_path().string();
}

bool is_directory(const std::string& p) {
  std::error_code ec;
  return !p.empty() && fs::is_directory(p, ec);
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// The card's front matter as key -> value; the block must open on the first line.
std::map<std::string, std::string> read_front_matter(const std::string& card) {
  std::ifstream in(card);
  if (!in) fail(card, "cannot open model card");
  std::string line;
  if (!std::getline(in, line) || trim(line) != "---") fail(card, "line 1: a model card starts with a '---' front matter block");
  std::map<std::string, std::string> fields;
  for (int64_t n = 2; std::getline(in, line); ++n) {
    if (trim(line) == "---") return fields;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) fail(card, "line " + std::to_string(n) + ": front matter line is not 'key: value'");
    fields[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  fail(card, "the front matter block is not closed by '---'");
}

ShippedModel model_of_card(const fs::path& dir, const fs::path& card) {
  auto fields = read_front_matter(card.string());
  ShippedModel m;
  const fs::path rel = fs::relative(card, dir);
  m.name = (rel.parent_path() / rel.stem()).generic_string();
  m.task = fields["task"];
  m.input = fields["input"];
  m.outputs = fields["outputs"];
  m.metrics = fields["metrics"];
  m.card = card.string();
  const std::string file = fields.count("file") ? fields["file"] : rel.stem().string() + ".pt";
  m.path = (card.parent_path() / file).string();
  std::error_code ec;
  if (!fs::is_regular_file(m.path, ec)) fail(m.card, "its model file " + m.path + " is missing");
  for (const char* key : {"task", "input", "outputs", "metrics"}) {
    if (fields[key].empty()) fail(m.card, std::string("front matter has no '") + key + "'");
  }
  return m;
}

}  // namespace

std::string shipped_models_directory() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SEQNN_MODELS")) candidates.emplace_back(env);
  const std::string bin = running_binary_directory();
  if (!bin.empty()) {
    candidates.push_back(bin + "/../share/seqnn/models");
    candidates.push_back(bin + "/../models");
  }
#ifdef SEQNN_INSTALL_MODELS_DIR
  candidates.emplace_back(SEQNN_INSTALL_MODELS_DIR);
#endif
#ifdef SEQNN_SOURCE_MODELS_DIR
  candidates.emplace_back(SEQNN_SOURCE_MODELS_DIR);
#endif
  for (const auto& c : candidates) {
    if (is_directory(c)) return fs::weakly_canonical(c).string();
  }
  return "";
}

std::vector<ShippedModel> shipped_models(const std::string& directory) {
  std::vector<ShippedModel> models;
  if (!is_directory(directory)) return models;
  // Cards sit one level down (FAMILY/NAME.md); recipes/ holds scripts, not models.
  for (const auto& family : fs::directory_iterator(directory)) {
    if (!family.is_directory() || family.path().filename() == "recipes") continue;
    for (const auto& entry : fs::directory_iterator(family.path())) {
      if (entry.is_regular_file() && entry.path().extension() == ".md") {
        models.push_back(model_of_card(directory, entry.path()));
      }
    }
  }
  std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return models;
}

std::string resolve_model_path(const std::string& path_or_name) {
  std::error_code ec;
  if (fs::exists(path_or_name, ec)) return path_or_name;
  const auto models = shipped_models();
  std::string names;
  for (const auto& m : models) {
    if (m.name == path_or_name) return m.path;
    names += (names.empty() ? "" : ", ") + m.name;
  }
  if (names.empty()) names = "none found";
  throw Error(path_or_name + ": no such model file, and no shipped model of that name (shipped: " + names + ")");
}

}  // namespace seqnn
