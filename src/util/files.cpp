#include "seqnn/util/files.h"

#include "seqnn/util/strings.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>
#include <vector>

#include "seqnn/util/error.h"

namespace seqnn {

void require_readable(const std::string& path, const std::string& what) {
  const std::string cannot = "cannot open " + what + ": ";
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) fail(path, cannot + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(path, cannot + "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, cannot + std::strerror(errno));
}

std::string read_text_file(const std::string& path, const std::string& what) {
  require_readable(path, what);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(path, "cannot read " + what);
  return text.str();
}

void ensure_directory(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) throw Error("an output directory path is required");
  std::error_code ec;
  if (fs::is_directory(path, ec)) return;
  if (fs::exists(path, ec)) fail(path, "cannot create directory: a file of that name exists");
  fs::create_directories(path, ec);
  if (ec) fail(path, "cannot create directory: " + ec.message());
}

namespace {

struct InputFiles {
  std::mutex mutex;
  std::vector<std::pair<std::pair<dev_t, ino_t>, std::string>> files;  // (device, inode), path
};

InputFiles& input_files() {
  static InputFiles inputs;
  return inputs;
}

}  // namespace

void register_input_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  InputFiles& inputs = input_files();
  std::lock_guard<std::mutex> lock(inputs.mutex);
  inputs.files.push_back({{st.st_dev, st.st_ino}, path});
}

void check_output_target(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return;  // a new file
  if (!S_ISREG(st.st_mode)) {
    fail(path, std::string("cannot write output: exists and is ") + (S_ISDIR(st.st_mode) ? "a directory" : "not a regular file") +
                   " (outputs are written as regular files)");
  }
  InputFiles& inputs = input_files();
  std::lock_guard<std::mutex> lock(inputs.mutex);
  for (const auto& [id, input] : inputs.files) {
    if (id.first == st.st_dev && id.second == st.st_ino) {
      fail(path, "cannot write output: it is an input of this run (" + input + "); choose another output path");
    }
  }
}

std::string output_stem(const std::string& out) {
  for (const std::string ext : {".vcf.gz", ".vcf", ".tsv", ".npy"}) {
    if (ends_with(out, ext)) return out.substr(0, out.size() - ext.size());
  }
  return out;
}

}  // namespace seqnn
