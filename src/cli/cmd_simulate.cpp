// seqnn simulate: random sequences to a FASTA file (deterministic for a seed).
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn::cli {
namespace {

struct SimulateArgs {
  int64_t n = 100;
  int64_t length = 1000;
  std::string alphabet = "dna";
  uint64_t seed = 0;
  std::string out;
};

void run_simulate(const SimulateArgs& a) {
  if (a.n <= 0 || a.length <= 0) throw Error("--n and --length must be positive");
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
  auto* cmd = add_command(app, "simulate", "write random sequences to a FASTA file");
  cmd->add_option("--n", args->n, "number of sequences")->capture_default_str();
  cmd->add_option("--length", args->length, "bases per sequence")->capture_default_str();
  cmd->add_option("--alphabet", args->alphabet, "dna, rna or protein")->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "output FASTA")->required();
  cmd->callback([args] { run_simulate(*args); });
}

}  // namespace seqnn::cli
