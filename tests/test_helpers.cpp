#include "test_helpers.h"

#include <htslib/bgzf.h>
#include <sys/stat.h>
#include <zlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"

namespace seqnn::test {

std::string fixture(const std::string& name) { return std::string(SEQNN_FIXTURES_DIR) + "/" + name; }

at::Tensor fixture_npy(const std::string& name) { return load_npy(fixture(name + ".npy")); }

std::string shared_data(const std::string& relative) {
  std::string path = std::string(SEQNN_SHARED_DATA_DIR) + "/" + relative;
  return exists(path) ? path : "";
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/seqnn_test_XXXXXX";
  char* dir = mkdtemp(tmpl);
  if (!dir) throw std::runtime_error("mkdtemp failed");
  path_ = dir;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

double relative_diff(const at::Tensor& a, const at::Tensor& b) {
  return max_abs_diff(a, b) / (1.0 + a.to(torch::kFloat64).abs().max().item<double>());
}

double tensor_diff(const at::Tensor& a, const at::Tensor& b) {
  if (a.sizes() != b.sizes()) {
    ADD_FAILURE() << "shape " << a.sizes() << " != " << b.sizes();
    return std::numeric_limits<double>::infinity();
  }
  return max_abs_diff(a, b);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

CliResult run_cli(const std::string& args) { return run_shell(std::string(SEQNN_CLI_PATH) + " " + args); }

CliResult run_cli_with_file_limit(const std::string& args, int blocks) {
  // Writes past the limit fail with EFBIG (SIGXFSZ ignored), as they would on a full disk.
  return run_shell("ulimit -f " + std::to_string(blocks) + "; trap '' XFSZ; exec " + std::string(SEQNN_CLI_PATH) + " " + args);
}

CliResult run_shell(const std::string& command) {
  std::string cmd = "{ " + command + "; } 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

void write_gzip(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

void write_bgzip(const std::string& path, const std::string& text, int blocks) {
  BGZF* f = bgzf_open(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  const size_t step = (text.size() + static_cast<size_t>(blocks) - 1) / static_cast<size_t>(blocks);
  for (size_t at = 0; at < text.size(); at += step) {
    const size_t n = std::min(step, text.size() - at);
    ASSERT_EQ(bgzf_write(f, text.data() + at, n), static_cast<ssize_t>(n));
    if (at + n < text.size()) {
      ASSERT_EQ(bgzf_flush(f), 0);
    }
  }
  ASSERT_EQ(bgzf_close(f), 0);
}

std::string simulated_fasta(const TempDir& dir, int64_t n) {
  const std::string fa = dir.file("in.fa");
  const auto r = run_cli("simulate --n " + std::to_string(n) + " --length 200 --seed 5 -q -o " + fa);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return fa;
}

}  // namespace seqnn::test
