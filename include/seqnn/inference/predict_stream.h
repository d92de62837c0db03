#pragma once
// Streaming prediction: sequences are read from a source a chunk at a time, one-hot encoded,
// predicted (deterministically or with Monte-Carlo dropout) and written (.tsv or .npy) as they
// come, so memory does not grow with the input. This is `seqnn predict` as a library call.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "seqnn/inference/mc_dropout.h"
#include "seqnn/inference/predict.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/util/resume.h"
#include "seqnn/util/shard.h"

namespace seqnn {

// Where the sequences come from: a FASTA file, or windows around BED intervals over a genome.
struct SequenceInput {
  std::string fasta;
  std::string bed, genome;  // BED windows cut from an indexed genome
  int64_t length = 0;       // BED window length (0 = the model's input length)
  bool summit = false;      // centre BED windows on the narrowPeak summit
  const std::string& name() const { return fasta.empty() ? bed : fasta; }
};

// Opens the input for a model: exactly one of FASTA or BED + genome; a BED window length must
// agree with the model's input length.
std::unique_ptr<SequenceSource> open_sequence_input(const SequenceInput& input, const ModelInfo& info);

struct PredictStreamOptions {
  PredictOptions predict;    // batch size, device, compute dtype
  McOptions mc;              // samples > 0: MC dropout; the standard deviations go to sd_path(out)
  int64_t chunk = 4096;      // sequences read at a time (rounded up to whole batches)
  std::string out;           // .tsv or .npy
  std::string input_name;    // names the input in errors ("in.fa: no sequences")
  bool show_progress = true; // progress bar on stderr
  ResumeOptions resume;      // checkpoints after every chunk; --resume continues from the last
  ShardSpec shard;           // a block of whole batches (util/shard.h) and OUT.shard.json
};

struct PredictStreamResult {
  int64_t sequences = 0;
  int64_t resumed = 0;                // of them, written by the interrupted run this one continued
  int64_t shortest = 0, longest = 0;  // sequence lengths seen
  int64_t padded_windows = 0;         // BED windows that ran off their chromosome
  int64_t padded_bases = 0;           // bases filled with N for them
  double seconds = 0;
  std::vector<std::string> files;     // what was written
};

// Models that skip trailing padding (recurrent) take any lengths, each chunk zero-padded to its
// longest sequence (at most the model's input length, if it names one). Other models need every
// sequence at the model's input length (or, without one, at the first sequence's).
PredictStreamResult predict_stream(Model& model, SequenceSource& source, const PredictStreamOptions& opts);

// OUT.tsv -> OUT.sd.tsv: where the MC standard deviations go, beside the means.
std::string sd_path(const std::string& out);

// "200" or "8-15", for summary lines.
std::string length_range(int64_t shortest, int64_t longest);

}  // namespace seqnn
