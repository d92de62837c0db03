#include "seqnn/sequence/encoding.h"

#include <torch/torch.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <sys/mman.h>
#include <random>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

[[noreturn]] void invalid_char(char c, size_t pos, const Alphabet& alphabet, const std::string& where) {
  std::string shown = std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                                   : "\\x" + std::to_string(static_cast<unsigned char>(c));
  fail(where.empty() ? "sequence" : where, "invalid character '" + shown + "' at position " + std::to_string(pos + 1) +
                                               " for alphabet " + alphabet.name());
}

// Scan for characters that need attention (unknown or invalid) only when the fast path saw one:
// the common case (clean sequence) runs a single table lookup per base.
void check_unknown(std::string_view seq, const Alphabet& alphabet, UnknownRule unknown, const std::string& where) {
  const auto& lut = alphabet.table();
  for (size_t i = 0; i < seq.size(); ++i) {
    int8_t k = lut[static_cast<uint8_t>(seq[i])];
    if (k == Alphabet::kInvalid) invalid_char(seq[i], i, alphabet, where);
    if (k == Alphabet::kUnknown && unknown == UnknownRule::kError) {
      fail(where.empty() ? "sequence" : where,
           "unknown character '" + std::string(1, seq[i]) + "' at position " + std::to_string(i + 1));
    }
  }
}

void check_one_hot_dtype(at::ScalarType dtype, UnknownRule unknown) {
  if (unknown == UnknownRule::kUniform && !at::isFloatingType(dtype)) {
    throw Error("one_hot_encode: the uniform unknown rule needs a floating-point dtype");
  }
}

// Fills rows of a float tensor for unknown positions with 1/A (only for UnknownRule::kUniform).
void fill_uniform_unknowns(std::string_view seq, const Alphabet& alphabet, at::Tensor out /* (A, L) */) {
  const auto& lut = alphabet.table();
  const double value = 1.0 / alphabet.size();
  for (size_t i = 0; i < seq.size(); ++i) {
    if (lut[static_cast<uint8_t>(seq[i])] == Alphabet::kUnknown) out.select(1, static_cast<int64_t>(i)).fill_(value);
  }
}

}  // namespace

void check_sequence_letters(std::string_view seq, const Alphabet& alphabet, UnknownRule unknown, const std::string& where) {
  check_unknown(seq, alphabet, unknown, where);
}

namespace {

// Nucleotide fast path: writes all four rows at every position (no zeroing pass, no scattered
// stores); the compiler vectorises the four comparisons. Returns the OR of all lookups.
// int8 stores may alias anything, so copy the table locally and mark the rows restrict.
int8_t encode_four_rows(const uint8_t* __restrict s, int64_t L, const std::array<int8_t, 256>& table,
                        int8_t* __restrict out) {
  int8_t lut[256];
  std::memcpy(lut, table.data(), sizeof lut);
  int8_t* __restrict r0 = out;
  int8_t* __restrict r1 = out + L;
  int8_t* __restrict r2 = out + 2 * L;
  int8_t* __restrict r3 = out + 3 * L;
  int8_t all = 0;
  for (int64_t i = 0; i < L; ++i) {
    const int8_t k = lut[s[i]];
    all |= k;
    r0[i] = k == 0;
    r1[i] = k == 1;
    r2[i] = k == 2;
    r3[i] = k == 3;
  }
  return all;
}

// Large int8 buffers (whole chromosomes, big batches) come from mmap with transparent huge pages:
// first-touch page faults, not the encoding, dominate the time otherwise (measured: 8x on chr20).
// *zeroed tells whether the contents are zero already (anonymous mmap memory is).
at::Tensor alloc_int8(at::IntArrayRef shape, bool* zeroed) {
  int64_t bytes = 1;
  for (int64_t d : shape) bytes *= d;
  const int64_t kHuge = int64_t{2} << 20;
  *zeroed = false;
  if (bytes < 8 * kHuge) return torch::empty(shape, torch::kInt8);
  const size_t length = static_cast<size_t>((bytes + kHuge - 1) / kHuge * kHuge);
  void* p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return torch::empty(shape, torch::kInt8);
  madvise(p, length, MADV_HUGEPAGE);
  *zeroed = true;
  return torch::from_blob(p, shape, [length](void* q) { munmap(q, length); }, torch::kInt8);
}

// Output buffer for one_hot_encode_into: four-letter alphabets write every cell themselves,
// other alphabets need zeros.
at::Tensor one_hot_buffer(at::IntArrayRef shape, const Alphabet& alphabet) {
  bool zeroed = false;
  at::Tensor t = alloc_int8(shape, &zeroed);
  if (alphabet.size() != 4 && !zeroed) t.zero_();
  return t;
}

}  // namespace

