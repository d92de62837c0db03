#pragma once
// Integrity check of the zip archives LibTorch stores models in (TorchScript files, native seqnn
// models, checkpoints). LibTorch 1.13 reads an archive's entries without checking their CRC-32,
// so a damaged file reaches its unpickler and TorchScript compiler, where corrupt bytes have been
// seen (by the model fuzz target, docs/reliability.md) to free memory that was never allocated.
// Checking every entry's CRC first turns a corrupt or truncated file into one error line.
#include <string>

namespace seqnn {

// Throws seqnn::Error "PATH: damaged WHAT: ..." when `path` is a zip archive whose structure is
// inconsistent or whose entries (stored or deflated) fail their CRC-32. Files that are not zip archives at all
// are left to the loader to report.
void require_intact_zip(const std::string& path, const std::string& what);

}  // namespace seqnn
