#include "seqnn/sequence/simulate.h"

#include <random>
#include <vector>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

void check(const SimulateOptions& o) {
  if (o.n <= 0 || o.length <= 0) throw Error("simulate: the number and the length must be positive");
}

}  // namespace

void simulate_fasta(const SimulateOptions& opts, const std::string& out_path) {
  check(opts);
  const Alphabet alphabet = Alphabet::from_name(opts.alphabet);
  AtomicFile file(out_path);
  const int64_t chunk = 10000;
  for (int64_t begin = 0; begin < opts.n; begin += chunk) {
    const int64_t n = std::min(chunk, opts.n - begin);
    // Each chunk has its own seed so the output is the same whatever the chunk size.
    auto seqs = random_sequences(n, opts.length, alphabet, opts.seed * 1000003ULL + static_cast<uint64_t>(begin / chunk));
    std::string buf;
    for (int64_t i = 0; i < n; ++i) {
      buf += ">seq" + std::to_string(begin + i + 1) + "\n";
      for (int64_t p = 0; p < opts.length; p += 60) buf += seqs[static_cast<size_t>(i)].substr(static_cast<size_t>(p), 60) + "\n";
    }
    file.write(buf);
  }
  file.commit();
}

void simulate_bed(const SimulateOptions& opts, const std::string& genome_path, const std::string& out_path) {
  check(opts);
  IndexedFasta genome(genome_path);
  std::vector<std::string> names;
  std::vector<double> starts;
  for (const auto& name : genome.names()) {
    const int64_t len = genome.length(name);
    if (len >= opts.length) {
      names.push_back(name);
      starts.push_back(static_cast<double>(len - opts.length + 1));
    }
  }
  if (names.empty()) fail(genome_path, "no sequence is at least " + std::to_string(opts.length) + " bases long");
  std::mt19937_64 rng(opts.seed);
  std::discrete_distribution<size_t> pick_chrom(starts.begin(), starts.end());
  AtomicFile file(out_path);
  std::string buf;
  for (int64_t i = 0; i < opts.n; ++i) {
    const size_t c = pick_chrom(rng);
    std::uniform_int_distribution<int64_t> pick_start(0, static_cast<int64_t>(starts[c]) - 1);
    const int64_t start = pick_start(rng);
    buf += names[c] + "\t" + std::to_string(start) + "\t" + std::to_string(start + opts.length) + "\tw" + std::to_string(i + 1) + "\n";
    if (buf.size() > (1 << 20)) {
      file.write(buf);
      buf.clear();
    }
  }
  file.write(buf);
  file.commit();
}

}  // namespace seqnn
