#include "seqnn/rna/fold/mfe.h"

#include <algorithm>
#include <vector>

#include "rna/fold/band_matrix.h"
#include "rna/fold/loop_energies.h"
#include "seqnn/util/error.h"

namespace seqnn::rna::fold {
namespace {

using detail::ColBand;
using detail::RowBand;

// C(i, j): best substructure closed by the pair (i, j); FM(i, j): part of a multiloop with at
// least one stem; FM1(i, j): exactly one stem, starting at i (bases after it unpaired);
// F5(j): the exterior loop of 1..j.
struct MfeTables {
  int n = 0, w = 0;
  RowBand<int> C, FM;
  ColBand<int> FM1;
  std::vector<int> F5;
};

void fill_mfe_tables(MfeTables& t, const EncodedSequence& s, const EnergyParams& p) {
  const int n = t.n, w = t.w;
  t.C.init(n, w, kInf);
  t.FM.init(n, w, kInf);
  t.FM1.init(n, w, kInf);
  for (int i = n; i >= 1; --i) {
    const int jmax = std::min(n, i + w);
    for (int j = i + kMinHairpin + 1; j <= jmax; ++j) {
      const int type = s.type(i, j);
      int best = kInf;
      if (type) {
        best = detail::hairpin_energy(p, s, i, j, type);
        const int kmax = std::min(i + kMaxLoop + 1, j - kMinHairpin - 2);
        for (int k = i + 1; k <= kmax; ++k) {
          const int u1 = k - i - 1;
          const int lmin = std::max(k + kMinHairpin + 1, j - 1 - (kMaxLoop - u1));
          const int* crow = &t.C.at(k, k);  // crow[l - k]
          for (int l = j - 1; l >= lmin; --l) {
            const int c = crow[l - k];
            if (c >= kInf) continue;
            const int e = detail::interior_energy(p, s, i, j, k, l, type, s.type(l, k)) + c;
            if (e < best) best = e;
          }
        }
        int ml = kInf;
        if (j - i - 1 >= 2 * (kMinHairpin + 2)) {
          const int* fm = &t.FM.at(i + 1, i + 1);        // fm[u - (i + 1)]
          const int* fm1 = &t.FM1.at(i + 2, j - 1);      // fm1[(u + 1) - (i + 2)]
          for (int u = i + kMinHairpin + 2; u <= j - kMinHairpin - 3; ++u) {
            const int a = fm[u - (i + 1)], b = fm1[u - (i + 1)];
            if (a + b < ml) ml = a + b;
          }
        }
        if (ml < kInf) best = std::min(best, ml + detail::multi_closing_energy(p, s, i, j));
      }
      t.C.at(i, j) = best;
      int f1 = kInf;
      if (j - 1 >= i + kMinHairpin + 1) {
        const int prev = t.FM1.at(i, j - 1);
        if (prev < kInf) f1 = prev + p.ml_base;
      }
      if (best < kInf) f1 = std::min(f1, best + detail::multi_branch_energy(p, s, i, j));
      t.FM1.at(i, j) = f1;
      int fm = kInf;
      const int* col = &t.FM1.at(i, j);  // col[k - i]
      for (int k = i; k <= j - kMinHairpin - 1; ++k) {
        const int f1k = col[k - i];
        if (f1k >= kInf) continue;
        int pre = (k - i) * p.ml_base;
        if (k - 1 >= i + kMinHairpin + 1) pre = std::min(pre, t.FM.at(i, k - 1));
        if (pre + f1k < fm) fm = pre + f1k;
      }
      t.FM.at(i, j) = fm;
    }
  }
  t.F5.assign(static_cast<size_t>(n) + 1, 0);
  for (int j = 1; j <= n; ++j) {
    int best = t.F5[static_cast<size_t>(j - 1)];
    for (int k = std::max(1, j - w); k <= j - kMinHairpin - 1; ++k) {
      const int c = t.C.at(k, j);
      if (c >= kInf) continue;
      const int e = t.F5[static_cast<size_t>(k - 1)] + c + detail::exterior_pair_energy(p, s, k, j);
      if (e < best) best = e;
    }
    t.F5[static_cast<size_t>(j)] = best;
  }
}

// One MFE structure from the filled tables (first matching decomposition in a fixed order).
std::string trace_mfe(const MfeTables& t, const EncodedSequence& s, const EnergyParams& p) {
  const int n = t.n;
  std::string db(static_cast<size_t>(n), '.');
  enum Kind { kExt, kPair, kMulti, kMulti1 };
  struct Item {
    Kind kind;
    int i, j;
  };
  std::vector<Item> todo{{kExt, 1, n}};
  auto mark = [&](int i, int j) {
    db[static_cast<size_t>(i - 1)] = '(';
    db[static_cast<size_t>(j - 1)] = ')';
  };
  auto broken = [] { throw Error("internal error: MFE traceback found no decomposition"); };
  while (!todo.empty()) {
    const Item it = todo.back();
    todo.pop_back();
    const int i = it.i, j = it.j;
    if (it.kind == kExt) {
      if (j < 1) continue;
      const int f = t.F5[static_cast<size_t>(j)];
      if (f == t.F5[static_cast<size_t>(j - 1)]) {
        todo.push_back({kExt, 1, j - 1});
        continue;
      }
      bool found = false;
      for (int k = j - kMinHairpin - 1; k >= std::max(1, j - t.w) && !found; --k) {
        const int c = t.C.at(k, j);
        if (c >= kInf) continue;
        if (t.F5[static_cast<size_t>(k - 1)] + c + detail::exterior_pair_energy(p, s, k, j) == f) {
          todo.push_back({kExt, 1, k - 1});
          todo.push_back({kPair, k, j});
          found = true;
        }
      }
      if (!found) broken();
    } else if (it.kind == kPair) {
      mark(i, j);
      const int c = t.C.at(i, j), type = s.type(i, j);
      if (c == detail::hairpin_energy(p, s, i, j, type)) continue;
      bool found = false;
      const int kmax = std::min(i + kMaxLoop + 1, j - kMinHairpin - 2);
      for (int k = i + 1; k <= kmax && !found; ++k) {
        const int lmin = std::max(k + kMinHairpin + 1, j - 1 - (kMaxLoop - (k - i - 1)));
        for (int l = j - 1; l >= lmin && !found; --l) {
          const int cc = t.C.at(k, l);
          if (cc >= kInf) continue;
          if (detail::interior_energy(p, s, i, j, k, l, type, s.type(l, k)) + cc == c) {
            todo.push_back({kPair, k, l});
            found = true;
          }
        }
      }
      if (found) continue;
      const int closing = detail::multi_closing_energy(p, s, i, j);
      for (int u = i + kMinHairpin + 2; u <= j - kMinHairpin - 3 && !found; ++u) {
        const int a = t.FM.at(i + 1, u), b = t.FM1.at(u + 1, j - 1);
        if (a < kInf && b < kInf && a + b + closing == c) {
          todo.push_back({kMulti, i + 1, u});
          todo.push_back({kMulti1, u + 1, j - 1});
          found = true;
        }
      }
      if (!found) broken();
    } else if (it.kind == kMulti1) {
      const int f = t.FM1.at(i, j), c = t.C.at(i, j);
      if (c < kInf && c + detail::multi_branch_energy(p, s, i, j) == f) {
        todo.push_back({kPair, i, j});
      } else if (j - 1 >= i + kMinHairpin + 1 && t.FM1.at(i, j - 1) + p.ml_base == f) {
        todo.push_back({kMulti1, i, j - 1});
      } else {
        broken();
      }
    } else {  // kMulti
      const int f = t.FM.at(i, j);
      bool found = false;
      for (int k = i; k <= j - kMinHairpin - 1 && !found; ++k) {
        const int f1k = t.FM1.at(k, j);
        if (f1k >= kInf) continue;
        if ((k - i) * p.ml_base + f1k == f) {
          todo.push_back({kMulti1, k, j});
          found = true;
        } else if (k - 1 >= i + kMinHairpin + 1 && t.FM.at(i, k - 1) < kInf && t.FM.at(i, k - 1) + f1k == f) {
          todo.push_back({kMulti, i, k - 1});
          todo.push_back({kMulti1, k, j});
          found = true;
        }
      }
      if (!found) broken();
    }
  }
  return db;
}

}  // namespace

MfeResult fold_mfe(const std::string& sequence, const FoldOptions& options) {
  return fold_mfe(encode_sequence(sequence), options, turner2004());
}

MfeResult fold_mfe(const EncodedSequence& s, const FoldOptions& options, const EnergyParams& p) {
  MfeTables t;
  t.n = s.n;
  t.w = max_pair_distance(s.n, options);
  fill_mfe_tables(t, s, p);
  MfeResult r;
  r.energy = t.F5[static_cast<size_t>(s.n)];
  r.structure = trace_mfe(t, s, p);
  return r;
}

}  // namespace seqnn::rna::fold
