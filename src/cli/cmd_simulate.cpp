// seqnn simulate: random sequences to a FASTA file, or random intervals of a genome to a BED file
// (deterministic for a seed).
#include <cstdio>
#include <random>

#include "cli/common_options.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn::cli {
namespace {

struct SimulateArgs {
  int64_t n = 100;
  int64_t length = 1000;
  std::string alphabet = "dna";
  std::string genome;
  uint64_t seed = 0;
  std::string out;
};

// Random BED intervals of a fixed length, uniform over the genome's bases (chromosomes weighted by
// length), in the order drawn.
void run_simulate_bed(const SimulateArgs& a) {
  IndexedFasta genome(a.genome);
  std::vector<std::string> names;
  std::vector<double> weights;
  for (const auto& name : genome.names()) {
    const int64_t len = genome.length(name);
    if (len >= a.length) {
      names.push_back(name);
      weights.push_back(static_cast<double>(len - a.length + 1));
    }
  }
  if (names.empty()) fail(a.genome, "no sequence is at least " + std::to_string(a.length) + " bases long");
  std::mt19937_64 rng(a.seed);
  std::discrete_distribution<size_t> pick_chrom(weights.begin(), weights.end());
  AtomicFile file(a.out);
  std::string buf;
  for (int64_t i = 0; i < a.n; ++i) {
    const size_t c = pick_chrom(rng);
    std::uniform_int_distribution<int64_t> pick_start(0, static_cast<int64_t>(weights[c]) - 1);
    const int64_t start = pick_start(rng);
    buf += names[c] + "\t" + std::to_string(start) + "\t" + std::to_string(start + a.length) + "\tw" +
           std::to_string(i + 1) + "\n";
    if (buf.size() > (1 << 20)) {
      file.write(buf);
      buf.clear();
    }
  }
  file.write(buf);
  file.commit();
  std::fprintf(stderr, "seqnn simulate: %lld random %lld-bp intervals on %s (seed %llu) -> %s\n",
               static_cast<long long>(a.n), static_cast<long long>(a.length), a.genome.c_str(),
               static_cast<unsigned long long>(a.seed), a.out.c_str());
}

void run_simulate(const SimulateArgs& a) {
  if (a.n <= 0 || a.length <= 0) throw Error("--n and --length must be positive");
  if (!a.genome.empty()) return run_simulate_bed(a);
  Alphabet alphabet = Alphabet::from_name(a.alphabet);
  AtomicFile file(a.out);
  const int64_t chunk = 10000;
  for (int64_t begin = 0; begin < a.n; begin += chunk) {
    const int64_t n = std::min(chunk, a.n - begin);
    // Each chunk has its own seed so the output is the same whatever the chunk size.
    auto seqs = random_sequences(n, a.length, alphabet, a.seed * 1000003ULL + static_cast<uint64_t>(begin / chunk));
    std::string buf;
    for (int64_t i = 0; i < n; ++i) {
      buf += ">seq" + std::to_string(begin + i + 1) + "\n";
      for (int64_t p = 0; p < a.length; p += 60) buf += seqs[static_cast<size_t>(i)].substr(static_cast<size_t>(p), 60) + "\n";
    }
    file.write(buf);
  }
  file.commit();
  std::fprintf(stderr, "seqnn simulate: %lld %s sequences of %lld bases (seed %llu) -> %s\n",
               static_cast<long long>(a.n), alphabet.name().c_str(), static_cast<long long>(a.length),
               static_cast<unsigned long long>(a.seed), a.out.c_str());
}

}  // namespace

void register_simulate(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = add_command(app, "simulate", "write random sequences (FASTA), or random intervals of a genome (BED)");
  cmd->add_option("--n", args->n, "number of sequences")->capture_default_str();
  cmd->add_option("--length", args->length, "bases per sequence")->capture_default_str();
  cmd->add_option("--alphabet", args->alphabet, "dna, rna or protein")->capture_default_str();
  cmd->add_option("--genome,-g", args->genome, "write BED intervals on this indexed FASTA instead of sequences");
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "output FASTA (or BED with --genome)")->required();
  cmd->callback([args] { run_simulate(*args); });
}

}  // namespace seqnn::cli
