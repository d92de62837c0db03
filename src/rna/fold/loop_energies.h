#pragma once
// The free energy of one loop, in dcal/mol, with RNAfold 2.x's conventions (-d2: a stem's
// neighbours always count as a mismatch, or a dangle at a sequence end). Shared by the
// evaluator, the MFE and the partition-function recursions so that all three score a loop alike.
// Positions are 1-based into EncodedSequence (codes[0] = codes[n+1] = -1).
#include <cmath>
#include <cstring>

#include "seqnn/rna/fold/energy_params.h"

namespace seqnn::rna::fold::detail {

inline int loop_extrapolation(const EnergyParams& p, int size) {
  return static_cast<int>(p.lxc * std::log(static_cast<double>(size) / kMaxLoop));
}

inline int reverse_type(const EncodedSequence& s, int i, int j) { return s.type(j, i); }

// Hairpin closed by (i, j), type = type(i, j).
inline int hairpin_energy(const EnergyParams& p, const EncodedSequence& s, int i, int j, int type) {
  const int size = j - i - 1;
  if (size < kMinHairpin) return kInf;
  int e = size <= kMaxLoop ? p.hairpin[size] : p.hairpin[kMaxLoop] + loop_extrapolation(p, size);
  const char* loop = s.letters.data() + (i - 1);
  auto find = [&](const std::vector<SpecialHairpin>& list, int len) -> const SpecialHairpin* {
    for (const auto& h : list) {
      if (std::memcmp(h.sequence.data(), loop, static_cast<size_t>(len)) == 0) return &h;
    }
    return nullptr;
  };
  if (size == 4) {
    if (const auto* h = find(p.tetraloops, 6)) return h->energy;
  } else if (size == 6) {
    if (const auto* h = find(p.hexaloops, 8)) return h->energy;
  } else if (size == 3) {
    if (const auto* h = find(p.triloops, 5)) return h->energy;
    return e + (type > 2 ? p.terminal_au : 0);
  }
  return e + p.mismatch_hairpin[type][s.base(i + 1)][s.base(j - 1)];
}

// Interior loop (stack, bulge or interior) closed by (i, j) outside and (k, l) inside;
// type = type(i, j), type2 = type(l, k) (the inner pair read from inside the loop).
inline int interior_energy(const EnergyParams& p, const EncodedSequence& s, int i, int j, int k, int l, int type, int type2) {
  const int n1 = k - i - 1, n2 = j - l - 1;
  const int nl = n1 > n2 ? n1 : n2, ns = n1 > n2 ? n2 : n1;
  if (nl == 0) return p.stack[type][type2];
  if (ns == 0) {
    int e = nl <= kMaxLoop ? p.bulge[nl] : p.bulge[kMaxLoop] + loop_extrapolation(p, nl);
    if (nl == 1) {
      e += p.stack[type][type2];
    } else {
      if (type > 2) e += p.terminal_au;
      if (type2 > 2) e += p.terminal_au;
    }
    return e;
  }
  const int si = s.base(i + 1), sj = s.base(j - 1), sk = s.base(k - 1), sl = s.base(l + 1);
  if (ns == 1) {
    if (nl == 1) return p.int11[type][type2][si][sj];
    if (nl == 2) {
      if (n1 == 1) return p.int21[type][type2][si][sl][sj];
      return p.int21[type2][type][sl][si][sk];
    }
    const int u = nl + 1;
    int e = u <= kMaxLoop ? p.interior[u] : p.interior[kMaxLoop] + loop_extrapolation(p, u);
    const int asym = (nl - ns) * p.ninio;
    e += asym < p.max_ninio ? asym : p.max_ninio;
    return e + p.mismatch_interior_1n[type][si][sj] + p.mismatch_interior_1n[type2][sl][sk];
  }
  if (ns == 2) {
    if (nl == 2) return p.int22[type][type2][si][sk][sl][sj];
    if (nl == 3) {
      return p.interior[5] + p.ninio + p.mismatch_interior_23[type][si][sj] + p.mismatch_interior_23[type2][sl][sk];
    }
  }
  const int u = nl + ns;
  int e = u <= kMaxLoop ? p.interior[u] : p.interior[kMaxLoop] + loop_extrapolation(p, u);
  const int asym = (nl - ns) * p.ninio;
  e += asym < p.max_ninio ? asym : p.max_ninio;
  return e + p.mismatch_interior[type][si][sj] + p.mismatch_interior[type2][sl][sk];
}

// A stem of type `type` in the exterior loop with 5' neighbour code b5 and 3' neighbour b3
// (-1 at a sequence end).
inline int exterior_stem_energy(const EnergyParams& p, int type, int b5, int b3) {
  int e = 0;
  if (b5 >= 0 && b3 >= 0) {
    e = p.mismatch_exterior[type][b5][b3];
  } else if (b5 >= 0) {
    e = p.dangle5[type][b5];
  } else if (b3 >= 0) {
    e = p.dangle3[type][b3];
  }
  return e + (type > 2 ? p.terminal_au : 0);
}

// A stem in a multiloop (the closing pair too, read from inside: type(j, i), neighbours j-1, i+1).
inline int multi_stem_energy(const EnergyParams& p, int type, int b5, int b3) {
  int e = p.ml_intern;
  if (b5 >= 0 && b3 >= 0) {
    e += p.mismatch_multi[type][b5][b3];
  } else if (b5 >= 0) {
    e += p.dangle5[type][b5];
  } else if (b3 >= 0) {
    e += p.dangle3[type][b3];
  }
  return e + (type > 2 ? p.terminal_au : 0);
}

// Exterior stem (i, j): neighbours i-1 and j+1 when inside the sequence.
inline int exterior_pair_energy(const EnergyParams& p, const EncodedSequence& s, int i, int j) {
  return exterior_stem_energy(p, s.type(i, j), s.base(i - 1), s.base(j + 1));
}
// Branch (i, j) of a multiloop.
inline int multi_branch_energy(const EnergyParams& p, const EncodedSequence& s, int i, int j) {
  return multi_stem_energy(p, s.type(i, j), s.base(i - 1), s.base(j + 1));
}
// Closing pair (i, j) of a multiloop: MLclosing plus the pair as a stem seen from inside.
inline int multi_closing_energy(const EnergyParams& p, const EncodedSequence& s, int i, int j) {
  return p.ml_closing + multi_stem_energy(p, s.type(j, i), s.base(j - 1), s.base(i + 1));
}

}  // namespace seqnn::rna::fold::detail
