#pragma once
// The loss curve of a DeepSequence training run: one TSV row per logged update with the columns
//   step  seconds  loss  elbo  log_px  kl_z  kl_decoder
// Rewritten whole (atomically) at every checkpoint, so the file always matches the newest
// checkpoint, and a resumed run continues the file of the run it resumes.
#include <cstdint>
#include <string>

#include "seqnn/deepsequence/trainer.h"

namespace seqnn::ds {

class LossCurve {
 public:
  explicit LossCurve(std::string path) : path_(std::move(path)) {}
  // Keeps the rows of an existing file up to update `upto` (rows after it belong to updates the
  // resumed checkpoint does not contain). A missing file is an empty curve.
  void load_existing(int64_t upto);
  void add(int64_t step, double seconds, const StepStats& stats);
  void write() const;
  const std::string& path() const { return path_; }
  const std::string& rows() const { return text_; }  // without the header

 private:
  std::string path_, text_;
};

}  // namespace seqnn::ds
