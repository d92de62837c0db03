#pragma once
// End-to-end prediction: S1 forward (batched, sequences padded to the batch's longest - in eval
// mode padding does not change the pixels of the real sequence, the receptive field equals the
// model's own padding), proposals, filtering, exact stem assembly.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seqnn/rna/proposals.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/util/png.h"

namespace seqnn::rna {

struct PredictStructureOptions {
  ProposalOptions proposals;
  int64_t batch_size = 8;
  std::function<void(int64_t done)> progress;  // called after each batch
};

// One prediction per record, in input order. The model is put in eval mode.
std::vector<RnaPrediction> predict_structures(S1Model& model, const std::vector<RnaRecord>& records,
                                              const PredictStructureOptions& opts);
// Boxes + assembly for one sequence's pixel predictions.
RnaPrediction assemble_prediction(const std::string& id, const std::string& sequence, const PixelPredictions& pixels,
                                  const ProposalOptions& opts);

// The pairing map as a picture: upper triangle - true pairs (black) and true boxes (green
// outlines), predicted boxes (red stem, blue internal loop, orange hairpin outlines); lower
// triangle - the assembled pairs (black), mirrored. `truth` may be empty (length 0).
RgbImage draw_pairing_map(const RnaPrediction& pred, const Structure& truth);

}  // namespace seqnn::rna
