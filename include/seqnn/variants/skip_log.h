#pragma once
// Variants that were read but not scored: counted by kind (REF mismatch, unknown chromosome,
// unscorable allele), the first few kept for the summary, all listed in a TSV file
// (chrom pos id ref alt record reason) that is only created when something was skipped.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "seqnn/util/resume.h"
#include "seqnn/variants/variant_scoring.h"

namespace seqnn {

class AtomicFile;

class SkipLog {
 public:
  explicit SkipLog(std::string path);
  ~SkipLog();
  void add(const std::vector<SkippedVariant>& skipped);
  void close();  // renames the file into place (if any)
  // "seqnn score-variants: skipped N variants (kinds), listed in PATH:" and up to five examples,
  // one per line; empty when nothing was skipped.
  std::string report(const std::string& program = "seqnn score-variants") const;
  int64_t total() const { return total_; }
  // Its counts and examples in a checkpoint, and back in a resumed run.
  void save(ResumePoint& point) const;
  void restore(const ResumePoint& point);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<AtomicFile> file_;
  std::map<std::string, int64_t> counts_;
  std::vector<std::string> examples_;
  int64_t total_ = 0;
};

}  // namespace seqnn
