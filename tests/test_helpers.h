#pragma once
// Shared test utilities: fixture paths, temporary directories, tensor comparison, running the CLI.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>

namespace seqnn::test {

std::string fixture(const std::string& name);  // tests/fixtures/<name>
at::Tensor fixture_npy(const std::string& name);  // tests/fixtures/<name>.npy
// ../shared/data/<relative>, or "" when absent (tests then GTEST_SKIP with a message).
std::string shared_data(const std::string& relative);

// A fresh directory under /tmp, removed with its contents when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_text(const std::string& path, const std::string& text);
// gzip and bgzip files (bgzip in `blocks` members, so a reader must cross member boundaries).
void write_gzip(const std::string& path, const std::string& text);
void write_bgzip(const std::string& path, const std::string& text, int blocks = 1);
std::string read_text(const std::string& path);
bool exists(const std::string& path);

// Max |a - b| (after casting both to double); shapes must match.
double max_abs_diff(const at::Tensor& a, const at::Tensor& b);
// max_abs_diff relative to the scale of a: / (1 + max |a|). For results that agree to float rounding.
double relative_diff(const at::Tensor& a, const at::Tensor& b);
// Like max_abs_diff, but +inf (and a reported failure) when the shapes differ.
double tensor_diff(const at::Tensor& a, const at::Tensor& b);

struct CliResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};
CliResult run_cli(const std::string& args);
// The command line under `ulimit -f blocks` (a disk that fills up after that much).
CliResult run_cli_with_file_limit(const std::string& args, int blocks);
// Any shell command, stderr with stdout.
CliResult run_shell(const std::string& command);

// The message of the seqnn::Error that f throws, or "no error".
std::string error_of(const std::function<void()>& f);

// `seqnn simulate` of n random 200-nt DNA sequences (seed 5) into dir/in.fa; returns the path.
std::string simulated_fasta(const TempDir& dir, int64_t n);

}  // namespace seqnn::test

// Streams extra context like any EXPECT: EXPECT_TENSOR_NEAR(a, b, 1e-6) << "batch " << n;
// Shape mismatches count as an infinite difference (and report both shapes).
#define EXPECT_TENSOR_NEAR(a, b, tol) EXPECT_LE(::seqnn::test::tensor_diff((a), (b)), (tol))

#define SKIP_WITHOUT_SHARED_DATA(path)                                                       \
  if ((path).empty()) GTEST_SKIP() << "../shared/data not present: skipping real-data test"
