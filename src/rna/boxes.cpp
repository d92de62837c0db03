#include "seqnn/rna/boxes.h"

#include <algorithm>
#include <tuple>

#include "seqnn/util/error.h"

namespace seqnn::rna {
namespace {

// Pairs directly inside (i, j): the next nesting level of layer-0 pairs.
std::vector<BasePair> inner_pairs(const Structure& s, int64_t i, int64_t j) {
  std::vector<BasePair> inner;
  for (int64_t k = i + 1; k < j; ++k) {
    const int64_t p = s.partner(k);
    if (p > k && s.layer(k) == 0) {
      inner.push_back({k, p});
      k = p;  // skip the enclosed region
    }
  }
  return inner;
}

bool paired0(const Structure& s, int64_t i, int64_t j) {
  return i >= 0 && j < s.length() && i < j && s.partner(i) == j && s.layer(i) == 0;
}

void add_stems(const Structure& s, std::vector<Box>& boxes) {
  for (const auto& p : s.nested_pairs()) {
    if (paired0(s, p.i - 1, p.j + 1)) continue;  // not the outermost pair of its stem
    int64_t w = 1;
    while (paired0(s, p.i + w, p.j - w)) ++w;
    boxes.push_back({BoxType::kStem, p.i, p.j, w, w});
  }
}

void add_loops(const Structure& s, Decomposition& d) {
  for (const auto& p : s.nested_pairs()) {
    const auto inner = inner_pairs(s, p.i, p.j);
    if (inner.empty()) {
      const int64_t size = p.j - p.i + 1;
      d.boxes.push_back({BoxType::kHloop, p.i, p.j, size, size});
    } else if (inner.size() == 1) {
      const BasePair& q = inner[0];
      if (q.i == p.i + 1 && q.j == p.j - 1) continue;  // stacked: part of a stem
      d.boxes.push_back({BoxType::kIloop, p.i, p.j, q.i - p.i + 1, p.j - q.j + 1});
    } else {
      d.multiloops.push_back({p, inner});
    }
  }
}

}  // namespace

const char* box_type_name(BoxType type) {
  switch (type) {
    case BoxType::kStem: return "stem";
    case BoxType::kIloop: return "iloop";
    case BoxType::kHloop: return "hloop";
  }
  return "?";
}

BoxType parse_box_type(const std::string& name, const std::string& where) {
  for (BoxType t : {BoxType::kStem, BoxType::kIloop, BoxType::kHloop}) {
    if (name == box_type_name(t)) return t;
  }
  fail(where, "unknown box type '" + name + "' (stem, iloop or hloop)");
}

bool Box::operator<(const Box& o) const {
  return std::make_tuple(static_cast<int>(type), i, j, size_x, size_y) <
         std::make_tuple(static_cast<int>(o.type), o.i, o.j, o.size_x, o.size_y);
}

Decomposition decompose(const Structure& structure) {
  Decomposition d;
  add_stems(structure, d.boxes);
  add_loops(structure, d);
  d.pseudoknot_pairs = structure.pseudoknot_pairs();
  std::sort(d.boxes.begin(), d.boxes.end());
  return d;
}

std::vector<BasePair> stem_pairs(const Box& stem) {
  std::vector<BasePair> out;
  for (int64_t k = 0; k < stem.size_x; ++k) out.push_back({stem.i + k, stem.j - k});
  return out;
}

}  // namespace seqnn::rna
