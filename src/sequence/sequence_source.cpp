#include "seqnn/sequence/sequence_source.h"

#include <algorithm>
#include <tuple>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

void clear(SequenceChunk& chunk, std::vector<std::string> columns) {
  chunk.labels.columns = std::move(columns);
  chunk.labels.rows.clear();
  chunk.sequences.clear();
  chunk.where.clear();
  chunk.padded_bases = 0;
  chunk.padded_windows = 0;
}

class FastaSource final : public SequenceSource {
 public:
  explicit FastaSource(const std::string& path) : reader_(path), total_(count_fasta_records(path)) {}

  bool next(int64_t max_items, SequenceChunk& chunk) override {
    clear(chunk, {"name"});
    FastaRecord rec;
    while (static_cast<int64_t>(chunk.sequences.size()) < max_items && reader_.next(rec)) {
      chunk.labels.rows.push_back({rec.name});
      chunk.where.push_back(reader_.path() + ":" + std::to_string(rec.line) + " (" + rec.name + ")");
      chunk.sequences.push_back(std::move(rec.sequence));
    }
    return !chunk.sequences.empty();
  }
  int64_t total() const override { return total_; }

 private:
  FastaReader reader_;
  int64_t total_;
};

class BedSource final : public SequenceSource {
 public:
  BedSource(const std::string& bed, const std::string& genome, int64_t length, WindowCentre centre)
      : reader_(bed), genome_(genome), length_(length), centre_(centre), total_(count_bed_records(bed)) {
    if (length_ <= 0) fail(bed, "a window length is needed (--length, or a model with a fixed input length)");
  }

  bool next(int64_t max_items, SequenceChunk& chunk) override {
    clear(chunk, {"name", "chrom", "start", "end", "padded"});
    BedInterval iv;
    while (static_cast<int64_t>(chunk.sequences.size()) < max_items && reader_.next(iv)) {
      if (genome_.resolve(iv.chrom).empty()) {
        fail_at(reader_.path(), iv.line, "chromosome '" + iv.chrom + "' is not in " + genome_.path());
      }
      // A window that only reaches past a chromosome end is padded; an interval that lies wholly
      // beyond it is a coordinate error (another assembly?), not a window of N's.
      const int64_t chrom_length = genome_.length(genome_.resolve(iv.chrom));
      if (iv.start >= chrom_length) {
        fail_at(reader_.path(), iv.line, "interval " + iv.chrom + ":" + std::to_string(iv.start) + "-" + std::to_string(iv.end) +
                                             " starts past the end of the chromosome (length " + std::to_string(chrom_length) +
                                             " in " + genome_.path() + "; another assembly?)");
      }
      Window w = make_window(genome_, iv, length_, centre_);
      chunk.labels.rows.push_back({w.name, w.chrom, std::to_string(w.start), std::to_string(w.end), std::to_string(w.padded)});
      chunk.where.push_back(reader_.path() + ":" + std::to_string(iv.line) + " (" + w.name + ")");
      chunk.padded_bases += w.padded;
      chunk.padded_windows += w.padded > 0;
      chunk.sequences.push_back(std::move(w.sequence));
    }
    return !chunk.sequences.empty();
  }
  int64_t total() const override { return total_; }

 private:
  BedReader reader_;
  IndexedFasta genome_;
  int64_t length_;
  WindowCentre centre_;
  int64_t total_;
};

class RangeSource final : public SequenceSource {
 public:
  RangeSource(SequenceSource& inner, int64_t begin, int64_t end) : inner_(inner), begin_(begin), end_(end) {}

  bool next(int64_t max_items, SequenceChunk& chunk) override {
    for (SequenceChunk skipped; pos_ < begin_;) {
      if (!inner_.next(std::min<int64_t>(begin_ - pos_, 4096), skipped)) return false;
      pos_ += static_cast<int64_t>(skipped.sequences.size());
    }
    const int64_t want = std::min(max_items, end_ - pos_);
    if (want <= 0) {
      chunk.sequences.clear();
      chunk.labels.rows.clear();
      chunk.where.clear();
      return false;
    }
    const bool got = inner_.next(want, chunk);
    pos_ += static_cast<int64_t>(chunk.sequences.size());
    return got;
  }
  int64_t total() const override { return end_ - begin_; }

 private:
  SequenceSource& inner_;
  int64_t begin_, end_, pos_ = 0;
};

}  // namespace

std::unique_ptr<SequenceSource> record_range_source(SequenceSource& inner, int64_t begin, int64_t end) {
  return std::make_unique<RangeSource>(inner, begin, end);
}

ShardedInput::ShardedInput(SequenceSource& input, const ShardSpec& shard, int64_t align, const std::string& input_name)
    : end(input.total()), input_(input) {
  if (!shard.sharded()) return;
  std::tie(begin, end) = checked_shard_range(input.total(), shard, align, input_name, "sequences");
  view_ = record_range_source(input, begin, end);
}

std::unique_ptr<SequenceSource> fasta_source(const std::string& path) { return std::make_unique<FastaSource>(path); }

std::unique_ptr<SequenceSource> bed_source(const std::string& bed_path, const std::string& genome_path, int64_t length,
                                           WindowCentre centre) {
  return std::make_unique<BedSource>(bed_path, genome_path, length, centre);
}

}  // namespace seqnn
