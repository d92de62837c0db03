// Sharded runs end to end (issue 16 part 2): predict, ism and score-variants with --shard i/N,
// joined by `seqnn merge`, give the bytes of one unsharded run for every output format (.tsv,
// .npy with its row table, MC dropout's .sd files, .vcf, .vcf.gz with its CSI index); merge refuses a missing, unfinished, truncated or foreign
// shard naming it; the shard arithmetic (contiguous blocks of whole batches) by hand.
#include <gtest/gtest.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>

#include <algorithm>
#include <filesystem>

#include "seqnn/util/error.h"
#include "seqnn/util/shard.h"
#include "test_helpers.h"

using seqnn::test::exists;
using seqnn::test::fixture;
using seqnn::test::read_text;
using seqnn::test::run_cli;
using seqnn::test::simulated_fasta;
using seqnn::test::TempDir;

namespace {


// Runs `args` unsharded into ref.EXT and as N shards into s<i>.EXT, merges them into m.EXT, and
// compares every file of the unsharded run (main output + side suffixes) byte for byte.
void shard_merge_equals_unsharded(const TempDir& dir, const std::string& args, const std::string& ext, int shards,
                                  const std::vector<std::string>& suffixes) {
  auto r = run_cli(args + " -q -o " + dir.file("ref" + ext));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string list;
  for (int i = 0; i < shards; ++i) {
    const std::string out = dir.file("s" + std::to_string(i) + ext);
    r = run_cli(args + " -q --shard " + std::to_string(i) + "/" + std::to_string(shards) + " -o " + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(exists(seqnn::shard_manifest_path(out)));
    list = out + " " + list;  // any order
  }
  r = run_cli("merge -q -o " + dir.file("m" + ext) + " " + list);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seqnn merge: " + std::to_string(shards) + " shards of"), std::string::npos) << r.output;
  for (const auto& suffix : suffixes) {
    const std::string want = read_text(dir.file("ref" + suffix)), got = read_text(dir.file("m" + suffix));
    EXPECT_FALSE(want.empty()) << suffix;
    EXPECT_TRUE(want == got) << "m" << suffix << " differs from the unsharded run's (" << got.size() << " vs " << want.size() << " bytes)";
  }
}

}  // namespace

TEST(Shard, BlocksAreContiguousWholeUnitsAndTileTheInput) {
  // 10 records, batches of 3 -> 4 units (3, 3, 3, 1) over 3 shards: units 0 | 1 | 2-3.
  EXPECT_EQ(seqnn::shard_range(10, {0, 3}, 3), (std::pair<int64_t, int64_t>{0, 3}));
  EXPECT_EQ(seqnn::shard_range(10, {1, 3}, 3), (std::pair<int64_t, int64_t>{3, 6}));
  EXPECT_EQ(seqnn::shard_range(10, {2, 3}, 3), (std::pair<int64_t, int64_t>{6, 10}));
  // More shards than units: some are empty, and a run refuses them.
  EXPECT_EQ(seqnn::shard_range(2, {0, 4}, 1).second, 0);
  EXPECT_EQ(seqnn::test::error_of([] { seqnn::checked_shard_range(2, {0, 4}, 1, "in.fa", "sequences"); }),
            "in.fa: shard 0/4 is empty: 2 sequences make 2 block(s) of 1 (use at most 2 shards)");
  for (int64_t n : {1, 7, 64, 1000}) {
    for (int64_t count : {1, 2, 5}) {
      int64_t next = 0;
      for (int64_t i = 0; i < count; ++i) {
        const auto [b, e] = seqnn::shard_range(n, {i, count}, 4);
        EXPECT_EQ(b, next);
        EXPECT_TRUE(b % 4 == 0 || b == n);
        next = e;
      }
      EXPECT_EQ(next, n);
    }
  }
  EXPECT_EQ(seqnn::parse_shard("2/5").index, 2);
  EXPECT_EQ(seqnn::test::error_of([] { seqnn::parse_shard("5/5"); }), "--shard: '5/5': i must be below N (shards are numbered 0 to N-1)");
  EXPECT_EQ(seqnn::test::error_of([] { seqnn::parse_shard("1-4"); }), "--shard: '1-4' is not i/N (two non-negative integers, e.g. 0/4)");
  EXPECT_EQ(seqnn::test::error_of([] { seqnn::parse_shard("0/0"); }), "--shard: '0/0': N must be at least 1");
}

TEST(Shard, PredictTsvShardsMergeToTheUnshardedBytes) {
  TempDir dir;
  const std::string fa = simulated_fasta(dir, 300);
  shard_merge_equals_unsharded(dir, "predict -m " + fixture("deepsea_small.pt") + " -f " + fa + " --batch-size 32", ".tsv", 3, {".tsv"});
}

TEST(Shard, PredictNpyWithMcDropoutShardsMergeToTheUnshardedBytes) {
  TempDir dir;
  const std::string fa = simulated_fasta(dir, 200);
  shard_merge_equals_unsharded(dir, "predict -m " + fixture("deepsea_small.pt") + " -f " + fa + " --batch-size 16 --mc-samples 3", ".npy", 4,
                               {".npy", ".rows.tsv", ".sd.npy", ".sd.rows.tsv"});
}

TEST(Shard, IsmShardsMergeToTheUnshardedArrays) {
  TempDir dir;
  const std::string fa = simulated_fasta(dir, 20);
  shard_merge_equals_unsharded(dir, "ism -m " + fixture("deepsea_small.pt") + " -f " + fa + " --chunk 4", ".npy", 2, {".npy", ".rows.tsv"});
}

// Every file the unsharded run wrote (ref.*), by its suffix.
std::vector<std::string> suffixes_of_ref(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir.file(""))) {
    const std::string name = e.path().filename().string();
    if (name.rfind("ref.", 0) == 0) out.push_back(name.substr(3));
  }
  return out;
}