void one_hot_encode_into(std::string_view seq, const Alphabet& alphabet, int8_t* out, UnknownRule unknown,
                         const std::string& where) {
  const auto& lut = alphabet.table();
  const int64_t L = static_cast<int64_t>(seq.size());
  const uint8_t* s = reinterpret_cast<const uint8_t*>(seq.data());
  int8_t all = 0;  // OR of lookups: negative iff an unknown or invalid character occurred
  if (alphabet.size() == 4) {
    all = encode_four_rows(s, L, lut, out);
  } else {
    for (int64_t i = 0; i < L; ++i) {
      int8_t k = lut[s[i]];
      all |= k;
      if (k >= 0) out[k * L + i] = 1;
    }
  }
  if (all < 0) check_unknown(seq, alphabet, unknown, where);
}

at::Tensor one_hot_encode(std::string_view seq, const Alphabet& alphabet, const EncodeOptions& opts) {
  check_one_hot_dtype(opts.dtype, opts.unknown);
  const int64_t L = static_cast<int64_t>(seq.size());
  at::Tensor x = one_hot_buffer({alphabet.size(), L}, alphabet);
  one_hot_encode_into(seq, alphabet, x.data_ptr<int8_t>(), opts.unknown, opts.source);
  if (opts.dtype == at::kChar) return x;
  at::Tensor y = x.to(opts.dtype);
  if (opts.unknown == UnknownRule::kUniform) fill_uniform_unknowns(seq, alphabet, y);
  return y;
}

at::Tensor one_hot_encode(const std::vector<std::string>& seqs, const Alphabet& alphabet, const EncodeOptions& opts) {
  check_one_hot_dtype(opts.dtype, opts.unknown);
  const int64_t N = static_cast<int64_t>(seqs.size());
  const int64_t L = N ? static_cast<int64_t>(seqs[0].size()) : 0;
  const int64_t A = alphabet.size();
  at::Tensor x = one_hot_buffer({N, A, L}, alphabet);
  int8_t* base = x.data_ptr<int8_t>();
  // Sequences are independent: encode them in parallel when there are many.
  at::parallel_for(0, N, 64, [&](int64_t begin, int64_t end) {
    for (int64_t n = begin; n < end; ++n) {
      std::string where = opts.source.empty() ? "sequence " + std::to_string(n + 1) : opts.source;
      if (static_cast<int64_t>(seqs[n].size()) != L) {
        fail(where, "length " + std::to_string(seqs[n].size()) + " differs from the first sequence's " +
                        std::to_string(L) + " (use padding for variable lengths)");
      }
      one_hot_encode_into(seqs[n], alphabet, base + n * A * L, opts.unknown, where);
    }
  });
  if (opts.dtype == at::kChar) return x;
  at::Tensor y = x.to(opts.dtype);
  if (opts.unknown == UnknownRule::kUniform) {
    for (int64_t n = 0; n < N; ++n) fill_uniform_unknowns(seqs[n], alphabet, y[n]);
  }
  return y;
}

std::string one_hot_decode(const at::Tensor& x, const Alphabet& alphabet, char unknown) {
  if (x.dim() != 2 || x.size(0) != alphabet.size()) {
    throw Error("one_hot_decode: expected shape (" + std::to_string(alphabet.size()) + ", L), got " +
                c10::str(x.sizes()));
  }
  at::Tensor xf = x.to(torch::kFloat32);
  at::Tensor idx = xf.argmax(0).contiguous();
  at::Tensor any = (xf != 0).any(0).contiguous();
  const int64_t L = x.size(1);
  std::string out(static_cast<size_t>(L), unknown);
  const int64_t* ip = idx.data_ptr<int64_t>();
  const bool* ap = any.data_ptr<bool>();
  for (int64_t i = 0; i < L; ++i) {
    if (ap[i]) out[static_cast<size_t>(i)] = alphabet.letter(static_cast<int>(ip[i]));
  }
  return out;
}

