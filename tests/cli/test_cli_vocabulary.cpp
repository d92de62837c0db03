// One flag vocabulary: walks every command's options (the same CLI::App tree main() builds) and
// checks them against the table in docs/cli.md — each flag name has one row (one meaning), one
// short form, one type, and the row lists exactly the commands that take it; numeric flags are
// typed (INT, UINT, FLOAT), never TEXT.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "test_helpers.h"

namespace seqnn::test {
namespace {

struct FlagUse {
  std::string command;  // "predict", "rna train"
  std::string shorts;   // "-m" or ""
  std::string type;     // INT, FLOAT, FILE, ..., "flag" for switches; " ..." appended for lists
  std::string default_value;
};

struct DocRow {
  std::string shorts, type, meaning;
  std::set<std::string> commands;
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" `");
  const auto e = s.find_last_not_of(" `");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line.substr(1));
  for (std::string cell; std::getline(ss, cell, '|');) out.push_back(trim(cell));
  return out;
}

std::string type_of(const CLI::Option* o) {
  if (o->get_type_size() == 0 || o->get_type_name().empty()) return "flag";
  // CLI11 appends validator descriptions ("INT:POSITIVE"); the table lists the value type.
  std::string t = o->get_type_name();
  t = t.substr(0, t.find(':'));
  if (o->get_expected_max() > 1) t += " ...";
  return t;
}

void walk(const CLI::App* app, const std::string& path, std::map<std::string, std::vector<FlagUse>>& uses) {
  for (const CLI::App* sub : app->get_subcommands({})) {
    const std::string name = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    for (const CLI::Option* o : sub->get_options()) {
      if (o->get_lnames().empty() || o->get_lnames()[0] == "help") continue;
      std::string shorts;
      for (const auto& s : o->get_snames()) shorts += (shorts.empty() ? "-" : ", -") + s;
      uses["--" + o->get_lnames()[0]].push_back({name, shorts, type_of(o), o->get_default_str()});
    }
    walk(sub, name, uses);
  }
}

std::map<std::string, std::vector<FlagUse>> all_flags() {
  CLI::App app;
  cli::register_all_commands(app);
  std::map<std::string, std::vector<FlagUse>> uses;
  walk(&app, "", uses);
  return uses;
}

// Every command that runs (the groups `rna` and `deepseq` only hold subcommands).
std::set<std::string> all_commands() {
  std::set<std::string> out;
  for (const auto& [flag, list] : all_flags()) {
    for (const auto& u : list) out.insert(u.command);
  }
  return out;
}

// Rows "| `--flag` | `-f` | TYPE | meaning | cmd, cmd |" of docs/cli.md's vocabulary table.
std::map<std::string, DocRow> documented_flags(std::vector<std::string>& duplicates) {
  std::ifstream in(std::string(SEQNN_SOURCE_DIR) + "/docs/cli.md");
  std::map<std::string, DocRow> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `--", 0) != 0) continue;
    const auto c = cells(line);
    if (c.size() < 5) continue;
    if (rows.count(c[0])) duplicates.push_back(c[0]);
    DocRow r{c[1] == "" ? "" : c[1], c[2], c[3], {}};
    std::stringstream ss(c[4]);
    for (std::string cmd; std::getline(ss, cmd, ',');) r.commands.insert(trim(cmd));
    rows[c[0]] = r;
  }
  return rows;
}

bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return *end == '\0';
}

// The table rows the code implies, to paste into docs/cli.md when a test below fails.
std::string suggested_rows(const std::map<std::string, std::vector<FlagUse>>& uses) {
  std::string s;
  for (const auto& [flag, list] : uses) {
    std::set<std::string> cmds;
    for (const auto& u : list) cmds.insert(u.command);
    std::string joined;
    for (const auto& c : cmds) joined += (joined.empty() ? "" : ", ") + c;
    s += "| `" + flag + "` | " + (list[0].shorts.empty() ? "" : "`" + list[0].shorts + "`") + " | " + list[0].type + " | ? | " + joined + " |\n";
  }
  return s;
}

TEST(CliVocabulary, EveryFlagHasOneDocumentedMeaningShortFormAndType) {
  const auto uses = all_flags();
  ASSERT_GT(uses.size(), 30u);
  std::vector<std::string> duplicates;
  const auto docs = documented_flags(duplicates);
  EXPECT_TRUE(duplicates.empty()) << "flags with two rows (two meanings) in docs/cli.md: " << duplicates.size() << " e.g. " << (duplicates.empty() ? "" : duplicates[0]);
  std::string problems;
  for (const auto& [flag, list] : uses) {
    auto it = docs.find(flag);
    if (it == docs.end()) {
      problems += flag + ": not in docs/cli.md\n";
      continue;
    }
    const DocRow& row = it->second;
    std::set<std::string> cmds;
    for (const auto& u : list) {
      cmds.insert(u.command);
      if (u.shorts != row.shorts) problems += flag + " in '" + u.command + "': short form '" + u.shorts + "', documented '" + row.shorts + "'\n";
      if (u.type != row.type) problems += flag + " in '" + u.command + "': type " + u.type + ", documented " + row.type + "\n";
    }
    const bool everywhere = row.commands == std::set<std::string>{"every command"};
    if (cmds != (everywhere ? all_commands() : row.commands)) problems += flag + ": the commands that take it differ from the documented list\n";
  }
  for (const auto& [flag, row] : docs) {
    if (!uses.count(flag)) problems += flag + ": documented but no command takes it\n";
  }
  EXPECT_TRUE(problems.empty()) << problems << "\nrows implied by the code:\n" << suggested_rows(uses);
}

TEST(CliVocabulary, AShortFormNamesOneFlag) {
  std::map<std::string, std::set<std::string>> long_of_short;
  for (const auto& [flag, list] : all_flags()) {
    for (const auto& u : list) {
      if (!u.shorts.empty()) long_of_short[u.shorts].insert(flag);
    }
  }
  for (const auto& [s, longs] : long_of_short) EXPECT_EQ(longs.size(), 1u) << s << " names " << longs.size() << " flags, e.g. " << *longs.rbegin();
}

TEST(CliVocabulary, NumericFlagsAreTyped) {
  for (const auto& [flag, list] : all_flags()) {
    for (const auto& u : list) {
      const bool text = u.type.rfind("TEXT", 0) == 0;
      EXPECT_FALSE(text && looks_numeric(u.default_value))
          << flag << " in '" << u.command << "' takes TEXT but its default " << u.default_value << " is a number";
    }
  }
}

TEST(CliVocabulary, ARangeCheckedFlagRefusesAnOutOfRangeValue) {
  auto r = run_cli("predict --model m.pt --fasta x.fa --out o.tsv --batch-size 0");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--batch-size"), std::string::npos) << r.output;
  // One short line that says what is wrong, not CLI11's 309-digit upper bound.
  EXPECT_NE(r.output.find("--batch-size: must be greater than 0, got 0"), std::string::npos) << r.output;
  EXPECT_LT(r.output.size(), 200u) << r.output;
  r = run_cli("train --fasta x.fa --labels y.tsv --out o --folds -2");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--folds: must be"), std::string::npos) << r.output;
  r = run_cli("simulate --n 2 --length 0 --out o.fa");
  EXPECT_NE(r.output.find("--length: must be greater than 0, got 0"), std::string::npos) << r.output;
  r = run_cli("predict --model m.pt --fasta x.fa --out o.tsv --threads two");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--threads"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seqnn::test
