#include "seqnn/rna/s1_pairs.h"

#include <torch/torch.h>

#include "seqnn/rna/structure.h"

namespace seqnn::rna {

std::vector<fold::PairProbability> s1_pair_probabilities(const S1Output& out, int64_t n, const std::string& sequence,
                                                         double min_probability) {
  using torch::indexing::Slice;
  const int64_t L = static_cast<int64_t>(sequence.size());
  const int stem = static_cast<int>(BoxType::kStem);
  auto crop = [&](const at::Tensor& t) { return t[n].index({"...", Slice(0, L), Slice(0, L)}); };
  const at::Tensor on = torch::sigmoid(crop(out.on[stem]));
  const at::Tensor agree = (torch::softmax(crop(out.loc_x[stem]), 0) * torch::softmax(crop(out.loc_y[stem]), 0)).sum(0);
  const at::Tensor p = (on * agree).to(torch::kCPU, torch::kFloat).contiguous();
  const float* v = p.data_ptr<float>();
  std::vector<fold::PairProbability> pairs;
  for (int64_t i = 0; i < L; ++i) {
    for (int64_t j = i + 4; j < L; ++j) {  // hairpins of at least 3 bases
      const double q = v[i * L + j];
      if (q < min_probability || !is_canonical_pair(sequence[static_cast<size_t>(i)], sequence[static_cast<size_t>(j)])) continue;
      pairs.push_back({static_cast<int>(i), static_cast<int>(j), q});
    }
  }
  return pairs;
}

Structure s1_mea_structure(const std::vector<fold::PairProbability>& pairs, int64_t length, double gamma) {
  // A base's pair probabilities need not sum to <= 1 here (the network is not an ensemble);
  // mea_structure clips the unpaired probabilities at 0.
  return Structure::from_dot_bracket(fold::mea_structure(static_cast<int>(length), pairs, gamma).structure, "MEA structure");
}

}  // namespace seqnn::rna
