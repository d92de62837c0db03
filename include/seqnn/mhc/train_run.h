#pragma once
// Training the pan-allele model (`seqnn mhc train`): read the measurements and pseudo-sequences,
// split within each allele (mhc_data.h), build the two-input model (pan_model.h) and train it
// with the training loop every native model uses (training/trainer.h: metrics.csv, early stopping,
// --resume, model_best.pt). Then the test rows are scored (metrics.csv "test" row and
// test_predictions.tsv: id = peptide, allele, meas.target, meas.prediction) and the alleles of the
// training rows are calibrated for percentile ranks, stored in model_best.pt.
// With ensemble K > 1, K members are trained that way with seeds seed, seed + 1, ..., each in
// <out>/member<k>/ (the loop's layout: metrics.csv, checkpoints, model_best.pt,
// test_predictions.tsv), and <out>/model_best.pt is their mean (models/ensemble_net.h), whose
// test rows go to <out>/test_predictions.tsv and <out>/metrics.csv ("test" row, epoch 0).
// <out>/config.json holds the effective settings; --resume requires the same settings (only
// epochs may change).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seqnn/mhc/mhc_data.h"
#include "seqnn/mhc/pan_model.h"
#include "seqnn/training/trainer.h"

namespace seqnn::mhc {

struct MhcTrainOptions {
  std::string table;
  std::string pseudo_sequences;
  MhcTableOptions columns;
  SplitOptions split;       // folds / fold / val_fraction / split_seed, made within each allele
  std::string test_allele;  // leave-allele-out: this allele's rows are the test set
  PanModelOptions model;
  TrainOptions train;       // epochs ... out_dir, resume, progress, device
  int64_t ensemble = 1;     // members (seeds seed .. seed + K - 1) averaged into one model
  int64_t calibration_peptides = 10000;  // random peptides per allele for percentile ranks (0 = none)
  // Told one line about the run (rows, alleles, parameters) before training.
  std::function<void(const std::string&)> on_start;
};

struct MhcTrainResult {
  std::vector<TrainResult> members;  // one per member (a single model: one)
  Evaluation test;                   // the (ensemble) model's test metrics; no output for a single model
  int64_t train_rows = 0, val_rows = 0, test_rows = 0, alleles = 0, parameters = 0;
  int64_t calibrated = 0;  // alleles calibrated
  double calibration_seconds = 0;
  std::string model;       // <out>/model_best.pt
};

MhcTrainResult run_mhc_training(const MhcTrainOptions& options);
// The effective settings as JSON (what config.json holds).
std::string mhc_train_config_json(const MhcTrainOptions& options);

}  // namespace seqnn::mhc
