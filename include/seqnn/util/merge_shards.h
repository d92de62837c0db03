#pragma once
// `seqnn merge`: the outputs of the N shards of one sharded run (util/shard.h) joined into what
// the unsharded run writes, byte for byte: .tsv files keep the first shard's header and append
// every shard's rows in shard order (.csv likewise); .npy files are concatenated along the first
// axis under one header, as NpyWriter writes it; .vcf and .vcf.gz keep the first shard's header
// and append every shard's records, a .vcf.gz in the shards' BGZF blocks (so the unsharded bytes)
// with its CSI index written beside it. Every shard must be there, finished (its manifest written) and
// whole (each file the size its manifest records), and the blocks must tile the input; otherwise
// nothing is written and the error names the shard.
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn {

struct MergeResult {
  std::string command;  // of the shards
  int64_t shards = 0, records = 0;
  std::vector<std::string> files;  // written
  std::string note;                // e.g. why a merged .vcf.gz got no index
};

// shard_outputs: each shard's --out, any order.
MergeResult merge_shards(const std::vector<std::string>& shard_outputs, const std::string& out);

}  // namespace seqnn
