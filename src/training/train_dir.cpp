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

bool is_member_dir_name(const std::string& name) {
  return name.size() > 6 && name.compare(0, 6, "member") == 0 && name.find_first_not_of("0123456789", 6) == std::string::npos;
}

// DIR's newest checkpoint, else the newest of a member<K>/ directory's; "" when there is none.
std::string earlier_checkpoint(const std::string& dir) {
  const int64_t newest = newest_training_checkpoint(dir);
  if (newest >= 0) return training_checkpoint_path(dir, newest);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_member_dir_name(name) || !entry.is_directory(ec)) continue;
    const int64_t n = newest_training_checkpoint(entry.path().string());
    if (n >= 0) return training_checkpoint_path(entry.path().string(), n);
  }
  return "";
}

// A model or state file a run writes beside its checkpoints (in DIR or a member<K>/); "" if none.
std::string earlier_run_file(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "model_best.pt" || name == "train_state.pt" || (name.rfind("snapshot_", 0) == 0 && name.size() > 12 &&
                                                                name.compare(name.size() - 3, 3, ".pt") == 0)) {
      return entry.path().string();
    }
    if (is_member_dir_name(name) && entry.is_directory(ec)) {
      const std::string inner = earlier_run_file(entry.path().string());
      if (!inner.empty()) return inner;
    }
  }
  return "";
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

std::string training_member_dir(const std::string& dir, int64_t k) { return dir + "/member" + std::to_string(k); }

void check_training_dir(const std::string& dir, bool resume) {
  if (dir.empty()) throw Error("training needs an output directory (--out)");
  if (resume) return;
  const std::string checkpoint = earlier_checkpoint(dir);
  if (!checkpoint.empty()) {
    fail(checkpoint, "a checkpoint of an earlier run (continue it with --resume, or train into a new --out)");
  }
  const std::string file = earlier_run_file(dir);
  if (!file.empty()) {
    fail(file, "a file of an earlier run, which has no checkpoint to resume (train into a new --out, or delete the "
               "earlier run's files)");
  }
}

void prepare_training_dir(const std::string& dir, bool resume) {
  check_training_dir(dir, resume);
  ensure_directory(dir);
}

}  // namespace seqnn
