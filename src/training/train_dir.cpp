#include "seqnn/training/train_dir.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {
namespace {

namespace fs = std::filesystem;

// The N of "checkpoint_<N>.pt", or -1 for any other name (snapshot_<K>.pt, *.partial, ...).
int64_t checkpoint_number_of(const std::string& name) {
  const std::string head = "checkpoint_", tail = ".pt";
  if (name.size() <= head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
      name.compare(name.size() - tail.size(), tail.size(), tail) != 0) {
    return -1;
  }
  const std::string digits = name.substr(head.size(), name.size() - head.size() - tail.size());
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 18) return -1;
  return std::stoll(digits);
}

}  // namespace

std::string training_checkpoint_path(const std::string& dir, int64_t n) {
  return dir + "/checkpoint_" + std::to_string(n) + ".pt";
}

std::string training_best_model_path(const std::string& dir) { return dir + "/model_best.pt"; }

int64_t newest_training_checkpoint(const std::string& dir) {
  int64_t newest = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    newest = std::max(newest, checkpoint_number_of(entry.path().filename().string()));
  }
  return newest;
}

void remove_checkpoints_before(const std::string& dir, int64_t keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const int64_t n = checkpoint_number_of(entry.path().filename().string());
    if (n >= 0 && n < keep) fs::remove(entry.path(), ec);
  }
}

void check_training_dir(const std::string& dir, bool resume) {
  if (dir.empty()) throw Error("training needs an output directory (--out)");
  const int64_t newest = newest_training_checkpoint(dir);
  if (!resume && newest >= 0) {
    fail(training_checkpoint_path(dir, newest),
         "a checkpoint of an earlier run (continue it with --resume, or train into a new --out)");
  }
}

void prepare_training_dir(const std::string& dir, bool resume) {
  check_training_dir(dir, resume);
  ensure_directory(dir);
}

}  // namespace seqnn
