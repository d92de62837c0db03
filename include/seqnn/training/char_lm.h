#pragma once
// A character-level language model over an alphabet's letters: embedding -> stacked LSTM/GRU ->
// linear over (letters + 1) tokens. Token 0 marks the sequence boundary: it starts every input
// (BOS) and is the target after the last letter (EOS), so the model learns lengths too.
// Letters outside the alphabet (X, N, ...) are dropped when sequences are tokenised.
//
// Perplexity = exp(mean negative log-likelihood per predicted token, EOS included).
// Model file: a LibTorch archive with the config under "seqnn_lm_config" and the weights.
#include <torch/nn.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/models/rnn_config.h"
#include "seqnn/training/data_parallel.h"
#include "seqnn/training/dataset.h"
#include "seqnn/training/metrics_log.h"

namespace seqnn {

struct CharLmConfig {
  std::string alphabet = "protein";
  RnnCell cell = RnnCell::kLstm;
  int64_t embedding = 32;
  int64_t hidden = 128;
  int64_t layers = 1;
  double dropout = 0.0;
  static CharLmConfig from_json(const std::string& text, const std::string& source);
  std::string to_json() const;
  int64_t vocabulary() const;  // letters + 1
};

class CharLmImpl : public torch::nn::Module {
 public:
  explicit CharLmImpl(CharLmConfig config);
  // tokens (N, T) int64 -> logits (N, T, V). state carries (h, c) between calls when sampling.
  torch::Tensor forward(const torch::Tensor& tokens, std::vector<torch::Tensor>* state = nullptr);
  const CharLmConfig& config() const { return config_; }

 private:
  CharLmConfig config_;
  torch::nn::Embedding embedding_{nullptr};
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::GRU gru_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(CharLm);

CharLm make_char_lm(const CharLmConfig& config, uint64_t seed);
void save_char_lm(const CharLm& lm, const std::string& path);  // atomic
CharLm load_char_lm(const std::string& path);                  // errors name the file

// Letter tokens 1..A of a sequence (others dropped).
std::vector<int64_t> tokenize(const std::string& seq, const Alphabet& alphabet);

struct LmTrainOptions {
  int64_t epochs = 10;
  int64_t batch_size = 32;
  double lr = 1e-3;
  double clip_grad_norm = 1.0;
  uint64_t seed = 0;
  std::string out_dir;
  bool progress = true;
  // Continue from out_dir/train_state.pt (optimiser, epoch) and the matching
  // checkpoint_<N>.pt; the finished run equals an uninterrupted one.
  bool resume = false;
  // One rank of a data-parallel run (data_parallel.h): batch_size is per rank; each rank's
  // gradient counts by its share of the global batch's tokens.
  DataParallel parallel;
};
struct LmTrainResult {
  MetricsLog log;  // columns loss, perplexity (train and val rows)
  int64_t best_epoch = -1;
  double best_val_perplexity = 0;  // of the validation rows, or of the training rows when best_on_training
  bool best_on_training = false;    // no validation sequences: the best epoch was chosen on the training set
  double train_seconds = 0;  // of the epochs run by this call (not those before a resume)
  int64_t train_tokens = 0;
  int64_t epochs_run = 0;
  int ranks = 1;
  double exposed_comm_seconds = 0;  // gradient all-reduce time the backward pass did not hide
  int64_t steps = 0;
};
// Trains with Adam (teacher forcing); checkpoint_<N>.pt, model_best.pt (lowest validation
// perplexity), train_state.pt and metrics.csv in out_dir (trainer.h's layout). On return lm holds the best epoch's
// weights. With options.resume the config of lm must be the checkpoint's.
LmTrainResult train_char_lm(CharLm& lm, const Dataset& data, const Split& split, const LmTrainOptions& options);
// Perplexity of the model on rows of a data set (in a data-parallel run: each rank its block, the
// perplexity of all of them).
double lm_perplexity(CharLm& lm, const Dataset& data, const std::vector<int64_t>& rows, int64_t batch_size = 64,
                     const DataParallel& parallel = DataParallel());

// Samples n sequences: each step draws from softmax(logits / temperature) with a seeded
// std::mt19937_64 (same seed, same sequences), stopping at EOS or max_length letters.
std::vector<std::string> generate_sequences(CharLm& lm, int64_t n, int64_t max_length, double temperature, uint64_t seed);

}  // namespace seqnn
