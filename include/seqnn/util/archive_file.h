#pragma once
// Writing a LibTorch archive (model files, checkpoints, training state) so that a failed or
// interrupted save never leaves a half-written file under the final name.
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace seqnn {

// Saves `archive` under PATH.partial and renames it to `path`. Errors name the path and `what`
// ("model", "training state"): "PATH: cannot write model: ...".
void save_archive_atomically(torch::serialize::OutputArchive& archive, const std::string& path, const std::string& what);

// Reads the archive at `path`. Whatever LibTorch throws for a damaged or foreign file (c10::Error,
// torch::jit::ErrorReport for a TorchScript program that no longer compiles, ...) becomes the
// one-line seqnn::Error "PATH: cannot read WHAT: ...".
void load_archive(torch::serialize::InputArchive& archive, const std::string& path, const std::string& what);

}  // namespace seqnn
