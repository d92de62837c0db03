#include "seqnn/rna/predict_structures.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

#include "seqnn/rna/assembly.h"
#include "seqnn/rna/s1_pairs.h"
#include "seqnn/util/error.h"
#include "seqnn/rna/targets.h"

namespace seqnn::rna {

RnaPrediction assemble_prediction(const std::string& id, const std::string& sequence, const PixelPredictions& pixels,
                                  const ProposalOptions& opts) {
  RnaPrediction p;
  p.id = id;
  p.sequence = sequence;
  p.boxes = filter_proposals(propose_boxes(pixels, opts), sequence, opts);
  std::vector<Box> stems;
  std::vector<double> scores;
  for (const auto& b : p.boxes) {
    if (b.box.type != BoxType::kStem) continue;
    stems.push_back(b.box);
    scores.push_back(b.prob * static_cast<double>(b.box.size_x));  // expected correct pairs
  }
  Assembly a = assemble_stems(static_cast<int64_t>(sequence.size()), stems, scores);
  p.structure = a.structure;
  p.score = a.score;
  mark_boxes_in_structure(p);
  return p;
}

void mark_boxes_in_structure(RnaPrediction& p) {
  const auto implied = decompose(p.structure).boxes;
  p.in_structure.clear();
  for (const auto& b : p.boxes) p.in_structure.push_back(std::find(implied.begin(), implied.end(), b.box) != implied.end());
}

S1Decoder parse_s1_decoder(const std::string& text, const std::string& where) {
  if (text == "boxes") return S1Decoder::kBoxes;
  if (text == "pairs") return S1Decoder::kPairs;
  fail(where, "unknown decoder '" + text + "' (expected boxes or pairs)");
}

std::vector<RnaPrediction> predict_structures(S1Model& model, const std::vector<RnaRecord>& records,
                                              const PredictStructureOptions& opts) {
  model.train(false);
  torch::NoGradGuard no_grad;
  // Similar lengths share a batch so little is padded.
  std::vector<size_t> order(records.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return records[a].sequence.size() < records[b].sequence.size(); });
  std::vector<RnaPrediction> out(records.size());
  const size_t bs = static_cast<size_t>(std::max<int64_t>(opts.batch_size, 1));
  for (size_t start = 0; start < order.size(); start += bs) {
    const size_t end = std::min(order.size(), start + bs);
    std::vector<std::string> seqs;
    for (size_t k = start; k < end; ++k) seqs.push_back(records[order[k]].sequence);
    S1Output o = model.forward(model.input_batch(seqs));
    for (size_t k = start; k < end; ++k) {
      const RnaRecord& r = records[order[k]];
      const auto pixels = pixel_predictions(o, static_cast<int64_t>(k - start), static_cast<int64_t>(r.sequence.size()));
      RnaPrediction& p = out[order[k]];
      p = assemble_prediction(r.id, r.sequence, pixels, opts.proposals);
      if (opts.decoder == S1Decoder::kPairs) {
        const auto pairs = s1_pair_probabilities(o, static_cast<int64_t>(k - start), r.sequence);
        p.structure = s1_mea_structure(pairs, static_cast<int64_t>(r.sequence.size()), opts.gamma);
        p.score = 0.0;
        for (const auto& bp : p.structure.pairs()) {
          for (const auto& q : pairs) p.score += (q.i == bp.i && q.j == bp.j) ? q.p : 0.0;  // expected correct pairs
        }
        mark_boxes_in_structure(p);
      }
    }
    if (opts.progress) opts.progress(static_cast<int64_t>(end));
  }
  return out;
}

RgbImage draw_pairing_map(const RnaPrediction& pred, const Structure& truth) {
  const int64_t L = static_cast<int64_t>(pred.sequence.size());
  const int64_t s = std::max<int64_t>(2, 600 / std::max<int64_t>(L, 1));  // pixels per cell
  RgbImage img(L * s, L * s, {255, 255, 255});
  auto cell = [&](int64_t r, int64_t c, Rgb color) { img.fill_rect(c * s, r * s, c * s + s - 1, r * s + s - 1, color); };
  auto outline = [&](const Box& b, Rgb color) { img.draw_rect(b.left() * s, b.i * s, b.j * s + s - 1, b.bottom() * s + s - 1, color); };
  for (int64_t k = 0; k < L; ++k) cell(k, k, {220, 220, 220});
  for (const auto& p : pred.structure.pairs()) cell(p.j, p.i, {0, 0, 0});
  if (truth.length() == L) {
    for (const auto& p : truth.pairs()) cell(p.i, p.j, {0, 0, 0});
    for (const auto& b : decompose(truth).boxes) outline(b, {0, 170, 0});
  }
  const Rgb colors[] = {{220, 0, 0}, {0, 80, 230}, {255, 140, 0}};
  for (const auto& b : pred.boxes) outline(b.box, colors[static_cast<int>(b.box.type)]);
  return img;
}

}  // namespace seqnn::rna
