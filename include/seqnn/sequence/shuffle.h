#pragma once
// Dinucleotide shuffles: random sequences with exactly the dinucleotide (2-mer) counts of the
// original, first and last letter kept, by the Euler-path method of Altschul & Erickson (Mol. Biol.
// Evol. 1985) as MEME's fasta-shuffle-letters -kmer 2, uShuffle (Jiang et al. 2008) and tangermeme's
// dinucleotide_shuffle use it: the sequence is a walk through the multigraph of letters (one edge
// per adjacent pair); a random spanning arborescence towards the last letter is drawn (Wilson's
// loop-erased random walk), it fixes each letter's last exit, the other exits are permuted at
// random, and the walk that takes each letter's exits in that order is the shuffle. Every Euler
// path of the graph is equally likely.
//
// One-hot columns that are all zero (N) are a letter of their own and stay all-zero. Draws use
// std::mt19937_64 with our own index arithmetic, so a seed gives the same shuffles everywhere;
// sequence i of a batch draws from a generator seeded by (seed, first_index + i), so results do
// not depend on how a caller batches its sequences.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seqnn {

// Letters (e.g. alphabet indices; any values) -> k shuffles.
std::vector<std::vector<int>> dinucleotide_shuffle_letters(const std::vector<int>& letters, int64_t k, uint64_t seed);

// x: one-hot (A, L) -> (k, A, L), same dtype.
at::Tensor dinucleotide_shuffle(const at::Tensor& x, int64_t k, uint64_t seed);
// X: (N, A, L) -> (N, k, A, L); sequence i shuffled with seed (seed, first_index + i).
at::Tensor dinucleotide_shuffles(const at::Tensor& X, int64_t k, uint64_t seed, int64_t first_index = 0);

}  // namespace seqnn
