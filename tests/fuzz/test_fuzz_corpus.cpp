// Replays every committed fuzz corpus (tests/fuzz/corpus/<target>/: seeds made from real data by
// make_corpus.sh, plus the inputs of every finding, named crash-*), so `make test` catches a
// regression of anything the fuzzers once found (docs/reliability.md).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz/fuzz_target.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

std::vector<std::string> fuzz_corpus_files(const std::string& target) {
  const std::filesystem::path dir = std::filesystem::path(SEQNN_SOURCE_DIR) / "tests/fuzz/corpus" / target;
  std::vector<std::string> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FuzzCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(FuzzCorpus, EveryInputIsAcceptedOrRefusedWithOneLine) {
  const fuzz::FuzzTarget* target = fuzz::find_fuzz_target(GetParam());
  ASSERT_NE(target, nullptr);
  const std::vector<std::string> files = fuzz_corpus_files(GetParam());
  ASSERT_GE(files.size(), 3u) << "tests/fuzz/corpus/" << GetParam() << " needs its seed inputs (make_corpus.sh)";
  int accepted = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      accepted += fuzz::run_fuzz_input(*target, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } catch (const fuzz::FuzzFinding& f) {
      ADD_FAILURE() << file << ": " << f.what();
    }
  }
  // Seeds that are all refused would leave the fuzzer outside the parser's success paths.
  EXPECT_GE(accepted, 2) << GetParam() << ": only " << accepted << " of " << files.size() << " corpus inputs accepted";
  std::printf("%s: %d of %zu corpus inputs accepted\n", GetParam().c_str(), accepted, files.size());
}

std::vector<std::string> fuzz_target_names() {
  std::vector<std::string> names;
  for (const auto& t : fuzz::fuzz_targets()) names.emplace_back(t.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(fuzz_target_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace seqnn
