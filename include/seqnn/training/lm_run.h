#pragma once
// `seqnn train-lm` and `seqnn generate` as library calls: a character LM trained on a FASTA file
// into an output directory (trainer.h's layout, config.json included), and FASTA text sampled
// from a trained model.
#include <cstdint>
#include <string>

#include "seqnn/training/char_lm.h"

namespace seqnn {

struct LmRunOptions {
  std::string fasta;        // training sequences (FASTA or aligned FASTA/a2m)
  bool strip_gaps = false;  // drop '-' and '.', upper-case
  CharLmConfig model;
  LmTrainOptions train;     // train.out_dir is the output directory; train.seed also seeds the weights
  double val_fraction = 0.1;
  uint64_t split_seed = 0;
};

struct LmRunResult {
  LmTrainResult train;
  int64_t train_sequences = 0, val_sequences = 0;
};

// Loads and splits the sequences, trains (or resumes) and writes <out>/config.json.
LmRunResult train_lm_on_fasta(const LmRunOptions& options);
// The effective settings of a run as JSON (what config.json holds).
std::string lm_run_config_json(const LmRunOptions& options);
// The summary line of a run: "6 training, 1 validation sequences; 1 epochs (...); best epoch 1,
// validation perplexity 19.7 -> DIR/model_best.pt". With no validation sequences it says that
// the best epoch was chosen on the training perplexity (a validation figure would be invented).
std::string lm_run_summary(const LmRunResult& result, const LmRunOptions& options);

struct GenerateOptions {
  int64_t n = 10;
  int64_t max_length = 1000;
  double temperature = 1.0;
  uint64_t seed = 0;
  bool progress = true;
};
struct GeneratedFasta {
  std::string text;  // ">gen_<i> length=<L> temperature=<T>" records
  int64_t letters = 0;
};
// Sequence i is drawn with seed + i, so it does not depend on how many are asked for.
GeneratedFasta generate_fasta(const std::string& model_path, const GenerateOptions& options);

}  // namespace seqnn
