#pragma once
// Attributions of FASTA sequences streamed to one .npy (N, A, L) float32 file, a chunk of
// sequences at a time: `seqnn attribute` as a library call. The file is written under a
// temporary name and renamed when complete.
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/attribution/attribution.h"
#include "seqnn/models/model.h"
#include "seqnn/sequence/sequence_source.h"

namespace seqnn {

struct AttributionStreamOptions {
  AttributionOptions attribution;      // method, output, steps, batch size, device, ...; targets
                                       // and references are filled from the two fields below
  std::vector<std::string> targets;    // output columns by name or index (default: all, summed)
  std::string references = "shuffle:20";  // parse_references(); the seed is attribution.references.seed
  int64_t chunk = 64;                  // sequences read and attributed at a time
  std::string out;                     // OUT.npy
  std::string input_name;              // names the input in errors
  bool show_progress = true;
};

struct AttributionStreamResult {
  int64_t sequences = 0;
  int64_t forward_rows = 0;
  double seconds = 0;
  double max_abs_delta = 0;  // integrated gradients, deeplift-shap
  bool has_deltas = false;
  std::string warning;       // the first chunk's convergence warning, if any
  std::string output_name;
  std::string file;
};

// Every sequence must have one length (the model's input length when it has one).
AttributionStreamResult attribute_stream(Model& model, SequenceSource& source, const AttributionStreamOptions& opts);

}  // namespace seqnn
