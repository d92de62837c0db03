#include "seqnn/training/char_lm.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "seqnn/training/epoch_loop.h"
#include "seqnn/training/trainer.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/archive_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"
#include "seqnn/util/progress.h"

namespace seqnn {
namespace {

using nlohmann::json;
const char kLmKey[] = "seqnn_lm_config";

// Inputs [BOS, x1..xn] and targets [x1..xn, EOS] of a batch, padded with -1 targets (ignored).
std::pair<torch::Tensor, torch::Tensor> lm_batch(const Dataset& data, const std::vector<int64_t>& rows,
                                                 const Alphabet& alphabet) {
  std::vector<std::vector<int64_t>> toks;
  int64_t T = 1;
  for (int64_t r : rows) {
    toks.push_back(tokenize(data.examples.at(static_cast<size_t>(r)).sequence, alphabet));
    T = std::max<int64_t>(T, static_cast<int64_t>(toks.back().size()) + 1);
  }
  const int64_t N = static_cast<int64_t>(rows.size());
  torch::Tensor input = torch::zeros({N, T}, torch::kLong);
  torch::Tensor target = torch::full({N, T}, -1, torch::kLong);
  auto in = input.accessor<int64_t, 2>();
  auto tg = target.accessor<int64_t, 2>();
  for (int64_t i = 0; i < N; ++i) {
    const auto& t = toks[static_cast<size_t>(i)];
    const int64_t n = static_cast<int64_t>(t.size());
    for (int64_t k = 0; k < n; ++k) {
      if (k + 1 < n + 1) in[i][k + 1] = t[static_cast<size_t>(k)];  // T > n for every row
      tg[i][k] = t[static_cast<size_t>(k)];
    }
    tg[i][n] = 0;  // EOS
  }
  return {input, target};
}

// Summed NLL and token count of a batch.
std::pair<torch::Tensor, int64_t> batch_nll(CharLm& lm, const torch::Tensor& input, const torch::Tensor& target) {
  torch::Tensor logits = lm->forward(input);
  torch::Tensor nll = torch::nll_loss(torch::log_softmax(logits, 2).flatten(0, 1), target.flatten(), {},
                                      at::Reduction::Sum, /*ignore_index=*/-1);
  return {nll, target.ge(0).sum().item<int64_t>()};
}

void copy_weights(const CharLm& from, CharLm& to) {
  torch::NoGradGuard g;
  auto src = from->named_parameters();
  for (auto& p : to->named_parameters()) p.value().copy_(src[p.key()]);
}

// One epoch of the LM: seeded dropout and length-bucketed batch order, teacher forcing, then
// the perplexity of the validation rows (of the training rows when there are none).
class LmEpochTask : public EpochTask {
 public:
  LmEpochTask(CharLm& lm, const Dataset& data, const Split& split, const LmTrainOptions& o)
      : lm_(lm), data_(data), split_(split), o_(o), opt_(lm->parameters(), torch::optim::AdamOptions(o.lr)),
        alphabet_(Alphabet::from_name(lm->config().alphabet)), dp_(o.parallel) {
    dp_.attach(lm->parameters());
  }

  std::vector<MetricsRow> run_epoch(int64_t epoch) override {
    // Each rank its own dropout masks; rank 0's are those of a single process.
    torch::manual_seed(o_.seed * 1000003ULL + static_cast<uint64_t>(epoch) + static_cast<uint64_t>(dp_.rank()) * 0x9E3779B97F4A7C15ULL);
    lm_->train();
    ProgressBar bar("lm epoch " + std::to_string(epoch) + "/" + std::to_string(o_.epochs),
                    static_cast<int64_t>(split_.train.size()), "seq", o_.progress);
    double nll = 0;
    int64_t tokens = 0;
    const auto t0 = std::chrono::steady_clock::now();
    // Length bucketing: RNN time is set by the longest sequence of a batch.
    for (const auto& batch : make_batches(data_, split_.train, o_.batch_size * dp_.size(), true, o_.seed * 7919ULL + epoch, true)) {
      const auto [part_nll, part_tokens] = train_step(batch);
      nll += part_nll;
      tokens += part_tokens;
      bar.advance(static_cast<int64_t>(batch.size()));
    }
    bar.finish();
    train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nll = dp_.sum(nll);
    tokens = static_cast<int64_t>(dp_.sum(static_cast<double>(tokens)));
    train_tokens += tokens;
    const double train_loss = nll / std::max<int64_t>(tokens, 1);
    const std::vector<int64_t>& val = split_.val.empty() ? split_.train : split_.val;
    const double ppl = lm_perplexity(lm_, data_, val, o_.batch_size, dp_);
    return {{epoch, "train", {{"loss", train_loss}, {"lm.perplexity", std::exp(train_loss)}}},
            {epoch, split_.val.empty() ? "train_eval" : "val", {{"loss", std::log(ppl)}, {"lm.perplexity", ppl}}}};
  }