// A 800-nt chr1 (50 A's, then pseudo-random bases) and 600 SNVs at 101..700, every 150th with a
// wrong REF (skipped); `order` lists the positions' order in the file (sorted when empty).
struct VariantFixture {
  std::string chrom, args;
  VariantFixture(const TempDir& dir, bool sorted = true) {
    chrom = std::string(50, 'A');
    uint64_t x = 7;
    for (int k = 0; k < 750; ++k) chrom += "ACGT"[(x = x * 6364136223846793005ull + 1442695040888963407ull) >> 62];
    seqnn::test::write_text(dir.file("g.fa"), ">chr1\n" + chrom + "\n");
    std::string body = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=800>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    for (int64_t k = 0; k < 600; ++k) {
      const int64_t pos = sorted ? 101 + k : 101 + (k * 7) % 600;  // 7 is prime to 600: a permutation
      const char ref = chrom[static_cast<size_t>(pos - 1)], alt = ref == 'A' ? 'G' : 'A';
      const char shown = pos % 150 == 0 ? (ref == 'C' ? 'T' : 'C') : ref;
      body += "chr1\t" + std::to_string(pos) + "\t.\t" + shown + "\t" + alt + "\t.\tPASS\t.\n";
    }
    seqnn::test::write_text(dir.file("v.vcf"), body);
    args = "score-variants -m " + fixture("deepsea_small.pt") + " -g " + dir.file("g.fa") + " -v " + dir.file("v.vcf") + " --chunk 64";
  }
};

// Over 5 shards of 2 chunks of 64, four shards skip one variant and the last none, so the skip
// list is merged from the shards that wrote one. A .vcf.gz's CSI index (ref.vcf.gz.csi) is among
// the compared files: the merged one is rebuilt from the same bytes.
TEST(Shard, ScoreVariantsShardsMergeToTheUnshardedBytesInEveryFormat) {
  TempDir dir;
  const VariantFixture f(dir);
  for (const std::string ext : {".tsv", ".npy", ".vcf", ".vcf.gz"}) {
    TempDir sub;
    auto r = run_cli(f.args + " -q -o " + sub.file("ref" + ext));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto suffixes = suffixes_of_ref(sub);
    EXPECT_NE(std::find(suffixes.begin(), suffixes.end(), ".skipped.tsv"), suffixes.end());
    if (ext == ".vcf.gz") {
      EXPECT_NE(std::find(suffixes.begin(), suffixes.end(), ".vcf.gz.csi"), suffixes.end());
    }
    shard_merge_equals_unsharded(sub, f.args, ext, 5, suffixes);
    EXPECT_TRUE(exists(sub.file("s0.skipped.tsv")));
    EXPECT_FALSE(exists(sub.file("s4.skipped.tsv"))) << "the last shard skips nothing";
    if (ext == ".vcf.gz") {
      EXPECT_TRUE(exists(sub.file("s2.vcf.gz.csi"))) << "each shard indexes its own output too";
    }
  }
}

// The records of `region` in an indexed VCF.gz, through htslib's own index reader.
std::vector<std::string> records_in(const std::string& vcf_gz, const std::string& region) {
  htsFile* fp = hts_open(vcf_gz.c_str(), "r");
  tbx_t* index = tbx_index_load2(vcf_gz.c_str(), (vcf_gz + ".csi").c_str());
  std::vector<std::string> out;
  if (fp && index) {
    hts_itr_t* it = tbx_itr_querys(index, region.c_str());
    kstring_t line = {0, 0, nullptr};
    while (it && tbx_itr_next(fp, index, it, &line) >= 0) out.emplace_back(line.s, line.l);
    hts_itr_destroy(it);
    free(line.s);
  }
  if (index) tbx_destroy(index);
  if (fp) hts_close(fp);
  return out;
}

