#include "seqnn/rna/thermo_input.h"

#include <torch/torch.h>

#include <algorithm>
#include <mutex>

#include "seqnn/rna/fold/fold.h"
#include "seqnn/rna/structure.h"
#include "seqnn/rna/targets.h"
#include "seqnn/util/error.h"
#include "seqnn/util/parallel.h"

namespace seqnn::rna {

const char* s1_inputs_name(S1Inputs inputs) { return inputs == S1Inputs::kThermo ? "thermo" : "sequence"; }

S1Inputs parse_s1_inputs(const std::string& text, const std::string& where) {
  if (text == "sequence") return S1Inputs::kSequence;
  if (text == "thermo") return S1Inputs::kThermo;
  fail(where, "unknown S1 inputs '" + text + "' (expected sequence or thermo)");
}

int64_t s1_input_channels(S1Inputs inputs) { return inputs == S1Inputs::kThermo ? 10 : 8; }

ThermoFeatures thermo_features(const std::string& sequence) {
  fold::FoldSettings settings;
  settings.partition = true;
  settings.pair_threshold = kThermoPairThreshold;
  const fold::FoldResult r = fold::fold_sequence(sequence, settings);
  ThermoFeatures f;
  f.length = static_cast<int64_t>(sequence.size());
  f.pairs = r.pairs;
  for (const BasePair& p : Structure::from_dot_bracket(r.mfe.structure, "MFE structure").pairs()) {
    f.mfe_pairs.emplace_back(static_cast<int>(p.i), static_cast<int>(p.j));
  }
  return f;
}

std::vector<ThermoFeatures> thermo_features(const std::vector<std::string>& sequences,
                                            const std::function<void(int64_t done)>& progress) {
  std::vector<ThermoFeatures> out(sequences.size());
  std::mutex mutex;
  int64_t done = 0;
  // One sequence per task: folding costs grow as L^3, so equal-size chunks would not balance.
  parallel_for_with_state(0, static_cast<int64_t>(sequences.size()), 1, [&](int64_t first, int64_t last) {
    for (int64_t k = first; k < last; ++k) {
      out[static_cast<size_t>(k)] = thermo_features(sequences[static_cast<size_t>(k)]);
      std::lock_guard<std::mutex> lock(mutex);
      ++done;
      if (progress) progress(done);
    }
  });
  return out;
}

at::Tensor thermo_channels(const ThermoFeatures& f, int64_t pad_to) {
  const int64_t P = std::max(pad_to, f.length);
  at::Tensor x = torch::zeros({2, P, P}, torch::kFloat);
  auto a = x.accessor<float, 3>();
  for (const auto& p : f.pairs) a[0][p.i][p.j] = a[0][p.j][p.i] = static_cast<float>(p.p);
  for (const auto& [i, j] : f.mfe_pairs) a[1][i][j] = a[1][j][i] = 1.0f;
  return x;
}

at::Tensor s1_input_batch(const std::vector<std::string>& sequences, S1Inputs inputs,
                          const std::vector<const ThermoFeatures*>& thermo, int64_t pad_to) {
  int64_t P = pad_to;
  for (const auto& s : sequences) P = std::max<int64_t>(P, static_cast<int64_t>(s.size()));
  const at::Tensor seq = pair_input_batch(sequences, P);
  if (inputs == S1Inputs::kSequence) return seq;
  std::vector<ThermoFeatures> computed;
  std::vector<const ThermoFeatures*> features = thermo;
  if (features.empty()) {
    computed = thermo_features(sequences);
    for (const auto& f : computed) features.push_back(&f);
  }
  if (features.size() != sequences.size()) throw Error("thermodynamic features for " + std::to_string(features.size()) +
                                                       " of " + std::to_string(sequences.size()) + " sequences");
  std::vector<at::Tensor> parts;
  for (const ThermoFeatures* f : features) parts.push_back(thermo_channels(*f, P));
  return torch::cat({seq, torch::stack(parts)}, 1);
}

}  // namespace seqnn::rna
