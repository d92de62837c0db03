// Stochastic traceback (Ding & Lawrence 2003): each step picks one term of the recursion with
// probability term / total, using the inside tables.
#include <algorithm>
#include <random>

#include "rna/fold/partition_tables.h"

namespace seqnn::rna::fold {
namespace {

class Sampler {
 public:
  Sampler(const PartitionFunction::Tables& t, uint64_t seed) : t_(t), rng_(seed) {}

  std::string draw() {
    db_.assign(static_cast<size_t>(t_.n), '.');
    todo_.clear();
    todo_.push_back({kExt, 1, t_.n});
    while (!todo_.empty()) {
      const Item it = todo_.back();
      todo_.pop_back();
      switch (it.kind) {
        case kExt: exterior(it.j); break;
        case kPair: pair(it.i, it.j); break;
        case kMulti: multi(it.i, it.j); break;
        case kMulti1: multi1(it.i, it.j); break;
      }
    }
    return db_;
  }

 private:
  enum Kind { kExt, kPair, kMulti, kMulti1 };
  struct Item {
    Kind kind;
    int i, j;
  };

  double uniform() { return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0); }

  void exterior(int j) {
    if (j < 1) return;
    const double r = uniform() * t_.Q5[static_cast<size_t>(j)];
    double acc = t_.Q5[static_cast<size_t>(j - 1)] * t_.sc(1);
    if (r < acc) return todo_.push_back({kExt, 1, j - 1});
    int last = -1;
    for (int k = j - kMinHairpin - 1; k >= std::max(1, j - t_.w); --k) {
      const double qb = t_.QB.at(k, j);
      if (qb == 0.0) continue;
      last = k;
      acc += t_.Q5[static_cast<size_t>(k - 1)] * qb * t_.exterior_term(k, j);
      if (r < acc) break;
    }
    if (last < 0) return todo_.push_back({kExt, 1, j - 1});  // rounding: only the open chain is left
    todo_.push_back({kExt, 1, last - 1});
    todo_.push_back({kPair, last, j});
  }

  void pair(int i, int j) {
    db_[static_cast<size_t>(i - 1)] = '(';
    db_[static_cast<size_t>(j - 1)] = ')';
    const double r = uniform() * t_.QB.at(i, j);
    double acc = t_.hairpin_term(i, j);
    if (r < acc) return;
    const int kmax = std::min(i + kMaxLoop + 1, j - kMinHairpin - 2);
    int lk = -1, ll = -1;
    for (int k = i + 1; k <= kmax; ++k) {
      const int lmin = std::max(k + kMinHairpin + 1, j - 1 - (kMaxLoop - (k - i - 1)));
      for (int l = j - 1; l >= lmin; --l) {
        const double q = t_.QB.at(k, l);
        if (q == 0.0) continue;
        acc += q * t_.interior_term(i, j, k, l);
        lk = k;
        ll = l;
        if (r < acc) return todo_.push_back({kPair, k, l});
      }
    }
    int lu = -1;
    if (j - i - 1 >= 2 * (kMinHairpin + 2)) {
      const double c = t_.multi_closing_term(i, j);
      for (int u = i + kMinHairpin + 2; u <= j - kMinHairpin - 3; ++u) {
        const double term = t_.QM.at(i + 1, u) * t_.QM1.at(u + 1, j - 1);
        if (term == 0.0) continue;
        acc += term * c;
        lu = u;
        if (r < acc) break;
      }
    }
    if (lu >= 0) {
      todo_.push_back({kMulti, i + 1, lu});
      todo_.push_back({kMulti1, lu + 1, j - 1});
    } else if (lk >= 0) {
      todo_.push_back({kPair, lk, ll});
    }
  }

  void multi1(int i, int j) {
    const double r = uniform() * t_.QM1.at(i, j);
    const double qb = t_.QB.at(i, j);
    const double take = qb > 0.0 ? qb * t_.multi_branch_term(i, j) : 0.0;
    if (r < take || j - 1 < i + kMinHairpin + 1) return todo_.push_back({kPair, i, j});
    todo_.push_back({kMulti1, i, j - 1});
  }

  void multi(int i, int j) {
    const double r = uniform() * t_.QM.at(i, j);
    double acc = 0.0;
    Item a{kMulti1, -1, -1}, b{kMulti, -1, -1};
    for (int k = i; k <= j - kMinHairpin - 1; ++k) {
      const double f1 = t_.QM1.at(k, j);
      if (f1 == 0.0) continue;
      a = {kMulti1, k, j};
      b = {kMulti, -1, -1};
      acc += t_.ml_unpaired(k - i) * f1;
      if (r < acc) break;
      if (k - 1 >= i + kMinHairpin + 1) {
        const double qm = t_.QM.at(i, k - 1);
        if (qm > 0.0) {
          b = {kMulti, i, k - 1};
          acc += qm * f1;
          if (r < acc) break;
        }
        b = {kMulti, -1, -1};
      }
    }
    todo_.push_back(a);
    if (b.i >= 0) todo_.push_back(b);
  }

  const PartitionFunction::Tables& t_;
  std::mt19937_64 rng_;
  std::string db_;
  std::vector<Item> todo_;
};

}  // namespace

std::vector<std::string> PartitionFunction::sample(int count, uint64_t seed) const {
  Sampler sampler(*t_, seed);
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(std::max(0, count)));
  for (int c = 0; c < count; ++c) out.push_back(sampler.draw());
  return out;
}

}  // namespace seqnn::rna::fold
