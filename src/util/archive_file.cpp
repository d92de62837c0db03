#include "seqnn/util/archive_file.h"

#include <c10/util/Exception.h>

#include <sstream>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/zip_check.h"

namespace seqnn {

void save_archive_atomically(torch::serialize::OutputArchive& archive, const std::string& path, const std::string& what) {
  // Serialised to memory first: LibTorch's file writer that fails mid-archive (a full disk)
  // throws again from its destructor, which ends the process with std::terminate. The bytes
  // then go through AtomicFile, whose write and commit errors are ordinary seqnn::Errors.
  std::ostringstream bytes;
  try {
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    fail(path, "cannot serialise " + what + ": " + first_line(e.what_without_backtrace()));
  }
  AtomicFile file(path);
  file.write(bytes.str());
  file.commit();
}

void load_archive(torch::serialize::InputArchive& archive, const std::string& path, const std::string& what) {
  // A missing file or a directory is said so, not as LibTorch's "errno 2 on fopen" or as a
  // damaged zip ("read error").
  require_readable(path, what);
  require_intact_zip(path, what);
  try {
    archive.load_from(path);
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    fail(path, "cannot read " + what + ": " + first_line(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    fail(path, "cannot read " + what + ": " + first_line(e.what()));
  }
}

}  // namespace seqnn