std::vector<std::string> one_hot_decode_batch(const at::Tensor& x, const Alphabet& alphabet, char unknown) {
  if (x.dim() != 3) throw Error("one_hot_decode_batch: expected (N, A, L), got " + c10::str(x.sizes()));
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(x.size(0)));
  for (int64_t n = 0; n < x.size(0); ++n) out.push_back(one_hot_decode(x[n], alphabet, unknown));
  return out;
}

std::string reverse_complement(std::string_view seq, const Alphabet& alphabet) {
  std::string out(seq.rbegin(), seq.rend());
  for (char& c : out) c = alphabet.complement(c);
  return out;
}

at::Tensor reverse_complement(const at::Tensor& one_hot, const Alphabet& alphabet) {
  if (!alphabet.is_nucleotide()) throw Error("reverse_complement: alphabet " + alphabet.name() + " is not nucleotide");
  if (one_hot.dim() < 2 || one_hot.size(-2) != alphabet.size()) {
    throw Error("reverse_complement: expected (..., " + std::to_string(alphabet.size()) + ", L), got " +
                c10::str(one_hot.sizes()));
  }
  std::vector<int64_t> perm;
  for (int c = 0; c < alphabet.size(); ++c) perm.push_back(alphabet.complement_channel(c));
  at::Tensor index = torch::tensor(perm, torch::kLong);
  return one_hot.index_select(-2, index).flip({-1});
}

namespace {

// Draws channel indices with the given cumulative distribution (or uniform when empty).
template <typename Visit>
void draw_channels(int64_t count, int A, uint64_t seed, const std::vector<double>& probabilities, Visit visit) {
  std::mt19937_64 rng(seed);
  if (probabilities.empty()) {
    std::uniform_int_distribution<int> pick(0, A - 1);
    for (int64_t i = 0; i < count; ++i) visit(i, pick(rng));
    return;
  }
  if (static_cast<int>(probabilities.size()) != A) {
    throw Error("random_one_hot: " + std::to_string(probabilities.size()) + " probabilities for " +
                std::to_string(A) + " channels");
  }
  double total = 0;
  for (double p : probabilities) {
    if (p < 0) throw Error("random_one_hot: negative probability");
    total += p;
  }
  if (std::abs(total - 1.0) > 1e-6) throw Error("random_one_hot: probabilities sum to " + std::to_string(total));
  std::discrete_distribution<int> pick(probabilities.begin(), probabilities.end());
  for (int64_t i = 0; i < count; ++i) visit(i, pick(rng));
}

}  // namespace

at::Tensor random_one_hot(std::vector<int64_t> shape, uint64_t seed, at::ScalarType dtype,
                          std::vector<double> probabilities) {
  if (shape.size() != 3) throw Error("random_one_hot: shape must be (N, A, L)");
  const int64_t N = shape[0], A = shape[1], L = shape[2];
  at::Tensor x = torch::zeros({N, A, L}, torch::kInt8);
  int8_t* p = x.data_ptr<int8_t>();
  // Draw in (n, position) order so the first sequences are identical whatever N is.
  draw_channels(N * L, static_cast<int>(A), seed, probabilities, [&](int64_t k, int c) {
    const int64_t n = k / L, i = k % L;
    p[(n * A + c) * L + i] = 1;
  });
  return dtype == at::kChar ? x : x.to(dtype);
}

std::vector<std::string> random_sequences(int64_t n, int64_t length, const Alphabet& alphabet, uint64_t seed) {
  std::vector<std::string> out(static_cast<size_t>(n), std::string(static_cast<size_t>(length), 'N'));
  const int A = alphabet.has_gap() ? alphabet.size() - 1 : alphabet.size();
  draw_channels(n * length, A, seed, {}, [&](int64_t k, int c) {
    out[static_cast<size_t>(k / length)][static_cast<size_t>(k % length)] = alphabet.letter(c);
  });
  return out;
}

