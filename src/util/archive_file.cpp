#include "seqnn/util/archive_file.h"

#include <c10/util/Exception.h>

#include <cstdio>

#include "seqnn/util/error.h"

namespace seqnn {

void save_archive_atomically(torch::serialize::OutputArchive& archive, const std::string& path, const std::string& what) {
  const std::string partial = path + ".partial";
  try {
    archive.save_to(partial);
  } catch (const c10::Error& e) {
    std::remove(partial.c_str());
    fail(path, "cannot write " + what + ": " + first_line(e.what_without_backtrace()));
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) fail(path, "cannot rename the written " + what + " into place");
}

}  // namespace seqnn
