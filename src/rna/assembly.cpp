#include "seqnn/rna/assembly.h"

#include <algorithm>

#include "seqnn/util/error.h"

namespace seqnn::rna {
namespace {

class IntervalDp {
 public:
  IntervalDp(int64_t L, const std::vector<Box>& stems, const std::vector<double>& scores)
      : L_(L), stems_(stems), scores_(scores), by_start_(static_cast<size_t>(L)),
        f_(static_cast<size_t>((L + 1) * (L + 1)), 0.0) {
    for (size_t s = 0; s < stems.size(); ++s) {
      if (scores[s] > 0.0) by_start_[static_cast<size_t>(stems[s].i)].push_back(s);
    }
    for (int64_t a = L - 1; a >= 0; --a) {
      for (int64_t b = a; b < L; ++b) at(a, b) = best(a, b, nullptr);
    }
  }

  double total() const { return get(0, L_ - 1); }

  std::vector<size_t> traceback() const {
    std::vector<size_t> chosen;
    std::vector<std::pair<int64_t, int64_t>> todo{{0, L_ - 1}};
    while (!todo.empty()) {
      auto [a, b] = todo.back();
      todo.pop_back();
      if (a > b) continue;
      int64_t pick = -1;
      best(a, b, &pick);
      if (pick < 0) {
        todo.push_back({a + 1, b});
        continue;
      }
      const Box& s = stems_[static_cast<size_t>(pick)];
      chosen.push_back(static_cast<size_t>(pick));
      todo.push_back({s.i + s.size_x, s.j - s.size_x});
      todo.push_back({s.j + 1, b});
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
  }

 private:
  // F(a, b) from already computed cells; *pick = the stem taken (-1 = base a left unpaired).
  double best(int64_t a, int64_t b, int64_t* pick) const {
    double v = get(a + 1, b);
    if (pick) *pick = -1;
    for (size_t s : by_start_[static_cast<size_t>(a)]) {
      const Box& st = stems_[s];
      if (st.j > b) continue;
      const double w = scores_[s] + get(st.i + st.size_x, st.j - st.size_x) + get(st.j + 1, b);
      if (w > v) {
        v = w;
        if (pick) *pick = static_cast<int64_t>(s);
      }
    }
    return v;
  }
  double get(int64_t a, int64_t b) const { return a > b ? 0.0 : f_[static_cast<size_t>(a * (L_ + 1) + b)]; }
  double& at(int64_t a, int64_t b) { return f_[static_cast<size_t>(a * (L_ + 1) + b)]; }

  int64_t L_;
  const std::vector<Box>& stems_;
  const std::vector<double>& scores_;
  std::vector<std::vector<size_t>> by_start_;
  std::vector<double> f_;
};

}  // namespace

Assembly assemble_stems(int64_t length, const std::vector<Box>& stems, const std::vector<double>& scores) {
  if (stems.size() != scores.size()) throw Error("assemble_stems: one score per stem is needed");
  for (const Box& s : stems) {
    if (s.type != BoxType::kStem || s.size_x != s.size_y || s.size_x < 1 || s.i < 0 || s.j >= length ||
        s.i + s.size_x - 1 >= s.j - s.size_x + 1) {
      throw Error("assemble_stems: not a valid stem box at (" + std::to_string(s.i) + ", " + std::to_string(s.j) + ")");
    }
  }
  Assembly out;
  out.structure = Structure(length);
  if (length <= 0) return out;
  IntervalDp dp(length, stems, scores);
  out.chosen = dp.traceback();
  std::vector<BasePair> pairs;
  for (size_t s : out.chosen) {
    out.score += scores[s];
    for (const auto& p : stem_pairs(stems[s])) pairs.push_back(p);
  }
  out.structure = Structure::from_pairs(length, pairs, "assembly");
  return out;
}

}  // namespace seqnn::rna
