#include "cli/setting_flags.h"

#include "cli/common_options.h"

#include <nlohmann/json.hpp>

namespace seqnn::cli {
namespace {

using nlohmann::json;

std::string flag_name(const std::string& key) {
  std::string f = key;
  for (char& c : f) c = c == '_' ? '-' : c;
  return "--" + f;
}

// The setting's kind as a CLI11 check: the same ranges as the flags of that name elsewhere.
CLI::Option* with_kind(CLI::Option* opt, const TrainSetting& s) {
  if (s.kind == "file") return opt->type_name("FILE");
  if (s.kind == "positive") return opt->check(kPositive);
  if (s.kind == "nonnegative") return opt->check(kNonNegative);
  if (s.kind == "fraction") return opt->check(CLI::Range(0.0, 0.999999));
  return opt;
}

// The setting's flag, typed after the setting (INT, FLOAT, INT ..., TEXT ..., or a plain flag);
// the shared adders where the vocabulary has one.
CLI::Option* make_flag(CLI::App* cmd, SettingFlags& f, const TrainSetting& s) {
  const std::string& k = s.name;
  const json fallback = json::parse(s.fallback);
  const std::string help = s.help + " [" + s.fallback + "]";
  if (s.type == "int") {
    int64_t& v = f.ints[k] = fallback.get<int64_t>();
    if (k == "epochs") return add_epochs_option(cmd, v);
    if (k == "batch_size") return add_batch_size_option(cmd, v, s.help);
    return with_kind(cmd->add_option(flag_name(k), v, help), s);
  }
  if (s.type == "float") {
    double& v = f.floats[k] = fallback.is_number() ? fallback.get<double>() : 0.0;
    if (k == "lr") return add_lr_option(cmd, v, s.help);
    if (k == "val_fraction") return add_val_fraction_option(cmd, v);
    return with_kind(cmd->add_option(flag_name(k), v, help), s);
  }
  if (s.type == "string") {
    std::string& v = f.strings[k] = fallback.get<std::string>();
    if (k == "out") return add_out_option(cmd, v, s.help);
    if (k == "genome") return add_genome_option(cmd, v, s.help);
    if (k == "fasta") return add_fasta_option(cmd, v, s.help);
    if (k == "bed") return add_bed_option(cmd, v, s.help);
    return with_kind(cmd->add_option(flag_name(k), v, help), s);
  }
  if (s.type == "ints") return with_kind(cmd->add_option(flag_name(k), f.int_lists[k], help), s);
  if (s.type == "strings") return with_kind(cmd->add_option(flag_name(k), f.string_lists[k], help), s);
  return cmd->add_flag(flag_name(k), f.flags[k], help);
}

}  // namespace

CLI::Option* add_setting_flag(CLI::App* cmd, SettingFlags& f, const TrainSetting& s) {
  CLI::Option* opt = make_flag(cmd, f, s);
  f.options.emplace_back(&s, opt);
  return opt;
}

std::string given_settings_json(const SettingFlags& f) {
  json given = json::object();
  for (const auto& [s, opt] : f.options) {
    if (opt->count() == 0) continue;
    const std::string& k = s->name;
    if (s->type == "int") given[k] = f.ints.at(k);
    else if (s->type == "float") given[k] = f.floats.at(k);
    else if (s->type == "string") given[k] = f.strings.at(k);
    else if (s->type == "ints") given[k] = f.int_lists.at(k);
    else if (s->type == "strings") given[k] = f.string_lists.at(k);
    else given[k] = true;
  }
  return given.dump();
}

}  // namespace seqnn::cli
