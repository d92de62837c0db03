#include "seqnn/util/merge_shards.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/shard.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/text_sink.h"

namespace seqnn {
namespace {

std::string file_of(const std::string& main, const std::string& suffix) { return suffix.empty() ? main : output_stem(main) + suffix; }

std::string shard_name(const ShardManifest& m) { return "shard " + m.shard.to_string() + " (" + m.out + ")"; }

std::vector<std::string> required_suffixes(const ShardManifest& m) {
  std::vector<std::string> out;
  for (const auto& f : m.files) {
    if (!f.optional) out.push_back(f.suffix);
  }
  return out;
}

// Each file of the merged output and the shards' parts of it, in the first shard's order; an
// optional file (a skip list) is merged from the shards that wrote one, and written when any did.
std::vector<std::pair<std::string, std::vector<std::string>>> merge_plan(const std::vector<ShardManifest>& shards) {
  std::vector<std::pair<std::string, std::vector<std::string>>> plan;
  for (const auto& m : shards) {
    for (const auto& f : m.files) {
      auto it = std::find_if(plan.begin(), plan.end(), [&](const auto& p) { return p.first == f.suffix; });
      if (it == plan.end()) it = plan.insert(plan.end(), {f.suffix, {}});
      it->second.push_back(file_of(m.out, f.suffix));
    }
  }
  return plan;
}

// Every shard present once, finished, whole, the blocks tiling the input; sorted by index.
std::vector<ShardManifest> checked_manifests(const std::vector<std::string>& outputs) {
  if (outputs.empty()) throw Error("merge: no shard outputs given");
  std::vector<ShardManifest> shards;
  for (const auto& o : outputs) shards.push_back(read_shard_manifest(o));
  std::sort(shards.begin(), shards.end(), [](const auto& a, const auto& b) { return a.shard.index < b.shard.index; });
  const ShardManifest& first = shards.front();
  for (size_t k = 0; k < shards.size(); ++k) {
    const ShardManifest& m = shards[k];
    if (m.command != first.command || m.shard.count != first.shard.count || m.records != first.records) {
      throw Error("merge: " + shard_name(m) + " is not of the same run as " + shard_name(first) + " (" + m.command + " of " +
                  std::to_string(m.records) + " records in " + std::to_string(m.shard.count) + " shards vs " + first.command + " of " +
                  std::to_string(first.records) + " in " + std::to_string(first.shard.count) + ")");
    }
    if (k > 0 && m.shard.index == shards[k - 1].shard.index) throw Error("merge: " + shard_name(m) + " is given twice");
  }
  for (int64_t i = 0, k = 0; i < first.shard.count; ++i) {
    if (k >= static_cast<int64_t>(shards.size()) || shards[static_cast<size_t>(k)].shard.index != i) {
      throw Error("merge: shard " + std::to_string(i) + "/" + std::to_string(first.shard.count) + " is missing (not among the " +
                  std::to_string(shards.size()) + " outputs given)");
    }
    ++k;
  }
  int64_t next = 0;
  for (const ShardManifest& m : shards) {
    if (m.begin != next) throw Error("merge: " + shard_name(m) + " starts at record " + std::to_string(m.begin) + ", not " + std::to_string(next));
    next = m.end;
    if (required_suffixes(m) != required_suffixes(first)) throw Error("merge: " + shard_name(m) + " wrote other files than " + shard_name(first));
    for (size_t f = 0; f < m.files.size(); ++f) {
      const std::string path = file_of(m.out, m.files[f].suffix);
      std::error_code ec;
      const auto bytes = std::filesystem::file_size(path, ec);
      if (ec) throw Error("merge: " + shard_name(m) + ": " + path + " is missing");
      if (static_cast<int64_t>(bytes) != m.files[f].bytes) {
        throw Error("merge: " + shard_name(m) + ": " + path + " is incomplete or changed (" + std::to_string(bytes) + " bytes, its manifest says " +
                    std::to_string(m.files[f].bytes) + ")");
      }
    }
  }
  if (next != first.records) throw Error("merge: the shards end at record " + std::to_string(next) + " of " + std::to_string(first.records));
  return shards;
}

// Text tables with one header line: the first part's header, then every part's rows.
void merge_lines(const std::vector<std::string>& parts, const std::string& out) {
  AtomicFile file(out);
  std::string header, line;
  for (size_t k = 0; k < parts.size(); ++k) {
    std::ifstream in(parts[k], std::ios::binary);
    if (!std::getline(in, line)) throw Error(parts[k] + ": empty (no header)");
    if (k == 0) {
      header = line;
      file.write(line + "\n");
    } else if (line != header) {
      throw Error(parts[k] + ": header differs from " + parts[0] + "'s");
    }
    while (std::getline(in, line)) file.write(line + "\n");
  }
  file.commit();
}

void merge_npy(const std::vector<std::string>& parts, const std::string& out) {
  std::unique_ptr<NpyWriter> writer;
  std::vector<int64_t> trailing;
  at::ScalarType dtype = at::kFloat;
  for (const auto& part : parts) {  // one shard in memory at a time
    const at::Tensor a = load_npy(part);
    if (a.dim() == 0) throw Error(part + ": a scalar array cannot be merged");
    std::vector<int64_t> shape(a.sizes().begin() + 1, a.sizes().end());
    if (!writer) {
      trailing = shape;
      dtype = a.scalar_type();
      writer = std::make_unique<NpyWriter>(out, dtype, trailing);
    } else if (shape != trailing || a.scalar_type() != dtype) {
      throw Error(part + ": array shape or type differs from " + parts[0] + "'s");
    }
    writer->append(a);
  }
  writer->close();
}

// A VCF (plain or bgzipped) of every part's records under the first part's header, written in
// the parts' own flush units: the shards' blocks are whole chunks of the unsharded run, so the
// merged .vcf.gz has the unsharded run's BGZF blocks, byte for byte, and its CSI index.
// Returns the index's path ("" when none was written) and why not in `problem`.
std::string merge_vcf(const std::vector<std::string>& parts, const std::string& out, std::string& problem) {
  const bool bgzip = ends_with(out, ".gz");
  TextSink sink(out, bgzip, TextSink::Index::kVcfCsi);
  std::string header, unit;
  for (size_t k = 0; k < parts.size(); ++k) {
    TextUnitReader reader(parts[k]);
    if (!reader.next(unit)) throw Error(parts[k] + ": empty (no VCF header)");
    size_t body = 0;  // the header: the leading '#' lines, all in the first unit
    while (body < unit.size() && unit[body] == '#') {
      const size_t end = unit.find('\n', body);
      if (end == std::string::npos) throw Error(parts[k] + ": the VCF header does not end");
      body = end + 1;
    }
    if (k == 0) {
      header = unit.substr(0, body);
      sink.write(header);
    } else if (unit.compare(0, body, header) != 0 || body != header.size()) {
      throw Error(parts[k] + ": VCF header differs from " + parts[0] + "'s");
    }
    for (unit.erase(0, body);; ) {
      sink.write(unit);
      sink.flush();
      if (!reader.next(unit)) break;
    }
  }
  sink.commit();
  problem = sink.index_problem();
  return sink.index_path();
}

}  // namespace

MergeResult merge_shards(const std::vector<std::string>& shard_outputs, const std::string& out) {
  const std::vector<ShardManifest> shards = checked_manifests(shard_outputs);
  OutputGroup outputs;  // every merged file, or none
  MergeResult r;
  r.command = shards.front().command;
  r.shards = static_cast<int64_t>(shards.size());
  r.records = shards.front().records;
  for (const auto& [suffix, parts] : merge_plan(shards)) {
    const std::string target = file_of(out, suffix);
    std::string index;  // a merged .vcf.gz's CSI
    if (ends_with(target, ".npy")) {
      merge_npy(parts, target);
    } else if (ends_with(target, ".tsv") || ends_with(target, ".csv")) {
      merge_lines(parts, target);
    } else if (ends_with(target, ".vcf") || ends_with(target, ".vcf.gz")) {
      index = merge_vcf(parts, target, r.note);
    } else {
      throw Error("merge: cannot merge " + target + " (.tsv, .csv, .vcf, .vcf.gz and .npy outputs merge)");
    }
    r.files.push_back(target);
    if (!index.empty()) r.files.push_back(index);
  }
  outputs.commit();
  return r;
}

}  // namespace seqnn