TEST(Shard, ScoreVariantsAndMergeIndexAVcfGzForRegionQueries) {
  TempDir dir;
  const VariantFixture f(dir);
  auto r = run_cli(f.args + " -q -o " + dir.file("ref.vcf.gz"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // chr1:201-210 holds ten SNVs, none with a wrong REF.
  const auto hits = records_in(dir.file("ref.vcf.gz"), "chr1:201-210");
  ASSERT_EQ(hits.size(), 10u);
  EXPECT_EQ(hits.front().rfind("chr1\t201\t", 0), 0u) << hits.front();
  EXPECT_NE(hits.back().find("SEQNN_"), std::string::npos) << hits.back();
  EXPECT_EQ(records_in(dir.file("ref.vcf.gz"), "chr1:300-300").size(), 0u) << "position 300 has a wrong REF: skipped";
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(run_cli(f.args + " -q --shard " + std::to_string(i) + "/2 -o " + dir.file("s" + std::to_string(i) + ".vcf.gz")).exit_code, 0);
  }
  r = run_cli("merge -q -o " + dir.file("m.vcf.gz") + " " + dir.file("s0.vcf.gz") + " " + dir.file("s1.vcf.gz"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(records_in(dir.file("m.vcf.gz"), "chr1:601-650"), records_in(dir.file("ref.vcf.gz"), "chr1:601-650"));
  EXPECT_EQ(records_in(dir.file("m.vcf.gz"), "chr1:601-650").size(), 50u);
}

// An unsorted VCF cannot be indexed: the scores are kept, the warning says why, and no index
// (not even a stale one from an earlier run) is left beside them.
TEST(Shard, AnUnsortedVcfGzIsWrittenWithoutAnIndexAndAWarning) {
  TempDir dir;
  const VariantFixture f(dir, false);
  seqnn::test::write_text(dir.file("o.vcf.gz.csi"), "stale");
  const auto r = run_cli(f.args + " -q -o " + dir.file("o.vcf.gz"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(exists(dir.file("o.vcf.gz")));
  EXPECT_FALSE(exists(dir.file("o.vcf.gz.csi")));
  EXPECT_NE(r.output.find("warning: " + dir.file("o.vcf.gz") + ": not indexed: its records are not sorted"), std::string::npos) << r.output;
}

TEST(Shard, MergeRefusesMissingUnfinishedTruncatedAndForeignShards) {
  TempDir dir;
  const std::string fa = simulated_fasta(dir, 100);
  const std::string args = "predict -q -m " + fixture("deepsea_small.pt") + " -f " + fa + " --batch-size 10 --shard ";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run_cli(args + std::to_string(i) + "/3 -o " + dir.file("s" + std::to_string(i) + ".tsv")).exit_code, 0);
  const std::string s0 = dir.file("s0.tsv"), s1 = dir.file("s1.tsv"), s2 = dir.file("s2.tsv");
  auto merge = [&](const std::string& shards) { return run_cli("merge -q -o " + dir.file("m.tsv") + " " + shards); };
  auto r = merge(s0 + " " + s2);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("shard 1/3 is missing"), std::string::npos) << r.output;
  r = merge(s0 + " " + s1 + " " + s1 + " " + s2);
  EXPECT_NE(r.output.find("shard 1/3 (" + s1 + ") is given twice"), std::string::npos) << r.output;
  // A shard cut short (a copy that did not finish, a full disk) is named with both sizes.
  const auto size = std::filesystem::file_size(s1);
  std::filesystem::resize_file(s1, size - 5);
  r = merge(s0 + " " + s1 + " " + s2);
  EXPECT_NE(r.output.find("shard 1/3 (" + s1 + "): " + s1 + " is incomplete or changed (" + std::to_string(size - 5) + " bytes"),
            std::string::npos) << r.output;
  // A shard that did not finish has no manifest.
  std::filesystem::remove(seqnn::shard_manifest_path(s1));
  r = merge(s0 + " " + s1 + " " + s2);
  EXPECT_NE(r.output.find(s1 + ".shard.json: missing: the shard did not finish"), std::string::npos) << r.output;
  // A shard of another split of the input.
  ASSERT_EQ(run_cli(args + "1/2 -o " + s1).exit_code, 0);
  r = merge(s0 + " " + s1 + " " + s2);
  EXPECT_NE(r.output.find("is not of the same run"), std::string::npos) << r.output;
  EXPECT_FALSE(exists(dir.file("m.tsv"))) << "a failed merge writes nothing";
  // An empty shard is refused before any work.
  r = run_cli(args + "0/20 -o " + dir.file("e.tsv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("shard 0/20 is empty"), std::string::npos) << r.output;
}
