#include "seqnn/inference/predict_stream.h"

#include <algorithm>
#include <limits>

#include "seqnn/inference/prediction_writer.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "seqnn/util/shard.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/resume.h"

namespace seqnn {
namespace {

ChunkEncodeOptions chunk_lengths(const ModelInfo& info) {
  ChunkEncodeOptions o;
  o.length = info.input_length.value_or(0);
  if (info.skips_trailing_padding) {
    o.lengths = ChunkLengths::kPadToLongest;
  } else {
    o.hint = "only recurrent models take mixed lengths";
  }
  return o;
}

// The prediction (means) writer and, with MC dropout, the standard-deviation writer.
struct Writers {
  std::unique_ptr<PredictionWriter> main, sd;
  Writers(const std::string& out, const ModelInfo& info, bool mc) : main(make_prediction_writer(out, info.output_names)) {
    if (mc) sd = make_prediction_writer(sd_path(out), info.output_names);
  }
  std::vector<std::string> close() {
    main->close();
    std::vector<std::string> files = main->files();
    if (sd) {
      sd->close();
      for (const auto& f : sd->files()) files.push_back(f);
    }
    return files;
  }
};

// The running totals a checkpoint records, and their restoration in a resumed run.
ResumePoint resume_point(const PredictStreamResult& r, const ChunkEncodeOptions& lengths) {
  ResumePoint p;
  p.done = r.sequences;
  set_total(p, "shortest", r.shortest);
  set_total(p, "longest", r.longest);
  set_total(p, "padded_windows", r.padded_windows);
  set_total(p, "padded_bases", r.padded_bases);
  set_total(p, "length", lengths.length);
  return p;
}

// Reads past the sequences the interrupted run wrote and takes over its totals.
void skip_resumed(const ResumableRun& run, SequenceSource& source, int64_t chunk_size, PredictStreamResult& r,
                  ChunkEncodeOptions& lengths) {
  const ResumePoint& p = run.resumed();
  if (p.done == 0) return;
  SequenceChunk chunk;
  int64_t left = p.done;
  while (left > 0 && source.next(std::min(left, chunk_size), chunk)) left -= static_cast<int64_t>(chunk.sequences.size());
  if (left != 0) fail(run.journal_path(), "cannot resume: the input has fewer sequences than the interrupted run wrote");
  r.sequences = r.resumed = p.done;
  r.shortest = get_total(p, "shortest", r.shortest);
  r.longest = get_total(p, "longest");
  r.padded_windows = get_total(p, "padded_windows");
  r.padded_bases = get_total(p, "padded_bases");
  if (lengths.length <= 0 && get_total(p, "length") > 0) {
    lengths.length = get_total(p, "length");
    lengths.length_name = "the first sequence's length";
  }
}

}  // namespace

std::unique_ptr<SequenceSource> open_sequence_input(const SequenceInput& input, const ModelInfo& info) {
  if (input.fasta.empty() == input.bed.empty()) throw Error("give exactly one input: --fasta, or --bed with --genome");
  if (!input.bed.empty() && input.genome.empty()) throw Error("--bed needs --genome (an indexed FASTA)");
  if (!input.fasta.empty()) return fasta_source(input.fasta);
  if (input.length > 0 && info.input_length && input.length != *info.input_length) {
    throw Error("--length " + std::to_string(input.length) + " does not match the model's input length " +
                std::to_string(*info.input_length));
  }
  return bed_source(input.bed, input.genome, input.length > 0 ? input.length : info.input_length.value_or(0),
                    input.summit ? WindowCentre::kSummit : WindowCentre::kInterval);
}

PredictStreamResult predict_stream(Model& model, SequenceSource& input, const PredictStreamOptions& opts) {
  OutputGroup outputs;  // all of the run's files, or none of them
  if (opts.predict.batch_size <= 0 || opts.chunk <= 0) throw Error("--batch-size and --chunk must be positive");
  // A shard runs whole batches of the unsharded run: the same rows, MC masks included.
  ShardedInput sharded(input, opts.shard, opts.predict.batch_size, opts.input_name);
  SequenceSource& source = sharded.source();
  const ModelInfo info = model.info();
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  ResumableRun run(opts.out, opts.resume.settings, opts.resume.resume);  // outlives the writers' files
  Writers writers(opts.out, info, opts.mc.enabled());

  // Load the model onto the device once; predict() leaves it there between chunks.
  ModelStateGuard placement(model, opts.predict.device, opts.predict.dtype);
  PredictOptions popts;
  popts.batch_size = opts.predict.batch_size;
  ChunkEncodeOptions lengths = chunk_lengths(info);
  PredictStreamResult result;
  result.shortest = std::numeric_limits<int64_t>::max();
  ProgressBar bar("predict", source.total(), "seq", opts.show_progress);
  SequenceChunk chunk;
  // Whole batches per chunk: MC masks are seeded per sample and batch position, so results do
  // not depend on the chunk size.
  const int64_t chunk_size = (opts.chunk + popts.batch_size - 1) / popts.batch_size * popts.batch_size;
  skip_resumed(run, source, chunk_size, result, lengths);
  bar.update(result.sequences);
  while (source.next(chunk_size, chunk)) {
    // Everything before this chunk is written: a resumed run starts here (never past the last chunk).
    run.checkpoint(resume_point(result, lengths), source.total(), "sequences");
    at::Tensor x = one_hot_encode_chunk(chunk.sequences, alphabet, lengths, chunk.where);
    if (lengths.lengths == ChunkLengths::kOneLength && lengths.length <= 0) {
      lengths.length = x.size(2);  // later chunks must match the first sequence
      lengths.length_name = "the first sequence's length";
    }
    for (const auto& s : chunk.sequences) {
      result.shortest = std::min<int64_t>(result.shortest, static_cast<int64_t>(s.size()));
      result.longest = std::max<int64_t>(result.longest, static_cast<int64_t>(s.size()));
    }
    const int64_t done = result.sequences;
    popts.progress = [&](int64_t d, int64_t) { bar.update(done + d); };
    if (opts.mc.enabled()) {
      McPrediction p = predict_mc(model, x, {}, popts, opts.mc);
      writers.main->write(chunk.labels, p.mean);
      writers.sd->write(chunk.labels, p.sd);
    } else {
      writers.main->write(chunk.labels, predict(model, x, {}, popts));
    }
    result.sequences += x.size(0);
    result.padded_windows += chunk.padded_windows;
    result.padded_bases += chunk.padded_bases;
  }
  if (result.sequences == 0) throw Error(opts.input_name + ": no sequences");
  result.files = writers.close();
  bar.finish();
  result.seconds = bar.elapsed_seconds();
  outputs.commit();
  run.finish();
  if (opts.shard.sharded()) write_shard_manifest("predict", opts.shard, sharded.begin, sharded.end, input.total(), opts.out, result.files);
  return result;
}

std::string sd_path(const std::string& out) {
  const size_t dot = out.rfind('.');
  return dot == std::string::npos ? out + ".sd" : out.substr(0, dot) + ".sd" + out.substr(dot);
}

std::string length_range(int64_t shortest, int64_t longest) {
  return shortest == longest ? std::to_string(longest) : std::to_string(shortest) + "-" + std::to_string(longest);
}

}  // namespace seqnn
