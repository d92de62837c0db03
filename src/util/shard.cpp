#include "seqnn/util/shard.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {
namespace {

int64_t parse_count(const std::string& text, const std::string& where, const std::string& whole) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 12) {
    fail(where, "'" + whole + "' is not i/N (two non-negative integers, e.g. 0/4)");
  }
  return std::stoll(text);
}

}  // namespace

ShardSpec parse_shard(const std::string& text, const std::string& where) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) fail(where, "'" + text + "' is not i/N (two non-negative integers, e.g. 0/4)");
  ShardSpec s;
  s.index = parse_count(text.substr(0, slash), where, text);
  s.count = parse_count(text.substr(slash + 1), where, text);
  if (s.count < 1) fail(where, "'" + text + "': N must be at least 1");
  if (s.index >= s.count) fail(where, "'" + text + "': i must be below N (shards are numbered 0 to N-1)");
  return s;
}

std::pair<int64_t, int64_t> shard_range(int64_t records, const ShardSpec& shard, int64_t align) {
  align = std::max<int64_t>(align, 1);
  const int64_t units = (records + align - 1) / align;
  const int64_t first = units * shard.index / shard.count, last = units * (shard.index + 1) / shard.count;
  return {std::min(records, first * align), std::min(records, last * align)};
}

std::pair<int64_t, int64_t> checked_shard_range(int64_t records, const ShardSpec& shard, int64_t align, const std::string& input,
                                                const std::string& unit) {
  if (records < 0) fail(input, "--shard needs the number of " + unit + " up front, and this input does not give it");
  const auto range = shard_range(records, shard, align);
  if (range.first >= range.second) {
    const int64_t units = (records + std::max<int64_t>(align, 1) - 1) / std::max<int64_t>(align, 1);
    fail(input, "shard " + shard.to_string() + " is empty: " + std::to_string(records) + " " + unit + " make " + std::to_string(units) +
                    " block(s) of " + std::to_string(align) + " (use at most " + std::to_string(std::max<int64_t>(units, 1)) + " shards)");
  }
  return range;
}

std::string shard_file_suffix(const std::string& main, const std::string& path) {
  if (path == main) return "";
  const std::string stem = output_stem(main);
  if (path.compare(0, stem.size(), stem) != 0) throw Error(path + ": not named after the shard's main output " + main);
  return path.substr(stem.size());
}

std::string shard_manifest_path(const std::string& out) { return out + ".shard.json"; }

void write_shard_manifest(const std::string& command, const ShardSpec& shard, int64_t begin, int64_t end,
                          int64_t records, const std::string& out, const std::vector<std::string>& files,
                          const std::vector<std::string>& optional_files) {
  nlohmann::json files_json = nlohmann::json::array();
  for (const auto& f : files) {
    files_json.push_back({{"suffix", shard_file_suffix(out, f)}, {"bytes", static_cast<int64_t>(std::filesystem::file_size(f))}});
  }
  for (const auto& f : optional_files) {
    files_json.push_back({{"suffix", shard_file_suffix(out, f)}, {"bytes", static_cast<int64_t>(std::filesystem::file_size(f))},
                          {"optional", true}});
  }
  const nlohmann::json j{{"seqnn_shard", 1}, {"command", command}, {"shard", shard.index}, {"of", shard.count},
                         {"begin", begin}, {"end", end}, {"records", records}, {"files", files_json}};
  AtomicFile file(shard_manifest_path(out));
  file.write(j.dump(2) + "\n");
  file.commit();
}

ShardManifest read_shard_manifest(const std::string& out) {
  const std::string path = shard_manifest_path(out);
  std::ifstream in(path);
  if (!in) fail(path, "missing: the shard did not finish (a finished shard writes it last)");
  std::stringstream text;
  text << in.rdbuf();
  ShardManifest m;
  m.out = out;
  try {
    const auto j = nlohmann::json::parse(text.str());
    if (j.value("seqnn_shard", 0) != 1) fail(path, "not a seqnn shard manifest");
    m.command = j.at("command").get<std::string>();
    m.shard.index = j.at("shard").get<int64_t>();
    m.shard.count = j.at("of").get<int64_t>();
    m.begin = j.at("begin").get<int64_t>();
    m.end = j.at("end").get<int64_t>();
    m.records = j.at("records").get<int64_t>();
    for (const auto& f : j.at("files")) {
      m.files.push_back({f.at("suffix").get<std::string>(), f.at("bytes").get<int64_t>(), f.value("optional", false)});
    }
  } catch (const nlohmann::json::exception& e) {
    fail(path, std::string("bad shard manifest: ") + e.what());
  }
  if (m.shard.count < 1 || m.shard.index < 0 || m.shard.index >= m.shard.count || m.begin < 0 || m.end < m.begin ||
      m.end > m.records || m.files.empty()) {
    fail(path, "bad shard manifest: inconsistent shard numbers");
  }
  return m;
}

}  // namespace seqnn