  // One optimiser step on a global batch: this rank's part, its gradient weighted by its share of
  // the batch's tokens (every rank counts them: each holds the whole data set). Returns the
  // part's summed NLL and tokens.
  std::pair<double, int64_t> train_step(const std::vector<int64_t>& batch) {
    const std::vector<int64_t> idx = dp_.part(batch);
    int64_t batch_tokens = 0;
    for (int64_t r : dp_.distributed() ? batch : std::vector<int64_t>()) {
      batch_tokens += static_cast<int64_t>(tokenize(data_.examples.at(static_cast<size_t>(r)).sequence, alphabet_).size()) + 1;
    }
    opt_.zero_grad();
    double nll = 0;
    int64_t tokens = 0;
    if (!idx.empty()) {
      auto b = lm_batch(data_, idx, alphabet_);
      auto res = batch_nll(lm_, b.first, b.second);
      tokens = res.second;
      dp_.begin_step(tokens, batch_tokens);
      (res.first / std::max<int64_t>(tokens, 1)).backward();
      nll = res.first.item<double>();
    } else {
      dp_.begin_step(0, batch_tokens);
    }
    dp_.end_step();
    if (o_.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(lm_->parameters(), o_.clip_grad_norm);
    opt_.step();
    return {nll, tokens};
  }

  std::vector<at::Tensor> model_tensors() override {
    std::vector<at::Tensor> all = lm_->parameters();
    for (auto& b : lm_->buffers()) all.push_back(b);
    return all;
  }
  const DataParallel& parallel() const { return dp_; }

  void save_model(const std::string& path) override { save_char_lm(lm_, path); }
  void load_model(const std::string& path) override {
    CharLm saved = load_char_lm(path);
    if (saved->config().to_json() != lm_->config().to_json())
      fail(path, "model settings differ from the run being resumed (resume with the same flags)");
    copy_weights(saved, lm_);
  }
  torch::optim::Optimizer& optimizer() override { return opt_; }

  double train_seconds = 0;
  int64_t train_tokens = 0;

 private:
  CharLm& lm_;
  const Dataset& data_;
  const Split& split_;
  const LmTrainOptions& o_;
  torch::optim::Adam opt_;
  Alphabet alphabet_;
  DataParallel dp_;  // with this model's gradient buckets
};

// Sizes past any real LM (a typo: --hidden 1000000000000) are refused naming the setting before
// the network is allocated, with the limits the native model configs use (util/json_object.h).
void check_lm_sizes(const CharLmConfig& c, const std::string& source) {
  const std::pair<const char*, int64_t> sizes[] = {{"embedding", c.embedding}, {"hidden", c.hidden}};
  for (const auto& [key, value] : sizes) {
    if (value > kMaxConfigSize) fail(source + ": " + key, std::to_string(value) + " is too large (at most " + std::to_string(kMaxConfigSize) + ")");
  }
  if (c.layers > 1024) fail(source + ": layers", std::to_string(c.layers) + " is too large (at most 1024)");
  const double e = static_cast<double>(c.embedding), h = static_cast<double>(c.hidden);
  const double gates = c.cell == RnnCell::kLstm ? 4 : 3, letters = static_cast<double>(c.vocabulary());
  const double weights =
      letters * e + gates * h * (e + h + 2) + static_cast<double>(c.layers - 1) * gates * h * (2 * h + 2) + h * letters;
  if (weights > kMaxConfigWeights) {
    fail(source + ": hidden", "the model would have " + std::to_string(static_cast<long long>(weights)) +
                                  " weights, more than the " + std::to_string(static_cast<long long>(kMaxConfigWeights)) + " seqnn builds");
  }
}

}  // namespace

CharLmConfig CharLmConfig::from_json(const std::string& text, const std::string& source) {
  CharLmConfig c;
  // Typed reads (util/json_object.h): a number too large for an integer field is refused, not
  // converted (a fuzzed 10^33 "hidden" was undefined behaviour in nlohmann's conversion).
  const JsonObject j = JsonObject::parse(text, source);
  j.read("alphabet", c.alphabet);
  j.read_enum("cell", c.cell, rnn_cell_names());
  j.read("embedding", c.embedding);
  j.read("hidden", c.hidden);
  j.read("layers", c.layers);
  j.read("dropout", c.dropout);
  Alphabet::from_name(c.alphabet);
  if (c.embedding <= 0 || c.hidden <= 0 || c.layers <= 0) fail(source, "embedding, hidden and layers must be positive");
  if (c.dropout < 0 || c.dropout >= 1) fail(source, "'dropout' must be in [0, 1)");
  check_lm_sizes(c, source);
  return c;
}

std::string CharLmConfig::to_json() const {
  return json{{"alphabet", alphabet}, {"cell", name_of(cell)}, {"embedding", embedding},
              {"hidden", hidden},     {"layers", layers}, {"dropout", dropout}}
      .dump(2);
}

int64_t CharLmConfig::vocabulary() const { return Alphabet::from_name(alphabet).size() + 1; }

CharLmImpl::CharLmImpl(CharLmConfig config) : config_(std::move(config)) {
  const int64_t V = config_.vocabulary();
  embedding_ = register_module("embedding", torch::nn::Embedding(V, config_.embedding));
  const double between = config_.layers > 1 ? config_.dropout : 0.0;
  if (config_.cell == RnnCell::kLstm) {
    lstm_ = register_module("rnn", torch::nn::LSTM(torch::nn::LSTMOptions(config_.embedding, config_.hidden)
                                                      .num_layers(config_.layers).batch_first(true).dropout(between)));
  } else {
    gru_ = register_module("rnn", torch::nn::GRU(torch::nn::GRUOptions(config_.embedding, config_.hidden)
                                                    .num_layers(config_.layers).batch_first(true).dropout(between)));
  }
  if (config_.dropout > 0) dropout_ = register_module("dropout", torch::nn::Dropout(config_.dropout));
  output_ = register_module("output", torch::nn::Linear(config_.hidden, V));
}

torch::Tensor CharLmImpl::forward(const torch::Tensor& tokens, std::vector<torch::Tensor>* state) {
  torch::Tensor h = embedding_->forward(tokens);
  if (lstm_) {
    torch::optional<std::tuple<torch::Tensor, torch::Tensor>> hx;
    if (state && state->size() == 2) hx = std::make_tuple((*state)[0], (*state)[1]);
    auto out = lstm_->forward(h, hx);
    h = std::get<0>(out);
    if (state) *state = {std::get<0>(std::get<1>(out)), std::get<1>(std::get<1>(out))};
  } else {
    torch::Tensor hx = state && state->size() == 1 ? (*state)[0] : torch::Tensor();
    auto out = gru_->forward(h, hx);
    h = std::get<0>(out);
    if (state) *state = {std::get<1>(out)};
  }
  if (dropout_) h = dropout_->forward(h);
  return output_->forward(h);
}

CharLm make_char_lm(const CharLmConfig& config, uint64_t seed) {
  torch::manual_seed(seed);
  CharLm lm(config);
  lm->eval();
  return lm;
}

void save_char_lm(const CharLm& lm, const std::string& path) {
  torch::serialize::OutputArchive archive;
  archive.write(kLmKey, c10::IValue(lm->config().to_json()));
  lm->save(archive);
  save_archive_atomically(archive, path, "language model");
}

CharLm load_char_lm(const std::string& path) {
  torch::serialize::InputArchive archive;
  c10::IValue text;
  load_archive(archive, path, "language model");
  if (!archive.try_read(kLmKey, text) || !text.isString()) fail(path, "not a seqnn language model (train one with train-lm)");
  CharLm lm(CharLmConfig::from_json(text.toStringRef(), path));
  try {
    lm->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "weights do not match the embedded config: " + first_line(e.what_without_backtrace()));
  }
  lm->eval();
  return lm;
}

std::vector<int64_t> tokenize(const std::string& seq, const Alphabet& alphabet) {
  std::vector<int64_t> out;
  for (char c : seq) {
    const int8_t k = alphabet.index(c);
    if (k >= 0) out.push_back(k + 1);
  }
  return out;
}

double lm_perplexity(CharLm& lm, const Dataset& data, const std::vector<int64_t>& rows, int64_t batch_size,
                     const DataParallel& parallel) {
  torch::NoGradGuard no_grad;
  const bool was = lm->is_training();
  lm->eval();
  const Alphabet alphabet = Alphabet::from_name(lm->config().alphabet);
  double nll = 0;
  int64_t tokens = 0;
  for (const auto& idx : make_batches(data, parallel.part(rows), batch_size, false, 0, false)) {
    auto b = lm_batch(data, idx, alphabet);
    auto r = batch_nll(lm, b.first, b.second);
    nll += r.first.item<double>();
    tokens += r.second;
  }
  nll = parallel.sum(nll);
  tokens = static_cast<int64_t>(parallel.sum(static_cast<double>(tokens)));
  lm->train(was);
  return std::exp(nll / std::max<int64_t>(tokens, 1));
}

LmTrainResult train_char_lm(CharLm& lm, const Dataset& data, const Split& split, const LmTrainOptions& o) {
  if (split.train.empty()) fail(data.source, "no training sequences");
  // tokenize() skips unknown letters (N); a letter outside the alphabet means the wrong --alphabet.
  const Alphabet alphabet = Alphabet::from_name(lm->config().alphabet);
  for (const auto& ex : data.examples) check_sequence_letters(ex.sequence, alphabet, UnknownRule::kZero, ex.where);
  LmEpochTask task(lm, data, split, o);
  TrainLoopOptions loop;
  loop.total = o.epochs;
  loop.out_dir = o.out_dir;
  loop.resume = o.resume;
  loop.rule = BestEpochRule::parse("lm.perplexity");  // lowest, the earliest on ties
  loop.best_set = split.val.empty() ? "train_eval" : "val";
  loop.parallel = o.parallel;
  TrainLoopResult l = run_epoch_loop(task, loop);
  if (l.best < 0) fail(o.out_dir, "no epoch was trained (--epochs must be positive)");
  LmTrainResult r;
  r.log = std::move(l.log);
  r.best_epoch = l.best;
  r.best_on_training = split.val.empty();
  for (const MetricsRow& row : r.log.rows())
    if (row.epoch == r.best_epoch && row.tv == loop.best_set) r.best_val_perplexity = row.get("lm.perplexity");
  r.train_seconds = task.train_seconds;
  r.train_tokens = task.train_tokens;
  r.epochs_run = l.rounds_run;
  r.ranks = o.parallel.size();
  r.exposed_comm_seconds = task.parallel().exposed_seconds();
  r.steps = task.parallel().steps();
  lm->eval();
  return r;
}

std::vector<std::string> generate_sequences(CharLm& lm, int64_t n, int64_t max_length, double temperature,
                                            uint64_t seed) {
  if (!(temperature > 0)) throw Error("--temperature must be positive");
  torch::NoGradGuard no_grad;
  lm->eval();
  const Alphabet alphabet = Alphabet::from_name(lm->config().alphabet);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<std::string> out;
  for (int64_t i = 0; i < n; ++i) {
    std::string seq;
    std::vector<torch::Tensor> state;
    int64_t token = 0;
    while (static_cast<int64_t>(seq.size()) < max_length) {
      torch::Tensor logits = lm->forward(torch::full({1, 1}, token, torch::kLong), &state)[0][0];
      torch::Tensor p = torch::softmax(logits.to(torch::kDouble) / temperature, 0).contiguous();
      const double* prob = p.data_ptr<double>();
      // Inverse-CDF draw in double: the same on every platform.
      double u = unif(rng), acc = 0;
      token = p.numel() - 1;
      for (int64_t k = 0; k < p.numel(); ++k) {
        acc += prob[k];
        if (u < acc) {
          token = k;
          break;
        }
      }
      if (token == 0) break;
      seq += alphabet.letter(static_cast<int>(token - 1));
    }
    out.push_back(seq);
  }
  return out;
}

}  // namespace seqnn
