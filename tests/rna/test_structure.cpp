#include <gtest/gtest.h>
#include <torch/torch.h>

#include "rna/rna_test_util.h"
#include "seqnn/rna/structure.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

namespace seqnn::rna {
namespace {

TEST(RnaStructure, DotBracketRoundTripWithPseudoknot) {
  const std::string db = "((..[[..))..]]<.>";
  Structure s = Structure::from_dot_bracket(db);
  EXPECT_EQ(s.length(), 17);
  EXPECT_EQ(s.to_dot_bracket(), db);
  EXPECT_EQ(s.partner(0), 9);
  EXPECT_EQ(s.partner(4), 13);
  EXPECT_EQ(s.partner(2), -1);
  ASSERT_EQ(s.nested_pairs().size(), 2u);
  ASSERT_EQ(s.pseudoknot_pairs().size(), 3u);
  EXPECT_EQ(s.pseudoknot_pairs()[0], (BasePair{4, 13}));
  EXPECT_EQ(s.to_pair_list_text(), "[[1, 10], [2, 9], [5, 14], [6, 13], [15, 17]]");
}

TEST(RnaStructure, DotBracketErrorsNameThePosition) {
  auto message = [](const std::string& db) {
    return seqnn::test::error_of([&] { Structure::from_dot_bracket(db, "x.tsv:3"); });
  };
  EXPECT_EQ(message("(()"), "x.tsv:3: unbalanced '(' at position 1");
  EXPECT_EQ(message("())"), "x.tsv:3: unbalanced ')' at position 3");
  EXPECT_EQ(message("(.x)"), "x.tsv:3: unknown character 'x' at position 3 (expected . ( ) [ ] { } < >)");
  EXPECT_EQ(message("([)]"), "no error");  // crossing brackets of two types is a pseudoknot
}

TEST(RnaStructure, PairListsAreOneBasedAndLayeredGreedily) {
  Structure s = Structure::from_pair_list_text(14, "[[1, 10], [2, 9], [5, 14], [6, 13]]");
  EXPECT_EQ(s.to_dot_bracket(), "((..[[..))..]]");
  EXPECT_THROW(Structure::from_pair_list_text(10, "[[1, 11]]"), Error);
  EXPECT_THROW(Structure::from_pair_list_text(10, "[[0, 5]]"), Error);
  EXPECT_THROW(Structure::from_pair_list_text(10, "[[1, 5], [5, 9]]"), Error);
  EXPECT_THROW(Structure::from_pair_list_text(10, "[[3, 3]]"), Error);
  try {
    Structure::from_pair_list_text(10, "[[1, 5], [2, 5]]", "a.csv:7");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "a.csv:7: base 5 is in two pairs (with 1 and 2)");
  }
  EXPECT_EQ(Structure::from_pair_list_text(5, "[]").num_pairs(), 0);
  // Found by the structure fuzz target: a 60-digit position escaped as std::out_of_range.
  EXPECT_EQ(seqnn::test::error_of([] { Structure::from_pair_list_text(10, "[[1, " + std::string(60, '6') + "]]", "b.csv:2"); }),
            "b.csv:2: position '" + std::string(60, '6') + "' in a base-pair list is too large");
}

TEST(RnaStructure, MatrixRoundTripAndValidation) {
  Structure s = Structure::from_dot_bracket("((.[..)).]");
  at::Tensor m = s.to_matrix();
  EXPECT_EQ(m.sum().item<float>(), 6.0f);
  EXPECT_EQ(Structure::from_matrix(m).to_dot_bracket(), "((.[..)).]");
  at::Tensor bad = m.clone();
  bad[0][3] = 1.0f;
  EXPECT_THROW(Structure::from_matrix(bad), Error);  // asymmetric
  bad[3][0] = 1.0f;
  EXPECT_THROW(Structure::from_matrix(bad), Error);  // base 1 in two pairs
}

TEST(RnaStructure, RandomStructuresRoundTripThroughAllFormats) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const std::string db = test::random_dot_bracket(80, seed);
    Structure s = Structure::from_dot_bracket(db);
    EXPECT_EQ(Structure::from_pair_list_text(80, s.to_pair_list_text()).to_dot_bracket(), db);
    EXPECT_EQ(Structure::from_matrix(s.to_matrix()).to_dot_bracket(), db);
    EXPECT_TRUE(s.pseudoknot_pairs().empty());
  }
}

TEST(RnaStructure, CanonicalPairs) {
  EXPECT_TRUE(is_canonical_pair('A', 'U'));
  EXPECT_TRUE(is_canonical_pair('g', 'u'));
  EXPECT_TRUE(is_canonical_pair('C', 'G'));
  EXPECT_TRUE(is_canonical_pair('T', 'A'));
  EXPECT_FALSE(is_canonical_pair('A', 'G'));
  EXPECT_FALSE(is_canonical_pair('A', 'A'));
  EXPECT_FALSE(is_canonical_pair('N', 'U'));
}

}  // namespace
}  // namespace seqnn::rna
