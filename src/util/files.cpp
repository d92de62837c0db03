#include "seqnn/util/files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace seqnn
