// seqnn merge: join the outputs of a sharded run (--shard i/N on predict, ism,
// score-variants, deepseq score) into the output of
// one unsharded run, byte for byte (seqnn/util/merge_shards.h).
#include <cstdio>

#include "cli/common_options.h"
#include "seqnn/util/merge_shards.h"

namespace seqnn::cli {
namespace {

struct MergeArgs {
  CommonOptions common;
  std::string out;
  std::vector<std::string> shards;
};

}  // namespace

void register_merge(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  auto* cmd = add_command(app, "merge", "join the outputs of a sharded run (--shard i/N) into the unsharded output");
  add_out_option(cmd, a->out, "merged output (.tsv, .csv, .npy, .vcf or .vcf.gz, as the shards'); side files (OUT.sd.tsv, ...) and a .vcf.gz's CSI index beside it");
  cmd->add_option("shards", a->shards, "each shard's --out (any order; every shard of the run)")->type_name("SHARD_OUT")->required();
  add_common_options(cmd, a->common);
  cmd->callback([a] {
    apply_common_options(a->common);
    const MergeResult r = merge_shards(a->shards, a->out);
    if (!r.note.empty()) std::fprintf(stderr, "seqnn merge: warning: %s\n", r.note.c_str());
    std::string files;
    for (const auto& f : r.files) files += (files.empty() ? "" : ", ") + f;
    std::fprintf(stderr, "seqnn merge: %lld shards of %s, %lld records -> %s\n", static_cast<long long>(r.shards), r.command.c_str(),
                 static_cast<long long>(r.records), files.c_str());
  });
}

}  // namespace seqnn::cli
