#pragma once
// BED intervals and the fixed-length windows a model needs around them.
//
// Window rule: centre = floor((start + end) / 2), or start + summit when the summit column of a
// narrowPeak file (column 10) is used; the window is [centre - L/2, centre - L/2 + L). Parts of
// the window outside the chromosome are filled with 'N' (an all-zero one-hot column) and
// counted in Window::padded so callers can report them.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace seqnn {

class IndexedFasta;

struct BedInterval {
  std::string chrom;
  int64_t start = 0;  // 0-based
  int64_t end = 0;    // exclusive
  std::string name;   // column 4, or "chrom:start-end" when absent
  std::optional<int64_t> summit;  // column 10 of narrowPeak (offset from start), if >= 0
  char strand = '.';              // column 6: '+', '-' or '.' (absent or unknown)
  int64_t line = 0;
};

class BedReader {
 public:
  explicit BedReader(const std::string& path);  // plain or gzip/bgzip
  ~BedReader();
  BedReader(const BedReader&) = delete;
  BedReader& operator=(const BedReader&) = delete;
  // Skips blank, '#', 'track' and 'browser' lines. Throws seqnn::Error naming file and line on
  // malformed records (fewer than 3 columns, non-integer or negative coordinates, end < start).
  bool next(BedInterval& interval);
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

int64_t count_bed_records(const std::string& path);

enum class WindowCentre { kInterval, kSummit };

struct Window {
  std::string chrom;
  int64_t start = 0, end = 0;  // window coordinates (may extend past the chromosome)
  int64_t padded = 0;          // bases outside the chromosome, filled with N
  std::string name;
  std::string sequence;
};

// Builds the window of `length` bases around an interval. kSummit falls back to the interval
// centre when the record has no summit. Throws when the chromosome is not in the genome.
Window make_window(const IndexedFasta& genome, const BedInterval& interval, int64_t length,
                   WindowCentre centre = WindowCentre::kInterval);

}  // namespace seqnn
