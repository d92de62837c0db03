#include "seqnn/variants/score_vcf.h"

#include <algorithm>
#include <filesystem>

#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/shard.h"
#include "seqnn/util/files.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"
#include "seqnn/variants/skip_log.h"
#include "seqnn/variants/variant_writer.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/resume.h"

namespace seqnn {
namespace {

// Up to `max` variants; empty at the end of the VCF (the reader is not asked again after it
// reported the end).
std::vector<Variant> next_chunk(VcfReader& vcf, int64_t max, bool& more) {
  std::vector<Variant> chunk;
  Variant v;
  while (more && static_cast<int64_t>(chunk.size()) < max && (more = vcf.next(v))) chunk.push_back(v);
  return chunk;
}

// A shard's block of whole chunks: counted in a first pass over the VCF, then the variants before
// it read past. The reader then stands at the block's first variant.
struct VcfBlock {
  int64_t begin = 0, end = -1, total = -1;  // end < 0: the whole VCF (not sharded)
};

VcfBlock enter_shard(VcfReader& vcf, const VcfScoringOptions& opts) {
  int64_t total = 0;
  {
    VcfReader counter(vcf.path());
    for (Variant v; counter.next(v);) ++total;
  }
  const auto [begin, end] = checked_shard_range(total, opts.shard, opts.chunk, opts.input_name, "variants");
  Variant v;
  for (int64_t k = 0; k < begin; ++k) vcf.next(v);
  return {begin, end, total};
}

ResumePoint resume_point(const VcfScoringResult& r, const SkipLog& skipped) {
  ResumePoint p;
  p.done = r.read;
  set_total(p, "scored", r.scored);
  set_total(p, "incremental", r.incremental);
  set_total(p, "padded", r.padded);
  p.totals["engine_note"] = r.engine_note;
  skipped.save(p);
  return p;
}

// Reads past the variants the interrupted run handled and takes over its totals.
void skip_resumed(const ResumableRun& run, VcfReader& vcf, VcfScoringResult& r, SkipLog& skipped) {
  const ResumePoint& p = run.resumed();
  Variant v;
  for (int64_t k = 0; k < p.done; ++k) {
    if (!vcf.next(v)) fail(run.journal_path(), "cannot resume: the VCF has fewer variants than the interrupted run read");
  }
  r.read = r.resumed = p.done;
  r.scored = get_total(p, "scored");
  r.incremental = get_total(p, "incremental");
  r.padded = get_total(p, "padded");
  if (p.totals.count("engine_note")) r.engine_note = p.totals.at("engine_note");
  skipped.restore(p);
}

}  // namespace

int64_t variant_window_length(int64_t requested, const ModelInfo& info) {
  if (requested > 0 && info.input_length && requested != *info.input_length) {
    throw Error("--length " + std::to_string(requested) + " does not match the model's input length " +
                std::to_string(*info.input_length));
  }
  const int64_t length = requested > 0 ? requested : info.input_length.value_or(0);
  if (length <= 0) throw Error("the model has no fixed input length: give --length");
  return length;
}

VcfScoringResult score_vcf(Model& model, const IndexedFasta& genome, VcfReader& vcf, const VcfScoringOptions& opts) {
  OutputGroup outputs;  // all of the run's files, or none of them
  if (opts.chunk <= 0 || opts.scoring.predict.batch_size <= 0) throw Error("--batch-size and --chunk must be positive");
  // Load onto the device once; the scorer's calls find the model there.
  ModelStateGuard placement(model, opts.scoring.predict.device, opts.scoring.predict.dtype);
  VariantScorer scorer(model, genome, opts.scoring);
  VariantOutputLayout layout{opts.scoring.scores, scorer.task_names(), opts.scoring.mc.enabled(), vcf.header_text()};
  ResumableRun run(opts.out, opts.resume.settings, opts.resume.resume);  // outlives the writers' files
  auto writer = make_variant_writer(opts.out, layout);
  SkipLog skipped(output_stem(opts.out) + ".skipped.tsv");
  // A shard scores whole chunks of the unsharded run (a chunk's scores do not depend on the others).
  VcfBlock block;
  if (opts.shard.sharded()) block = enter_shard(vcf, opts);
  ProgressBar bar("score-variants", block.end >= 0 ? block.end - block.begin : 0, "var", opts.show_progress);
  VcfScoringResult result;
  skip_resumed(run, vcf, result, skipped);
  bar.update(result.read);
  bool more = true;
  auto chunk_size = [&] { return block.end < 0 ? opts.chunk : std::min(opts.chunk, block.end - block.begin - result.read); };
  for (auto chunk = next_chunk(vcf, chunk_size(), more); !chunk.empty(); chunk = next_chunk(vcf, chunk_size(), more)) {
    // Everything before this chunk is written: a resumed run starts here (never past the last chunk).
    run.checkpoint(resume_point(result, skipped), -1, "variants");
    ScoredChunk scored = scorer.score(chunk);
    writer->write(scored);
    skipped.add(scored.skipped);
    result.read += static_cast<int64_t>(chunk.size());
    result.scored += static_cast<int64_t>(scored.variants.size());
    result.incremental += scored.incremental;
    if (result.engine_note.empty()) result.engine_note = scored.engine_note;
    for (int64_t p : scored.padded) result.padded += p > 0;
    bar.update(result.read);
  }
  if (result.read == 0) throw Error(opts.input_name + ": no variants");
  writer->close();
  skipped.close();
  bar.finish();
  result.seconds = bar.elapsed_seconds();
  result.skipped = skipped.total();
  result.skip_report = skipped.report();
  result.targets = scorer.task_names();
  result.files = writer->files();
  result.output_note = writer->note();
  outputs.commit();
  run.finish();
  if (opts.shard.sharded()) {
    std::vector<std::string> skip_list;  // written only when a variant was skipped
    if (std::filesystem::exists(skipped.path())) skip_list.push_back(skipped.path());
    std::vector<std::string> merged;  // a shard's own index stays beside it; merge indexes the whole
    for (const auto& f : result.files) {
      if (!ends_with(f, ".csi")) merged.push_back(f);
    }
    write_shard_manifest("score-variants", opts.shard, block.begin, block.end, block.total, opts.out, merged, skip_list);
  }
  return result;
}

}  // namespace seqnn
