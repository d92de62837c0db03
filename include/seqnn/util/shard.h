#pragma once
// Sharded runs (`--shard i/N` on predict, ism, ...; docs/scale.md): shard i of N takes one
// contiguous block of the input's records, [begin, end), the blocks made of whole alignment units
// (a batch for predict, a chunk for ism) so that every batch a shard runs is a batch the
// unsharded run would have run: outputs are then exactly the unsharded rows, Monte-Carlo dropout
// masks included (they are seeded per batch position). Blocks differ by at most one unit.
// Contiguous blocks, not records i, i+N, ...: joining them is concatenation, so `seqnn merge`
// streams shard files one after another and gives the unsharded bytes.
//
// A finished shard writes OUT.shard.json last (its completion mark): the command, i, N, the
// block, the input's record count and each output file with its size. `merge` trusts only shards
// whose manifest is there and whose files have the recorded sizes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace seqnn {

struct ShardSpec {
  int64_t index = 0, count = 1;  // 0 <= index < count
  bool sharded() const { return count > 1; }
  std::string to_string() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// "i/N" with 0 <= i < N (SLURM_ARRAY_TASK_ID for --array=0-(N-1)); errors name `where`.
ShardSpec parse_shard(const std::string& text, const std::string& where = "--shard");

// The block [begin, end) of `records` for the shard, in units of `align` records.
std::pair<int64_t, int64_t> shard_range(int64_t records, const ShardSpec& shard, int64_t align);

struct ShardFile {
  std::string suffix;     // the file's name after the main output's stem ("" for the main output)
  int64_t bytes = 0;
  bool optional = false;  // written only when there is something to write (score-variants' skip list)
};

struct ShardManifest {
  std::string command;  // "predict", "ism", ...
  ShardSpec shard;
  int64_t begin = 0, end = 0, records = 0;  // the block and the whole input's record count
  std::string out;                          // the shard's main output
  std::vector<ShardFile> files;             // main output first
};

std::string shard_manifest_path(const std::string& out);  // OUT.shard.json
// The part of `path` after main's output_stem (util/files.h) (main "a/p.0.tsv", path "a/p.0.sd.tsv" -> ".sd.tsv";
// main itself -> ""). Errors when `path` does not start with main's stem.
std::string shard_file_suffix(const std::string& main, const std::string& path);

// The block of a sharded run, checked: the input's record count must be known and the block
// not empty (more shards than alignment units). `unit` names the records in the message.
std::pair<int64_t, int64_t> checked_shard_range(int64_t records, const ShardSpec& shard, int64_t align, const std::string& input,
                                                const std::string& unit);

// After a shard's outputs are in place: their sizes, then the manifest (atomically).
void write_shard_manifest(const std::string& command, const ShardSpec& shard, int64_t begin, int64_t end,
                          int64_t records, const std::string& out, const std::vector<std::string>& files,
                          const std::vector<std::string>& optional_files = {});
// Errors name the manifest.
ShardManifest read_shard_manifest(const std::string& out);

}  // namespace seqnn
