#include "seqnn/rna/evaluation.h"

#include <limits>
#include <set>

namespace seqnn::rna {

PairScores pair_scores(const Structure& truth, const Structure& predicted) {
  PairScores s;
  const auto t = truth.pairs(), p = predicted.pairs();
  const std::set<BasePair> true_set(t.begin(), t.end());
  s.true_pairs = static_cast<int64_t>(t.size());
  s.predicted_pairs = static_cast<int64_t>(p.size());
  for (const auto& pair : p) s.correct += true_set.count(pair) ? 1 : 0;
  if (s.true_pairs == 0 && s.predicted_pairs == 0) {
    s.precision = s.recall = s.f1 = 1.0;
    return s;
  }
  s.precision = s.predicted_pairs > 0 ? static_cast<double>(s.correct) / static_cast<double>(s.predicted_pairs) : 0.0;
  s.recall = s.true_pairs > 0 ? static_cast<double>(s.correct) / static_cast<double>(s.true_pairs) : 0.0;
  s.f1 = s.precision + s.recall > 0.0 ? 2.0 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

void BoxSensitivity::add(const BoxSensitivity& o) {
  for (int k = 0; k < kNumBoxTypes; ++k) {
    true_boxes[k] += o.true_boxes[k];
    identical[k] += o.identical[k];
    overlapping[k] += o.overlapping[k];
  }
}

int64_t BoxSensitivity::total_true() const { return true_boxes[0] + true_boxes[1] + true_boxes[2]; }

namespace {
double rate(const std::array<int64_t, kNumBoxTypes>& hit, const std::array<int64_t, kNumBoxTypes>& all, int type) {
  int64_t h = 0, n = 0;
  for (int k = 0; k < kNumBoxTypes; ++k) {
    if (type >= 0 && k != type) continue;
    h += hit[k];
    n += all[k];
  }
  return n > 0 ? static_cast<double>(h) / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

double BoxSensitivity::identical_rate(int type) const { return rate(identical, true_boxes, type); }
double BoxSensitivity::overlapping_rate(int type) const { return rate(overlapping, true_boxes, type); }

BoxSensitivity box_sensitivity(const std::vector<Box>& truth, const std::vector<Box>& predicted) {
  BoxSensitivity s;
  for (const Box& t : truth) {
    const int k = static_cast<int>(t.type);
    ++s.true_boxes[k];
    bool same = false, overlap = false;
    for (const Box& p : predicted) {
      if (p.type != t.type) continue;
      same = same || p == t;
      overlap = overlap || p.overlaps(t);
    }
    s.identical[k] += same ? 1 : 0;
    s.overlapping[k] += overlap ? 1 : 0;
  }
  return s;
}

}  // namespace seqnn::rna
