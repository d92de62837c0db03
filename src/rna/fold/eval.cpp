#include "seqnn/rna/fold/eval.h"

#include "rna/fold/loop_energies.h"
#include "seqnn/util/error.h"

namespace seqnn::rna::fold {
namespace {

void fold_check_partners(const EncodedSequence& s, const std::vector<int>& pt) {
  if (static_cast<int>(pt.size()) != s.n) {
    throw Error("structure length " + std::to_string(pt.size()) + " != sequence length " + std::to_string(s.n));
  }
  std::vector<int> stack;
  for (int a = 0; a < s.n; ++a) {
    const int b = pt[static_cast<size_t>(a)];
    if (b < 0) continue;
    if (b >= s.n || pt[static_cast<size_t>(b)] != a || b == a) {
      throw Error("partner table: position " + std::to_string(a) + " pairs with " + std::to_string(b) + " but not back");
    }
    if (b > a) {
      if (s.type(a + 1, b + 1) == 0) {
        throw Error("pair (" + std::to_string(a + 1) + ", " + std::to_string(b + 1) + ") " + s.letters[static_cast<size_t>(a)] +
                    "-" + s.letters[static_cast<size_t>(b)] + " is not a canonical pair (AU, GC, GU)");
      }
      if (b - a - 1 < kMinHairpin) {
        // only an error when the pair closes a hairpin; checked below per loop
      }
      stack.push_back(b);
    } else {
      if (stack.empty() || stack.back() != a) throw Error("crossing pairs at position " + std::to_string(a + 1));
      stack.pop_back();
    }
  }
}

}  // namespace

const char* loop_kind_name(LoopKind kind) {
  switch (kind) {
    case LoopKind::exterior: return "exterior";
    case LoopKind::hairpin: return "hairpin";
    case LoopKind::stack: return "stack";
    case LoopKind::bulge: return "bulge";
    case LoopKind::interior: return "interior";
    case LoopKind::multi: return "multi";
  }
  return "?";
}

std::vector<int> partners_from_dot_bracket(const std::string& db) {
  std::vector<int> pt(db.size(), -1), open;
  for (size_t k = 0; k < db.size(); ++k) {
    const char c = db[k];
    if (c == '(') {
      open.push_back(static_cast<int>(k));
    } else if (c == ')') {
      if (open.empty()) throw Error("unbalanced ')' at position " + std::to_string(k + 1));
      pt[k] = open.back();
      pt[static_cast<size_t>(open.back())] = static_cast<int>(k);
      open.pop_back();
    } else if (c != '.') {
      throw Error("unknown character '" + std::string(1, c) + "' at position " + std::to_string(k + 1) + " (expected . ( ))");
    }
  }
  if (!open.empty()) throw Error("unbalanced '(' at position " + std::to_string(open.back() + 1));
  return pt;
}

std::string dot_bracket_from_partners(const std::vector<int>& pt) {
  std::string s(pt.size(), '.');
  for (size_t k = 0; k < pt.size(); ++k) {
    if (pt[k] >= 0) s[k] = pt[k] > static_cast<int>(k) ? '(' : ')';
  }
  return s;
}

EnergyEvaluation evaluate_structure(const std::string& sequence, const std::string& dot_bracket, const EnergyParams& params) {
  if (sequence.size() != dot_bracket.size()) {
    throw Error("structure length " + std::to_string(dot_bracket.size()) + " != sequence length " + std::to_string(sequence.size()));
  }
  return evaluate_structure(encode_sequence(sequence), partners_from_dot_bracket(dot_bracket), params);
}

EnergyEvaluation evaluate_structure(const EncodedSequence& s, const std::vector<int>& pt, const EnergyParams& p) {
  fold_check_partners(s, pt);
  EnergyEvaluation out;
  LoopEnergy ext;
  // 1-based partner lookup
  auto partner = [&](int x) { return pt[static_cast<size_t>(x - 1)] + 1; };  // 0 = unpaired
  for (int a = 1; a <= s.n;) {
    const int b = partner(a);
    if (b > a) {
      ext.energy += detail::exterior_pair_energy(p, s, a, b);
      a = b + 1;
    } else {
      ++a;
    }
  }
  out.loops.push_back(ext);
  out.energy = ext.energy;
  for (int i = 1; i <= s.n; ++i) {
    const int j = partner(i);
    if (j <= i) continue;
    LoopEnergy loop;
    loop.i = i - 1;
    loop.j = j - 1;
    std::vector<std::pair<int, int>> inner;
    int unpaired = 0;
    for (int k = i + 1; k < j;) {
      const int l = partner(k);
      if (l > k) {
        inner.emplace_back(k, l);
        k = l + 1;
      } else {
        ++unpaired;
        ++k;
      }
    }
    const int type = s.type(i, j);
    if (inner.empty()) {
      loop.kind = LoopKind::hairpin;
      loop.energy = detail::hairpin_energy(p, s, i, j, type);
      if (loop.energy >= kInf) {
        throw Error("pair (" + std::to_string(i) + ", " + std::to_string(j) + ") closes a hairpin of fewer than 3 bases");
      }
    } else if (inner.size() == 1) {
      const int k = inner[0].first, l = inner[0].second;
      loop.k = k - 1;
      loop.l = l - 1;
      loop.kind = (k == i + 1 && l == j - 1) ? LoopKind::stack : (k == i + 1 || l == j - 1) ? LoopKind::bulge : LoopKind::interior;
      loop.energy = detail::interior_energy(p, s, i, j, k, l, type, s.type(l, k));
    } else {
      loop.kind = LoopKind::multi;
      int e = detail::multi_closing_energy(p, s, i, j) + unpaired * p.ml_base;
      for (const auto& [k, l] : inner) e += detail::multi_branch_energy(p, s, k, l);
      loop.energy = e;
    }
    out.energy += loop.energy;
    out.loops.push_back(loop);
  }
  return out;
}

int structure_energy(const EncodedSequence& s, const std::vector<int>& pt, const EnergyParams& p) {
  return evaluate_structure(s, pt, p).energy;
}

}  // namespace seqnn::rna::fold
