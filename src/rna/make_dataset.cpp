#include "seqnn/rna/make_dataset.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <vector>

#include "seqnn/rna/fold/fold.h"
#include "seqnn/sequence/bed.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/parallel.h"
#include "seqnn/util/progress.h"

namespace seqnn::rna {
namespace {

struct Segment {
  std::string id, sequence;
  std::string structure;
  double mfe = 0.0, frequency = 0.0;
};

// Upper case, U for T; false when the segment holds anything but ACGT (N, IUPAC codes).
bool as_rna(std::string& s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'T') c = 'U';
    if (c != 'A' && c != 'C' && c != 'G' && c != 'U') return false;
  }
  return true;
}

std::string segment_id(const std::string& chrom, int64_t start, int64_t end) {
  return chrom + ":" + std::to_string(start + 1) + "-" + std::to_string(end);
}

void add_segment(std::vector<Segment>& out, MakeDatasetResult& r, std::string id, std::string seq) {
  if (!as_rna(seq)) {
    ++r.with_n;
    return;
  }
  out.push_back({std::move(id), std::move(seq), "", 0.0, 0.0});
}

std::vector<Segment> bed_segments(const MakeDatasetOptions& o, const IndexedFasta& genome, MakeDatasetResult& r) {
  std::vector<Segment> out;
  BedReader bed(o.bed);
  BedInterval iv;
  while (bed.next(iv)) {
    const std::string chrom = genome.resolve(iv.chrom);
    if (chrom.empty()) fail(o.bed + ":" + std::to_string(iv.line), "chromosome '" + iv.chrom + "' is not in " + o.genome);
    if (iv.end > genome.length(chrom) || iv.end == iv.start) {
      fail(o.bed + ":" + std::to_string(iv.line), "interval is empty or past the end of " + chrom);
    }
    std::string seq = genome.fetch(chrom, iv.start, iv.end);
    if (iv.strand == '-') seq = reverse_complement(seq);  // the transcript's strand
    add_segment(out, r, segment_id(iv.chrom, iv.start, iv.end), std::move(seq));
  }
  return out;
}

// Chromosomes drawn by length, starts uniform: every position equally likely.
std::vector<Segment> random_segments(const MakeDatasetOptions& o, const IndexedFasta& genome, MakeDatasetResult& r) {
  const bool ranged = o.len_min > 0 && o.len_max > 0;
  if (ranged && o.len_min > o.len_max) throw Error("--len-min must be <= --len-max");
  const int64_t longest = ranged ? o.len_max : o.length;
  std::vector<std::string> names;
  std::vector<double> weights;
  for (const auto& n : genome.names()) {
    if (genome.length(n) < longest) continue;
    names.push_back(n);
    weights.push_back(static_cast<double>(genome.length(n) - longest + 1));
  }
  if (names.empty()) fail(o.genome, "no chromosome is " + std::to_string(longest) + " bases long");
  std::mt19937_64 rng(o.seed);
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  std::vector<Segment> out;
  for (int64_t k = 0; k < o.random; ++k) {
    const std::string& chrom = names[pick(rng)];
    const int64_t len = ranged ? std::uniform_int_distribution<int64_t>(o.len_min, o.len_max)(rng) : o.length;
    const int64_t start = std::uniform_int_distribution<int64_t>(0, genome.length(chrom) - len)(rng);
    add_segment(out, r, segment_id(chrom, start, start + len), genome.fetch(chrom, start, start + len));
  }
  return out;
}

void fold_segments(std::vector<Segment>& segments, bool progress) {
  ProgressBar bar("rna make-dataset", static_cast<int64_t>(segments.size()), "seq", progress);
  std::mutex bar_mutex;
  std::atomic<int64_t> done{0};
  fold::FoldSettings settings;
  settings.partition = true;
  settings.pair_probabilities = false;  // only the MFE frequency is needed: no outside pass
  parallel_for_with_state(0, static_cast<int64_t>(segments.size()), 1, [&](int64_t first, int64_t last) {
    for (int64_t k = first; k < last; ++k) {
      Segment& s = segments[static_cast<size_t>(k)];
      const fold::FoldResult f = fold::fold_sequence(s.sequence, settings);
      s.structure = f.mfe.structure;
      s.mfe = f.mfe.kcal();
      s.frequency = f.mfe_probability;
      std::lock_guard<std::mutex> lock(bar_mutex);
      bar.update(++done);
    }
  });
  bar.finish();
}

bool kept(const Segment& s, double threshold) {
  return s.structure.find('(') != std::string::npos && s.frequency >= threshold;
}

void write_table(const std::string& path, const std::string& text) {
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  if (!gz) {
    AtomicFile out(path);
    out.write(text);
    out.commit();
    return;
  }
  check_output_target(path);
  const std::string partial = path + ".partial";
  gzFile f = gzopen(partial.c_str(), "wb");
  if (!f) fail(path, "cannot open for writing");
  const bool wrote = gzwrite(f, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size());
  if (gzclose(f) != Z_OK || !wrote) {
    std::remove(partial.c_str());
    fail(path, "write failed");
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) fail(path, "cannot rename the written table into place");
}

}  // namespace

MakeDatasetResult make_rna_dataset(const MakeDatasetOptions& o) {
  if (o.bed.empty() == (o.random <= 0)) throw Error("give --bed or --random N (one of them)");
  if (o.length <= 0) throw Error("--length must be positive");
  if (o.threshold < 0 || o.threshold > 1) throw Error("--threshold-mfe-freq must be in [0, 1]");
  check_writable(o.out);
  IndexedFasta genome(o.genome);
  MakeDatasetResult r;
  std::vector<Segment> segments = o.bed.empty() ? random_segments(o, genome, r) : bed_segments(o, genome, r);
  r.segments = static_cast<int64_t>(segments.size());
  const auto t0 = std::chrono::steady_clock::now();
  fold_segments(segments, o.progress);
  std::string text = "id\tsequence\tstructure\tmfe\tmfe_frequency\n";
  char num[64];
  for (const Segment& s : segments) {
    if (!kept(s, o.threshold)) continue;
    ++r.kept;
    std::snprintf(num, sizeof num, "\t%.2f\t%.4f\n", s.mfe, s.frequency);
    text += s.id + "\t" + s.sequence + "\t" + s.structure + num;
  }
  write_table(o.out, text);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace seqnn::rna
