// The module layering of docs/architecture.md, checked on the source tree: every #include of a
// seqnn header names a module the including module may depend on, public headers include only
// public headers, and each module's code lives in its namespace.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "test_helpers.h"

namespace seqnn::test {
namespace {

namespace fs = std::filesystem;

using Allowed = std::map<std::string, std::set<std::string>>;

// The allowed arrows: a module may include itself and the modules listed here.
Allowed allowed_dependencies() {
  const std::set<std::string> core = {"util", "sequence", "models", "inference"};
  Allowed a;
  a["util"] = {};
  a["sequence"] = {"util"};
  a["models"] = {"util", "sequence"};
  a["inference"] = {"util", "sequence", "models"};
  a["mutagenesis"] = core;
  a["variants"] = {"util", "sequence", "models", "inference", "mutagenesis"};
  a["attribution"] = {"util", "sequence", "models", "inference", "mutagenesis"};
  a["training"] = core;
  a["deepsequence"] = {"util", "sequence", "models", "inference", "training"};
  a["rna"] = {"util", "sequence", "models", "inference", "training"};
  a["mhc"] = {"util", "sequence", "models", "inference", "training"};
  a["cli"] = {"util", "sequence", "models", "inference", "mutagenesis", "variants", "attribution", "training", "deepsequence", "rna",
              "mhc"};
  for (auto& [module, deps] : a) deps.insert(module);
  return a;
}

// The namespace each module's declarations live in (docs/architecture.md, "Namespaces").
std::map<std::string, std::string> module_namespaces() {
  return {{"deepsequence", "seqnn::ds"}, {"rna", "seqnn::rna"}, {"mhc", "seqnn::mhc"}, {"cli", "seqnn::cli"}};
}

struct Finding {
  std::string file;
  int line;
  std::string problem;
};

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Checks one file of `module`; `is_public` for headers under include/seqnn/.
void check_file(const fs::path& file, const std::string& module, bool is_public, const Allowed& allowed,
                std::vector<Finding>& out) {
  static const std::regex include_re(R"re(^\s*#\s*include\s*"(seqnn/)?([a-z_]+)/[^"]+")re");
  static const std::regex namespace_re(R"(^namespace\s+([A-Za-z_:]+)\s*\{)");
  const auto names = module_namespaces();
  const std::string want_ns = names.count(module) ? names.at(module) : "seqnn";
  const auto lines = lines_of(file);
  for (size_t i = 0; i < lines.size(); ++i) {
    const int ln = static_cast<int>(i) + 1;
    std::smatch m;
    if (std::regex_search(lines[i], m, include_re)) {
      const bool public_include = m[1].matched;
      const std::string target = m[2];
      if (!allowed.count(target)) continue;  // not a seqnn module (e.g. "test_helpers.h" folders)
      if (!allowed.at(module).count(target)) {
        out.push_back({file.string(), ln, module + " may not include " + target + " (" + lines[i] + ")"});
      }
      if (is_public && !public_include) {
        out.push_back({file.string(), ln, "public header includes a private header (" + lines[i] + ")"});
      }
    }
    if (std::regex_search(lines[i], m, namespace_re)) {
      const std::string ns = m[1];
      const bool seqnn_ns = ns == "seqnn" || ns.rfind("seqnn::", 0) == 0;
      // Forward declarations of third-party namespaces (torch::optim, ...) are fine.
      if (seqnn_ns && ns != want_ns && ns.rfind(want_ns + "::", 0) != 0) {
        out.push_back({file.string(), ln, module + " code in namespace " + ns + " (expected " + want_ns + ")"});
      }
    }
  }
}

// Walks root/include/seqnn/<module> and root/src/<module>.
std::vector<Finding> layering_findings(const fs::path& root, const Allowed& allowed) {
  std::vector<Finding> out;
  for (const auto& [module, deps] : allowed) {
    for (const auto& [dir, is_public] : {std::pair{root / "include" / "seqnn" / module, true}, std::pair{root / "src" / module, false}}) {
      if (!fs::is_directory(dir)) continue;
      for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".h" || ext == ".cpp" || ext == ".hpp") check_file(entry.path(), module, is_public, allowed, out);
      }
    }
  }
  return out;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string s;
  for (const auto& f : findings) s += f.file + ":" + std::to_string(f.line) + ": " + f.problem + "\n";
  return s;
}

TEST(Architecture, IncludesFollowTheModuleLayering) {
  const auto findings = layering_findings(SEQNN_SOURCE_DIR, allowed_dependencies());
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(Architecture, TheCheckFindsAWrongArrowAPrivateIncludeAndAWrongNamespace) {
  TempDir dir;
  fs::create_directories(dir.file("include/seqnn/sequence"));
  fs::create_directories(dir.file("src/rna"));
  write_text(dir.file("include/seqnn/sequence/bad.h"),
             "#pragma once\n#include \"seqnn/util/error.h\"\n#include \"seqnn/inference/predict.h\"\n"
             "#include \"sequence/private.h\"\nnamespace seqnn {\n}\n");
  write_text(dir.file("src/rna/bad.cpp"), "#include \"seqnn/rna/structure.h\"\nnamespace seqnn {\n}\nnamespace torch::optim {\n}\n");
  const auto findings = layering_findings(dir.path(), allowed_dependencies());
  ASSERT_EQ(findings.size(), 3u) << describe(findings);
  const std::string all = describe(findings);
  EXPECT_NE(all.find("sequence may not include inference"), std::string::npos) << all;
  EXPECT_NE(all.find("public header includes a private header"), std::string::npos) << all;
  EXPECT_NE(all.find("rna code in namespace seqnn (expected seqnn::rna)"), std::string::npos) << all;
}

}  // namespace
}  // namespace seqnn::test
