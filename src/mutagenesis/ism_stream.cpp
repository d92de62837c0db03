#include "seqnn/mutagenesis/ism_stream.h"

#include <algorithm>

#include "seqnn/inference/output_columns.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "seqnn/util/shard.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/resume.h"

namespace seqnn {
namespace {

ResumePoint resume_point(const IsmStreamResult& r, int64_t length) {
  ResumePoint p;
  p.done = r.sequences;
  set_total(p, "mutants", r.mutants);
  set_total(p, "length", length);
  return p;
}

// Reads past the sequences the interrupted run wrote and takes over its totals.
void skip_resumed(const ResumableRun& run, SequenceSource& source, int64_t chunk_size, IsmStreamResult& r,
                  ChunkEncodeOptions& lengths) {
  const ResumePoint& p = run.resumed();
  if (p.done == 0) return;
  SequenceChunk chunk;
  int64_t left = p.done;
  while (left > 0 && source.next(std::min(left, chunk_size), chunk)) left -= static_cast<int64_t>(chunk.sequences.size());
  if (left != 0) fail(run.journal_path(), "cannot resume: the input has fewer sequences than the interrupted run wrote");
  r.sequences = r.resumed = p.done;
  r.mutants = get_total(p, "mutants");
  if (lengths.length <= 0 && get_total(p, "length") > 0) {
    lengths.length = get_total(p, "length");
    lengths.length_name = "the first sequence's length";
  }
}

}  // namespace

IsmStreamResult ism_stream(Model& model, SequenceSource& input, const IsmStreamOptions& opts) {
  OutputGroup outputs;  // all of the run's files, or none of them
  if (opts.chunk <= 0) throw Error("--chunk must be positive");
  // A shard runs whole chunks of the unsharded run (each chunk is one ism() call).
  ShardedInput sharded(input, opts.shard, opts.chunk, opts.input_name);
  SequenceSource& source = sharded.source();
  if (opts.ism.predict.batch_size <= 0) throw Error("--batch-size must be positive");
  const ModelInfo info = model.info();
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  ResumableRun run(opts.out, opts.resume.settings, opts.resume.resume);  // outlives the writer's files
  IsmWriter writer(opts.out);
  IsmOptions ism_opts = opts.ism;
  // Indices are checked against each output's columns by ism() itself.
  ism_opts.targets = resolve_target_columns(opts.targets, info.output_names);
  // Place the model once; the per-chunk calls find it there.
  ModelStateGuard placement(model, ism_opts.predict.device, ism_opts.predict.dtype);
  ism_opts.predict.device.clear();
  ism_opts.predict.dtype.reset();
  // Chunks share one analysed graph (freezing and analysing it took ~0.09 s per chunk of Basset).
  if (!ism_opts.engine_cache) ism_opts.engine_cache = make_ism_engine_cache();

  ChunkEncodeOptions lengths;
  lengths.length = info.input_length.value_or(0);
  lengths.hint = "ism needs one length";
  IsmStreamResult result;
  ProgressBar bar("ism", 0, "mut", opts.show_progress);
  SequenceChunk chunk;
  skip_resumed(run, source, opts.chunk, result, lengths);
  while (source.next(opts.chunk, chunk)) {
    // Everything before this chunk is written: a resumed run starts here (never past the last chunk).
    run.checkpoint(resume_point(result, lengths.length), source.total(), "sequences");
    at::Tensor x = one_hot_encode_chunk(chunk.sequences, alphabet, lengths, chunk.where);
    if (lengths.length <= 0) {  // later chunks must match the first sequence
      lengths.length = x.size(2);
      lengths.length_name = "the first sequence's length";
    }
    const int64_t base = result.passes;
    ism_opts.predict.progress = [&](int64_t done, int64_t) { bar.update(base + done); };
    IsmResult r = ism(model, x, {}, ism_opts);
    writer.write(ism_arrays(r, opts.mode), chunk.labels);
    result.engine = r.engine;
    result.reference_bytes = std::max(result.reference_bytes, r.reference_bytes);
    if (result.engine_note.empty()) result.engine_note = r.engine_note;
    result.sequences += x.size(0);
    result.passes = bar.done();  // mutants x MC samples
    const int64_t end = ism_opts.end > 0 ? std::min<int64_t>(ism_opts.end, x.size(2)) : x.size(2);
    result.mutants += x.size(0) * (end - ism_opts.start) * (x.size(1) - 1);
  }
  if (result.sequences == 0) throw Error(opts.input_name + ": no sequences");
  result.files = writer.close();
  bar.finish();
  result.seconds = bar.elapsed_seconds();
  outputs.commit();
  run.finish();
  if (opts.shard.sharded()) write_shard_manifest("ism", opts.shard, sharded.begin, sharded.end, input.total(), opts.out, result.files);
  return result;
}

}  // namespace seqnn