PaddedBatch pad_one_hot(const std::vector<std::string>& seqs, const Alphabet& alphabet, int64_t pad_to,
                        const EncodeOptions& opts) {
  check_one_hot_dtype(opts.dtype, opts.unknown);
  const int64_t N = static_cast<int64_t>(seqs.size());
  int64_t Lmax = 0;
  for (const auto& s : seqs) Lmax = std::max<int64_t>(Lmax, static_cast<int64_t>(s.size()));
  if (pad_to > 0) {
    if (Lmax > pad_to) {
      for (int64_t n = 0; n < N; ++n) {
        if (static_cast<int64_t>(seqs[n].size()) > pad_to) {
          fail(opts.source.empty() ? "sequence " + std::to_string(n + 1) : opts.source,
               "length " + std::to_string(seqs[n].size()) + " exceeds the padding length " + std::to_string(pad_to));
        }
      }
    }
    Lmax = pad_to;
  }
  const int64_t A = alphabet.size();
  PaddedBatch batch;
  at::Tensor x = torch::zeros({N, A, Lmax}, torch::kInt8);
  batch.mask = torch::zeros({N, Lmax}, torch::kBool);
  batch.lengths = torch::empty({N}, torch::kLong);
  for (int64_t n = 0; n < N; ++n) {
    const int64_t len = static_cast<int64_t>(seqs[n].size());
    std::string where = opts.source.empty() ? "sequence " + std::to_string(n + 1) : opts.source;
    // Encode into a tight (A, len) buffer, then copy into the padded slot.
    at::Tensor tight = torch::zeros({A, len}, torch::kInt8);
    one_hot_encode_into(seqs[n], alphabet, tight.data_ptr<int8_t>(), opts.unknown, where);
    x[n].narrow(1, 0, len).copy_(tight);
    batch.mask[n].narrow(0, 0, len).fill_(true);
    batch.lengths[n] = len;
  }
  batch.x = opts.dtype == at::kChar ? x : x.to(opts.dtype);
  if (opts.unknown == UnknownRule::kUniform) {
    for (int64_t n = 0; n < N; ++n) {
      fill_uniform_unknowns(seqs[n], alphabet, batch.x[n].narrow(1, 0, static_cast<int64_t>(seqs[n].size())));
    }
  }
  return batch;
}

namespace {

std::string where_of(const std::vector<std::string>& where, size_t i) {
  return i < where.size() ? where[i] : "sequence " + std::to_string(i + 1);
}

// The chunk's input length; a sequence that breaks the rule is named before anything runs.
int64_t chunk_length(const std::vector<std::string>& seqs, const ChunkEncodeOptions& opts,
                     const std::vector<std::string>& where) {
  const std::string hint = opts.hint.empty() ? "" : " (" + opts.hint + ")";
  int64_t longest = 0;
  int64_t expected = opts.length;
  const std::string expected_name = expected > 0 ? opts.length_name : "the first sequence's length";
  for (size_t i = 0; i < seqs.size(); ++i) {
    const int64_t len = static_cast<int64_t>(seqs[i].size());
    longest = std::max(longest, len);
    if (opts.lengths == ChunkLengths::kPadToLongest) {
      if (opts.length > 0 && len > opts.length) {
        fail(where_of(where, i), "sequence length " + std::to_string(len) + " exceeds " + opts.length_name + " " +
                                     std::to_string(opts.length) + hint);
      }
      continue;
    }
    if (expected <= 0) expected = len;
    if (len != expected) {
      fail(where_of(where, i), "sequence length " + std::to_string(len) + " does not match " + expected_name + " " +
                                   std::to_string(expected) + hint);
    }
  }
  return opts.lengths == ChunkLengths::kPadToLongest ? longest : expected;
}

}  // namespace

at::Tensor one_hot_encode_chunk(const std::vector<std::string>& seqs, const Alphabet& alphabet,
                                const ChunkEncodeOptions& opts, const std::vector<std::string>& where) {
  const int64_t length = chunk_length(seqs, opts, where);
  at::Tensor x = torch::zeros({static_cast<int64_t>(seqs.size()), alphabet.size(), length}, torch::kInt8);
  for (size_t i = 0; i < seqs.size(); ++i) {
    const int64_t len = static_cast<int64_t>(seqs[i].size());
    const std::string name = i < where.size() ? where[i] : "";
    if (len == length) {
      one_hot_encode_into(seqs[i], alphabet, x[static_cast<int64_t>(i)].data_ptr<int8_t>(), opts.unknown, name);
      continue;
    }
    // A shorter sequence fills the first columns of its (A, length) row; the rest stays zero.
    at::Tensor row = torch::zeros({alphabet.size(), len}, torch::kInt8);
    one_hot_encode_into(seqs[i], alphabet, row.data_ptr<int8_t>(), opts.unknown, name);
    x[static_cast<int64_t>(i)].narrow(1, 0, len).copy_(row);
  }
  return x;
}

}  // namespace seqnn
