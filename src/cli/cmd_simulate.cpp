// seqnn simulate: random sequences to a FASTA file, or random intervals of a genome to a BED file
// (deterministic for a seed).
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/sequence/simulate.h"

namespace seqnn::cli {
namespace {

struct SimulateArgs {
  CommonOptions common;
  SimulateOptions sim;
  std::string genome, out;
};

void run_simulate(SimulateArgs& a) {
  apply_common_options(a.common);
  a.sim.seed = a.common.seed;
  if (!a.genome.empty()) {
    simulate_bed(a.sim, a.genome, a.out);
    std::fprintf(stderr, "seqnn simulate: %lld random %lld-bp intervals on %s (seed %llu) -> %s\n", static_cast<long long>(a.sim.n),
                 static_cast<long long>(a.sim.length), a.genome.c_str(), static_cast<unsigned long long>(a.sim.seed), a.out.c_str());
    return;
  }
  simulate_fasta(a.sim, a.out);
  std::fprintf(stderr, "seqnn simulate: %lld %s sequences of %lld bases (seed %llu) -> %s\n", static_cast<long long>(a.sim.n),
               a.sim.alphabet.c_str(), static_cast<long long>(a.sim.length), static_cast<unsigned long long>(a.sim.seed), a.out.c_str());
}

}  // namespace

void register_simulate(CLI::App& app) {
  auto a = std::make_shared<SimulateArgs>();
  auto* cmd = add_command(app, "simulate", "write random sequences (FASTA), or random intervals of a genome (BED)");
  cmd->add_option("--n", a->sim.n, "number of sequences")->check(kPositive)->capture_default_str();
  cmd->add_option("--length,-l", a->sim.length, "bases per sequence")->check(kPositive)->capture_default_str();
  cmd->add_option("--alphabet", a->sim.alphabet, "dna, rna or protein")->check(CLI::IsMember({"dna", "rna", "protein"}))->capture_default_str();
  add_genome_option(cmd, a->genome, "write BED intervals on this indexed FASTA instead of sequences");
  add_out_option(cmd, a->out, "output FASTA (or BED with --genome)");
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_simulate(*a); });
}

}  // namespace seqnn::cli
