#pragma once
// Streaming in-silico saturation mutagenesis: sequences are read a chunk at a time, mutated,
// run through the model and written to an .npy set (ism_writer.h), so memory depends on the
// chunk, not on the number of sequences. This is `seqnn ism` as a library call.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/model.h"
#include "seqnn/mutagenesis/ism.h"
#include "seqnn/mutagenesis/ism_writer.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/util/resume.h"
#include "seqnn/util/shard.h"

namespace seqnn {

struct IsmStreamOptions {
  IsmOptions ism;                    // batch size, device, dtype, window, MC; ism.targets is filled from `targets`
  std::vector<std::string> targets;  // output columns by name or index (default: all)
  IsmMode mode = IsmMode::kDiff;
  int64_t chunk = 16;                // sequences mutated at a time
  std::string out;                   // OUT.npy
  std::string input_name;            // names the input in errors ("in.fa: no sequences")
  bool show_progress = true;         // progress bar on stderr
  ResumeOptions resume;              // checkpoints after every chunk; --resume continues from the last
  ShardSpec shard;                   // a block of whole chunks (util/shard.h) and OUT.shard.json
};

struct IsmStreamResult {
  int64_t sequences = 0;
  int64_t resumed = 0;  // of them, written by the interrupted run this one continued
  int64_t mutants = 0;  // substitutions per sequence window, summed (L_w x (A - 1) each)
  int64_t passes = 0;   // mutant forward passes (x MC samples) of this run (not of the run it resumed)
  double seconds = 0;
  std::vector<std::string> files;
  IsmEngine engine = IsmEngine::kNaive;  // the engine that ran (the last chunk's)
  std::string engine_note;               // why the incremental engine did not run, if it did not
  int64_t reference_bytes = 0;           // incremental: the largest chunk's stored reference values
};

// Every sequence must have one length (the model's input length when it has one).
IsmStreamResult ism_stream(Model& model, SequenceSource& source, const IsmStreamOptions& opts);

}  // namespace seqnn
