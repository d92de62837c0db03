#pragma once
// One-hot encoding of sequences into (N, A, L) tensors (channels first, as PyTorch Conv1d
// expects), decoding, reverse complement, random sequences and padding of variable lengths.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "seqnn/sequence/alphabet.h"

namespace seqnn {

enum class UnknownRule {
  kZero,     // all-zero column (default)
  kUniform,  // 1/A in every channel (float dtypes only)
  kError,    // raise seqnn::Error
};

struct EncodeOptions {
  at::ScalarType dtype = at::kChar;  // int8 by default: 4x smaller than float, cast per batch
  UnknownRule unknown = UnknownRule::kZero;
  std::string source;  // file or record name used in error messages
};

// Throws seqnn::Error naming `where`, the character and its position for a character the
// alphabet does not accept (and, with UnknownRule::kError, for an unknown one such as N).
void check_sequence_letters(std::string_view seq, const Alphabet& alphabet, UnknownRule unknown, const std::string& where);

// Encodes into a caller-provided (A, L) row-major buffer that is already zeroed: out[a * L + i].
// (Four-letter alphabets write every cell, so there the buffer need not be zeroed.)
// `where` names the sequence in error messages.
void one_hot_encode_into(std::string_view seq, const Alphabet& alphabet, int8_t* out,
                         UnknownRule unknown = UnknownRule::kZero, const std::string& where = "");

at::Tensor one_hot_encode(std::string_view seq, const Alphabet& alphabet, const EncodeOptions& opts = {});  // (A, L)
// All sequences must have the same length (see pad_one_hot otherwise). Returns (N, A, L).
at::Tensor one_hot_encode(const std::vector<std::string>& seqs, const Alphabet& alphabet,
                          const EncodeOptions& opts = {});

// (A, L) or (N, A, L) one-hot back to letters; all-zero columns become `unknown`; a column with
// several non-zero channels takes the largest (argmax), so soft encodings decode too.
std::string one_hot_decode(const at::Tensor& x, const Alphabet& alphabet, char unknown = 'N');
std::vector<std::string> one_hot_decode_batch(const at::Tensor& x, const Alphabet& alphabet, char unknown = 'N');

// Reverse complement of a nucleotide string (keeps case; IUPAC codes complemented).
std::string reverse_complement(std::string_view seq, const Alphabet& alphabet = Alphabet::dna());
// Reverse complement of a one-hot tensor (..., A, L) over ACGT/ACGU channels: flips channels and
// positions. A gap channel, if present, stays in place.
at::Tensor reverse_complement(const at::Tensor& one_hot, const Alphabet& alphabet = Alphabet::dna());

// Deterministic random one-hot tensor of shape (N, A, L): each position draws a channel uniformly
// (std::mt19937_64 seeded with `seed`, so the result is the same on every platform and LibTorch
// version). probabilities, when given, must have A entries summing to 1.
at::Tensor random_one_hot(std::vector<int64_t> shape, uint64_t seed, at::ScalarType dtype = at::kChar,
                          std::vector<double> probabilities = {});
// Random sequences of letters from the alphabet (same generator as random_one_hot).
std::vector<std::string> random_sequences(int64_t n, int64_t length, const Alphabet& alphabet, uint64_t seed);

// Variable-length sequences padded to a common length.
struct PaddedBatch {
  at::Tensor x;        // (N, A, Lmax), padding columns all zero
  at::Tensor mask;     // (N, Lmax) bool, true where a real position is
  at::Tensor lengths;  // (N,) int64
};
// pad_to <= 0 pads to the longest sequence; a sequence longer than pad_to raises seqnn::Error.
PaddedBatch pad_one_hot(const std::vector<std::string>& seqs, const Alphabet& alphabet,
                        int64_t pad_to = 0, const EncodeOptions& opts = {});

// Length rule of a chunk of sequences encoded for a model.
enum class ChunkLengths {
  kOneLength,     // every sequence has one length (convolutional models)
  kPadToLongest,  // shorter rows are zero-padded at the end to the chunk's longest (recurrent models)
};

struct ChunkEncodeOptions {
  ChunkLengths lengths = ChunkLengths::kOneLength;
  // kOneLength: the length every sequence must have (0 = the first sequence's).
  // kPadToLongest: the longest length allowed (0 = no limit).
  int64_t length = 0;
  std::string length_name = "the model's input length";  // what `length` is, for error messages
  std::string hint;                                      // appended to a length error, in parentheses
  UnknownRule unknown = UnknownRule::kZero;
};

// One-hot encodes a chunk of sequences into an (N, A, L) int8 tensor under the length rule.
// where[i] (optional) names sequence i in errors, e.g. "in.fa:3 (s1)".
at::Tensor one_hot_encode_chunk(const std::vector<std::string>& seqs, const Alphabet& alphabet,
                                const ChunkEncodeOptions& opts = {}, const std::vector<std::string>& where = {});

}  // namespace seqnn
