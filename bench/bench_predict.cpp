// Predict throughput of seqnn::predict on a TorchScript model: N random one-hot sequences (int8,
// cast per batch). bench/bench_predict.py runs the same model in a plain PyTorch loop in the same
// script and prints the ratio.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

#include "seqnn/inference/predict.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/runtime_info.h"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: bench_predict MODEL N LENGTH BATCH THREADS [DEVICE]\n");
    return 2;
  }
  const int64_t N = std::atoll(argv[2]), L = std::atoll(argv[3]), B = std::atoll(argv[4]);
  seqnn::set_threads(std::atoi(argv[5]));
  seqnn::Model model = seqnn::Model::load(argv[1]);
  at::Tensor X = seqnn::random_one_hot({N, 4, L}, 1);
  seqnn::PredictOptions opts;
  opts.batch_size = B;
  if (argc > 6) opts.device = argv[6];  // cpu (default), cuda: the GPU run of bench/gpu/run.sh
  seqnn::predict(model, X.narrow(0, 0, B), {}, opts);  // warm-up (allocator, OpenMP pool)
  auto t0 = std::chrono::steady_clock::now();
  seqnn::ModelOutput y = seqnn::predict(model, X, {}, opts);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("seqnn_seconds %.4f\nseqnn_seq_per_s %.2f\nchecksum %.6f\n", secs, N / secs, y.tensor().sum().item<double>());
  return 0;
}
