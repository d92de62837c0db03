// One-hot encoding throughput on a whole chromosome: the full sequence as one (4, L) array, and
// cut into 1000-bp windows as an (N, 4, 1000) batch. Prints bases/s; bench/bench_onehot.py runs
// numpy on the same data in the same script and prints the ratio.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/runtime_info.h"

namespace {

template <typename F>
double best_seconds(int repeats, F f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_onehot GENOME.fa[.gz] [threads]\n");
    return 2;
  }
  seqnn::set_threads(argc > 2 ? std::atoi(argv[2]) : 1);
  seqnn::FastaReader reader(argv[1]);
  seqnn::FastaRecord rec;
  reader.next(rec);
  const std::string& seq = rec.sequence;
  const int64_t L = static_cast<int64_t>(seq.size());
  const auto& dna = seqnn::Alphabet::dna();

  double whole = best_seconds(3, [&] {
    seqnn::one_hot_encode(seq, dna);
  });
  at::Tensor touched = torch::zeros({4, L}, torch::kInt8);  // pages already mapped
  double encode_only = best_seconds(3, [&] { seqnn::one_hot_encode_into(seq, dna, touched.data_ptr<int8_t>()); });
  std::printf("seqnn_encode_only_bases_per_s %.0f\n", L / encode_only);
  const int64_t W = 1000, N = L / W;
  std::vector<std::string> windows;
  windows.reserve(static_cast<size_t>(N));
  for (int64_t i = 0; i < N; ++i) windows.push_back(seq.substr(static_cast<size_t>(i * W), W));
  double batched = best_seconds(3, [&] { seqnn::one_hot_encode(windows, dna); });
  std::printf("seqnn_whole_bases_per_s %.0f\n", L / whole);
  std::printf("seqnn_windows_bases_per_s %.0f\n", N * W / batched);
  std::printf("bases %lld windows %lld threads %d\n", static_cast<long long>(L), static_cast<long long>(N),
              torch::get_num_threads());
  return 0;
}
