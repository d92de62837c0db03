#pragma once
// RNA secondary structures: a partner table plus, for every pair, its bracket layer (0 = "()",
// 1 = "[]", 2 = "{}", 3 = "<>"). Layer 0 is the nested (pseudoknot-free) part that the box
// decomposition works on; pairs in higher layers are the pseudoknotted ones. Positions are
// 0-based internally; base-pair lists on disk are 1-based (as in ArchiveII).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seqnn::rna {

struct BasePair {
  int64_t i = 0, j = 0;  // 0-based, i < j
  bool operator==(const BasePair& o) const { return i == o.i && j == o.j; }
  bool operator<(const BasePair& o) const { return i < o.i || (i == o.i && j < o.j); }
};

class Structure {
 public:
  Structure() = default;
  explicit Structure(int64_t length);  // all unpaired

  // Dot-bracket with '.' for unpaired and ()[]{}<> for pairs. Errors name `where` and the
  // 1-based position (unbalanced bracket, unknown character).
  static Structure from_dot_bracket(const std::string& text, const std::string& where = "structure");
  // 0-based pairs; any order, (i, j) or (j, i). Layers are assigned greedily in 5' order: a pair
  // goes to the lowest layer where it crosses no pair already there, so a pseudoknot-free list
  // is all layer 0. Errors: out of range, i == j, a base in two pairs.
  static Structure from_pairs(int64_t length, const std::vector<BasePair>& pairs,
                              const std::string& where = "pairs");
  // 1-based pairs as text, e.g. "[[1, 111], [2, 110]]" (ArchiveII's base_pairs column).
  static Structure from_pair_list_text(int64_t length, const std::string& text,
                                       const std::string& where = "base_pairs");
  // Symmetric L x L 0/1 matrix (any dtype); errors for asymmetry, a non-zero diagonal, a row
  // with two pairs.
  static Structure from_matrix(const at::Tensor& matrix, const std::string& where = "matrix");

  int64_t length() const { return static_cast<int64_t>(partner_.size()); }
  int64_t partner(int64_t i) const { return partner_[static_cast<size_t>(i)]; }  // -1 = unpaired
  int layer(int64_t i) const { return layer_[static_cast<size_t>(i)]; }         // of a paired base
  std::vector<BasePair> pairs() const;         // all pairs, sorted by i
  std::vector<BasePair> nested_pairs() const;  // layer 0
  std::vector<BasePair> pseudoknot_pairs() const;  // layers >= 1
  int64_t num_pairs() const;

  std::string to_dot_bracket() const;
  std::string to_pair_list_text() const;  // 1-based, "[[1, 111], [2, 110]]"
  at::Tensor to_matrix() const;           // (L, L) float32, symmetric

 private:
  void add_pair(int64_t i, int64_t j, int layer, const std::string& where);
  std::vector<int64_t> partner_;
  std::vector<int> layer_;
};

// Watson-Crick and wobble pairs: AU, UA, GC, CG, GU, UG (T counts as U; case-insensitive).
bool is_canonical_pair(char a, char b);

}  // namespace seqnn::rna
