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

// How S1's output becomes a structure: "boxes" assembles the kept stem boxes exactly
// (assembly.h); "pairs" takes the MEA structure over the stem heads' base-pair posteriors
// (s1_pairs.h), which keeps the single pairs and short stems the box votes lose.
enum class S1Decoder { kBoxes, kPairs };
S1Decoder parse_s1_decoder(const std::string& text, const std::string& where = "--decoder");

struct PredictStructureOptions {
  ProposalOptions proposals;
  S1Decoder decoder = S1Decoder::kBoxes;
  double gamma = 1.0;  // pairs decoder: weight of pairs against unpaired bases
  int64_t batch_size = 8;
  std::function<void(int64_t done)> progress;  // called after each batch
};

// One prediction per record, in input order. The model is put in eval mode.
std::vector<RnaPrediction> predict_structures(S1Model& model, const std::vector<RnaRecord>& records,
                                              const PredictStructureOptions& opts);
// Boxes + assembly for one sequence's pixel predictions.
RnaPrediction assemble_prediction(const std::string& id, const std::string& sequence, const PixelPredictions& pixels,
                                  const ProposalOptions& opts);

// Sets in_structure: which of p.boxes are boxes of p.structure's decomposition.
void mark_boxes_in_structure(RnaPrediction& p);

// The pairing map as a picture: upper triangle - true pairs (black) and true boxes (green
// outlines), predicted boxes (red stem, blue internal loop, orange hairpin outlines); lower
// triangle - the assembled pairs (black), mirrored. `truth` may be empty (length 0).
RgbImage draw_pairing_map(const RnaPrediction& pred, const Structure& truth);

}  // namespace seqnn::rna
