#pragma once
// The pan-allele peptide-MHC class I model (docs/mhc.md): a native two-input network
// (models/pair_config.h) whose first input is the peptide (N, 20, L) and whose second is the
// allele's pseudo-sequence (N, 20, 34), both one-hot over the 20 amino acids, with one output,
// y = 1 - log(IC50) / log(50000) (sigmoid, so 1 nM <= IC50 <= 50,000 nM). The peptide branch is
// a learned embedding and a (bi)LSTM/GRU, or a CNN on the peptide padded to max_length; the
// allele branch a dense layer on the flattened pseudo-sequence. The model file carries, in the
// config's metadata, what predicting needs besides the weights: every pseudo-sequence of the
// table it was trained with, the peptide lengths it accepts, and the percentile calibration.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/inference/predict.h"
#include "seqnn/mhc/alleles.h"
#include "seqnn/mhc/calibration.h"
#include "seqnn/models/model.h"
#include "seqnn/models/pair_config.h"

namespace seqnn::mhc {

struct PanModelOptions {
  std::string arch = "lstm";  // peptide branch: lstm, gru or cnn
  int64_t embedding = 32;     // lstm, gru: learned embedding size
  int64_t hidden = 64;        // lstm, gru: hidden size (bidirectional)
  std::vector<int64_t> num_filters = {64};  // cnn: filters per conv layer ('same' padding)
  std::vector<int64_t> filter_width = {3};  // cnn: width per layer (the last value repeats)
  int64_t peptide_features = 64;  // outputs of the peptide branch (ReLU)
  int64_t allele_features = 64;   // outputs of the allele branch (ReLU)
  std::string combine = "product";  // concat: [p, a]; product: [p, a, p * a] (pair_config.h)
  std::vector<int64_t> dense_units = {64};
  double dropout = 0.2;  // after each dense layer of the joint stack
  int64_t min_length = 8, max_length = 15;  // peptide lengths the model accepts
};

// What a pan-allele model carries beside its weights (PairConfig::metadata).
struct PanMetadata {
  PseudoSequences pseudo;
  int64_t min_length = 8, max_length = 15;
  Calibration calibration;
  std::string to_json() const;
  // Errors name `source` (the model file).
  static PanMetadata from_json(const std::string& text, const std::string& source);
};

PairConfig pan_model_config(const PanModelOptions& options, const PseudoSequences& pseudo);
Model make_pan_model(const PanModelOptions& options, const PseudoSequences& pseudo, uint64_t seed);
// The metadata of a pan-allele model; "FILE: not a seqnn mhc pan-allele model" for others.
PanMetadata pan_metadata(const Model& model);
void set_pan_metadata(Model& model, const PanMetadata& metadata);

// A peptide the model can score: amino-acid letters only (upper or lower case), a length in
// [min_length, max_length]. Otherwise the error "where: peptide 'P' ...".
void check_peptide(const std::string& peptide, const PanMetadata& metadata, const std::string& where);

// y for every peptide (rows) x pseudo-sequence (columns), as (P, A) double on the CPU. Peptides
// are batched by length, so padding never enters a prediction.
at::Tensor predict_pan(Model& model, const std::vector<std::string>& peptides, const std::vector<std::string>& pseudo,
                       const PredictOptions& options = {});
// IC50 in nM of a prediction: 50000^(1 - y).
double ic50_of_target(double y);

// Calibrates `alleles` (pseudo-sequence names) on metadata.calibration's random set (sized,
// seeded and with lengths as it says) and stores their quantiles in it.
void calibrate_alleles(Model& model, PanMetadata& metadata, const std::vector<std::string>& alleles,
                       const PredictOptions& options = {});
// The stored quantiles of an allele in any spelling, or nullptr.
const std::vector<double>* stored_calibration(const PanMetadata& metadata, const std::string& allele);

}  // namespace seqnn::mhc
