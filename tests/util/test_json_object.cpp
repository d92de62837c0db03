// The JSON config-object reader: types, unknown keys, enums, ranges, "where: key: problem".
#include <gtest/gtest.h>

#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

enum class Colour { kRed, kBlue };
const std::vector<EnumName<Colour>> kColours = {{Colour::kRed, "red"}, {Colour::kBlue, "blue"}};

TEST(UtilJsonObject, TypedFieldsKeepDefaultsWhenAbsent) {
  const JsonObject j = JsonObject::parse(R"({"n": 3, "x": 2, "s": "hi", "b": true, "v": [1, 2], "names": ["a"]})", "c.json");
  int64_t n = 0, absent = 7;
  double x = 0;
  std::string s;
  bool b = false;
  std::vector<int64_t> v;
  std::vector<std::string> names;
  j.read("n", n);
  j.read("x", x);  // an integer is a fine number
  j.read("s", s);
  j.read("b", b);
  j.read("v", v);
  j.read("names", names);
  j.read("absent", absent);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(x, 2.0);
  EXPECT_EQ(s, "hi");
  EXPECT_TRUE(b);
  EXPECT_EQ(v, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(names, (std::vector<std::string>{"a"}));
  EXPECT_EQ(absent, 7);
}

TEST(UtilJsonObject, ErrorsNameTheConfigAndTheKey) {
  const JsonObject j = JsonObject::parse(R"({"n": 1.5, "s": 3, "b": 1, "v": [1, "x"], "c": "green", "o": [{"k": 1}, 4]})", "c.json");
  int64_t n = 0;
  std::string s;
  bool b = false;
  std::vector<int64_t> v;
  Colour c = Colour::kRed;
  EXPECT_EQ(test::error_of([&] { j.read("n", n); }), "c.json: n: expected an integer, got 1.5");
  EXPECT_EQ(test::error_of([&] { j.read("s", s); }), "c.json: s: expected a string, got 3");
  EXPECT_EQ(test::error_of([&] { j.read("b", b); }), "c.json: b: expected true or false, got 1");
  EXPECT_EQ(test::error_of([&] { j.read("v", v); }), "c.json: v: expected a list of integers, got [1,\"x\"]");
  EXPECT_EQ(test::error_of([&] { j.read_enum("c", c, kColours); }), "c.json: c: unknown value 'green' (allowed: red, blue)");
  EXPECT_EQ(test::error_of([&] { j.read_objects("o"); }), "c.json: o[1]: must be a JSON object, got 4");
  EXPECT_EQ(test::error_of([&] { j.allow_only({"n", "s", "b", "v", "o"}); }),
            "c.json: unknown key 'c' (allowed: n, s, b, v, o)");
  EXPECT_EQ(test::error_of([&] { j.require_positive("n", int64_t{0}); }), "c.json: n: must be positive, got 0");
  EXPECT_EQ(test::error_of([&] { j.require_in_half_open("x", 1.25, 0.0, 1.0); }), "c.json: x: must be in [0, 1), got 1.25");
  EXPECT_EQ(test::error_of([&] { j.require_at_least("k", 1, 2); }), "c.json: k: must be at least 2, got 1");
  EXPECT_EQ(test::error_of([&] { JsonObject::parse("[1]", "l.json"); }), "l.json: must be a JSON object, got [1]");
  EXPECT_NE(test::error_of([&] { JsonObject::parse("{oops", "bad.json"); }).find("bad.json: invalid JSON: "), std::string::npos);
}

TEST(UtilJsonObject, NumbersTooLargeForADoubleAreInvalidJson) {
  // Found by the json fuzz target: nlohmann's out_of_range escaped as a non-seqnn exception.
  const std::string msg = test::error_of([] { parse_json(R"({"epochs": 11E11111111111111})", "c.json"); });
  EXPECT_EQ(msg.rfind("c.json: invalid JSON: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("number overflow"), std::string::npos) << msg;
}

TEST(UtilError, MessagesStayOnOneLineWhateverTheyQuote) {
  EXPECT_EQ(std::string(Error("a.txt:3: bad name 'x\ny\r\x01'").what()), "a.txt:3: bad name 'x\\ny\\r\\x01'");
  const std::string long_text(5000, 'A');
  const std::string cut = Error(long_text).what();
  EXPECT_EQ(cut, std::string(2000, 'A') + "... (3000 more characters)");
}

TEST(UtilJsonObject, EnumNamesRoundTrip) {
  EXPECT_EQ(parse_enum("blue", kColours, "w"), Colour::kBlue);
  EXPECT_STREQ(enum_name(Colour::kBlue, kColours), "blue");
  EXPECT_EQ(enum_names(kColours), "red, blue");
  const JsonObject j = JsonObject::parse(R"({"c": "blue", "o": [{"k": 1}]})", "c.json");
  Colour c = Colour::kRed;
  j.read_enum("c", c, kColours);
  EXPECT_EQ(c, Colour::kBlue);
  const auto objects = j.read_objects("o");
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].where(), "c.json: o[0]");
}

TEST(UtilError, BytesThatAreNotUtf8AreEscapedAndUtf8IsKept) {
  // A binary file quoted in a message (its "header" line) must not reach the terminal raw.
  EXPECT_EQ(std::string(Error("f: header '\xf1\xd3\x80x'").what()), "f: header '\\xf1\xd3\x80x'");
  EXPECT_EQ(std::string(Error("f: name 'µ-é'").what()), "f: name 'µ-é'");
  EXPECT_EQ(std::string(Error("cut \xe2\x82").what()), "cut \\xe2\\x82");
}

TEST(UtilError, TorchScriptTracebacksGiveTheirCause) {
  // LibTorch's interpreter error: the first line only says an operation failed.
  const std::string traceback =
      "The following operation failed in the TorchScript interpreter.\n"
      "Traceback of TorchScript, serialized code (most recent call last):\n"
      "  File \"code/__torch__.py\", line 14, in forward\n"
      "    y = (dense).forward(X0, )\n"
      "         ~~~~~~~~~~~~~~ <--- HERE\n"
      "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x52 and 40x3)\n";
  EXPECT_EQ(error_cause(traceback), "mat1 and mat2 shapes cannot be multiplied (2x52 and 40x3)");
  EXPECT_EQ(error_cause("  Expected 3D input\nmore detail\n"), "Expected 3D input");
  EXPECT_EQ(first_line(traceback), "The following operation failed in the TorchScript interpreter.");
}

TEST(UtilJsonObject, AbsurdSizesAndWeightCountsNameTheKey) {
  const JsonObject j = JsonObject::parse(R"({"filters": 1000000000000})", "c.json");
  EXPECT_EQ(test::error_of([&] { j.require_size("filters", int64_t{1000000000000}); }),
            "c.json: filters: 1000000000000 is too large (at most 16777216)");
  EXPECT_EQ(test::error_of([&] { j.require_size("filters", int64_t{0}); }), "c.json: filters: must be positive, got 0");
  EXPECT_EQ(test::error_of([&] { j.require_size("embedding", int64_t{-1}, 0); }), "c.json: embedding: must be at least 0, got -1");
  EXPECT_EQ(test::error_of([&] { j.require_size("filters", kMaxConfigSize); }), "no error");
  WeightCount count(j);
  count.add("conv[0]", 1e9);
  count.add("conv[1]", 1e9);
  EXPECT_EQ(test::error_of([&] { count.add("dense[0]", 2e8); }),
            "c.json: dense[0]: brings the model to 2.2e+09 weights (this layer 2e+08), more than the 2147483648 seqnn builds");
}

}  // namespace
}  // namespace seqnn
