#include "seqnn/training/trainer.h"

#include <sys/stat.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "seqnn/models/native.h"
#include "seqnn/models/rnn.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/training/train_state.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn {
namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<torch::Tensor>& params,
                                                        const TrainOptions& o) {
  namespace optim = torch::optim;
  if (o.optimizer == "adam") return std::make_unique<optim::Adam>(params, optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
  if (o.optimizer == "adamw") return std::make_unique<optim::AdamW>(params, optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));
  if (o.optimizer == "sgd") {
    return std::make_unique<optim::SGD>(params, optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  }
  if (o.optimizer == "rmsprop") {
    return std::make_unique<optim::RMSprop>(params,
                                            optim::RMSpropOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  }
  throw Error("unknown optimizer '" + o.optimizer + "' (adam, adamw, sgd, rmsprop)");
}

double current_lr(torch::optim::Optimizer& opt) { return opt.param_groups().at(0).options().get_lr(); }
void set_lr(torch::optim::Optimizer& opt, double lr) {
  for (auto& g : opt.param_groups()) g.options().set_lr(lr);
}

std::string model_alphabet(const Model& model) { return model.info().alphabet; }

}  // namespace

void ensure_directory(const std::string& dir) {
  if (dir.empty()) throw Error("training needs a result directory (--result)");
  std::string partial;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      partial = dir.substr(0, i);
      if (!partial.empty()) mkdir(partial.c_str(), 0755);
    }
  }
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) fail(dir, "cannot create the result directory");
}

namespace {

std::string checkpoint_path(const std::string& dir, int64_t epoch) {
  return dir + "/model_ckpt_ep_" + std::to_string(epoch) + ".pt";
}

// Loss terms of a batch: total (weighted sum) and the per-head values.
torch::Tensor total_loss(const std::vector<HeadSpec>& heads, const std::vector<torch::Tensor>& losses) {
  torch::Tensor sum = torch::zeros({}, losses.at(0).options());
  for (size_t i = 0; i < heads.size(); ++i) sum = sum + heads[i].weight * losses[i];
  return sum;
}

// Collects outputs and targets of a set, then reports loss and metrics in one place.
struct Accumulator {
  std::vector<torch::Tensor> outputs, targets, masks;
  double loss_sum = 0;
  std::vector<double> head_loss_sum;
  int64_t n = 0;

  void add(const torch::Tensor& out, const Batch& b, const torch::Tensor& loss, const std::vector<torch::Tensor>& hl) {
    const int64_t k = out.size(0);
    outputs.push_back(out.detach().to(torch::kCPU, torch::kFloat));
    targets.push_back(b.target);
    masks.push_back(b.mask);
    loss_sum += loss.item<double>() * k;
    head_loss_sum.resize(hl.size(), 0.0);
    for (size_t i = 0; i < hl.size(); ++i) head_loss_sum[i] += hl[i].item<double>() * k;
    n += k;
  }

  Evaluation finish(const std::vector<HeadSpec>& heads, const std::string& activation) const {
    Evaluation e;
    if (n == 0) return e;
    e.output = torch::cat(outputs);
    e.loss = loss_sum / n;
    e.metrics.emplace_back("loss", e.loss);
    if (heads.size() > 1) {
      for (size_t i = 0; i < heads.size(); ++i) e.metrics.emplace_back(heads[i].name + ".loss", head_loss_sum[i] / n);
    }
    for (auto& kv : head_metrics(heads, e.output, torch::cat(targets), torch::cat(masks), activation)) {
      e.metrics.push_back(kv);
    }
    return e;
  }
};

}  // namespace

std::string native_output_activation(const Model& model) {
  try {
    return rnn_network(model)->config().output_activation;
  } catch (const Error&) {
    return native_network(model)->config().output_activation;
  }
}

void load_native_weights(Model& model, const std::string& path) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
    native_module(model)->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "cannot load checkpoint weights: " + first_line(e.what_without_backtrace()));
  }
}

Evaluation evaluate_model(Model& model, const Dataset& data, const std::vector<int64_t>& rows,
                          const std::vector<HeadSpec>& heads, int64_t batch_size, int64_t pad_to) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const Alphabet alphabet = Alphabet::from_name(model_alphabet(model));
  const std::string activation = native_output_activation(model);
  Accumulator acc;
  for (const auto& idx : make_batches(data, rows, batch_size, false, 0, false)) {
    Batch b = make_batch(data, idx, alphabet, pad_to);
    torch::Tensor out = model.forward(b.x.to(model.device())).tensor();
    auto hl = head_losses(heads, out.to(torch::kCPU, torch::kFloat), b.target, b.mask, activation);
    acc.add(out, b, total_loss(heads, hl), hl);
  }
  model.train(was_training);
  return acc.finish(heads, activation);
}

TrainResult train_model(Model& model, const Dataset& data, const Split& split, const std::vector<HeadSpec>& heads,
                        const TrainOptions& o) {
  ensure_directory(o.result_dir);
  if (split.train.empty()) fail(data.source, "the training split is empty");
  if (total_outputs(heads) != [&] {
        torch::NoGradGuard g;
        Batch probe = make_batch(data, {split.train.front()}, Alphabet::from_name(model_alphabet(model)), o.pad_to);
        model.eval();
        return model.forward(probe.x.to(model.device())).tensor().size(1);
      }()) {
    throw Error("the model has a different number of outputs than the heads need (" +
                std::to_string(total_outputs(heads)) + ")");
  }
  auto module = native_module(model);
  auto optimizer = make_optimizer(module->parameters(), o);
  const Alphabet alphabet = Alphabet::from_name(model_alphabet(model));
  const std::string activation = native_output_activation(model);
  const BestEpochRule rule = BestEpochRule::parse(o.best_rule);
  const std::string metrics_path = o.result_dir + "/metrics.csv";
  const std::string best_path = o.result_dir + "/model_best.pt";

  TrainResult r;
  TrainState state;
  if (o.resume) {
    state = load_train_state(o.result_dir + "/train_state.pt", *optimizer);
    load_native_weights(model, checkpoint_path(o.result_dir, state.epoch));
    r.log = MetricsLog::read(metrics_path);
    r.log.truncate_after(state.epoch);
    r.log.drop_set("test");  // the interrupted run's final evaluation; a new one follows
  }
  r.best_epoch = state.best_epoch;
  for (int64_t epoch = state.epoch + 1; epoch <= o.epochs; ++epoch) {
    torch::manual_seed(o.seed * 1000003ULL + static_cast<uint64_t>(epoch));
    auto batches = make_batches(data, split.train, o.batch_size, true, o.seed * 7919ULL + static_cast<uint64_t>(epoch), o.bucket);
    model.train();
    ProgressBar bar("epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs), static_cast<int64_t>(split.train.size()),
                    "seq", o.progress);
    Accumulator acc;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& idx : batches) {
      Batch b = make_batch(data, idx, alphabet, o.pad_to);
      torch::Tensor out = model.forward(b.x.to(model.device())).tensor();
      auto hl = head_losses(heads, out, b.target.to(out.device()), b.mask.to(out.device()), activation);
      torch::Tensor loss = total_loss(heads, hl);
      optimizer->zero_grad();
      loss.backward();
      if (o.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(module->parameters(), o.clip_grad_norm);
      optimizer->step();
      acc.add(out, b, loss, hl);
      bar.advance(static_cast<int64_t>(idx.size()));
    }
    r.train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.train_examples += static_cast<int64_t>(split.train.size());
    bar.finish();
    r.log.add(epoch, "train", acc.finish(heads, activation).metrics);
    double val_loss = acc.loss_sum / std::max<int64_t>(acc.n, 1);
    if (!split.val.empty()) {
      Evaluation v = evaluate_model(model, data, split.val, heads, o.batch_size, o.pad_to);
      val_loss = v.loss;
      r.log.add(epoch, "val", v.metrics);
    }
    r.log.write(metrics_path);
    model.save(checkpoint_path(o.result_dir, epoch));
    const int64_t best = r.log.best_epoch(rule, split.val.empty() ? "train" : "val");
    if (best == epoch) model.save(best_path);
    r.best_epoch = best;
    // Reduce-on-plateau on the validation loss (PyTorch's rule: relative threshold 1e-4).
    if (o.lr_schedule == "plateau") {
      if (val_loss < state.plateau_best * (1 - 1e-4)) {
        state.plateau_best = val_loss;
        state.plateau_bad = 0;
      } else if (++state.plateau_bad > o.plateau_patience) {
        set_lr(*optimizer, std::max(o.min_lr, current_lr(*optimizer) * o.plateau_factor));
        state.plateau_bad = 0;
      }
    } else if (o.lr_schedule != "none") {
      throw Error("unknown lr schedule '" + o.lr_schedule + "' (none, plateau)");
    }
    state.epoch = epoch;
    state.best_epoch = best;
    save_train_state(o.result_dir + "/train_state.pt", state, *optimizer);
    r.epochs_run += 1;
    r.last_epoch = epoch;
    if (o.early_stopping > 0 && best > 0 && epoch - best >= o.early_stopping) {
      r.stopped_early = true;
      break;
    }
  }
  r.last_epoch = std::max(r.last_epoch, state.epoch);
  if (r.best_epoch > 0) {
    load_native_weights(model, best_path);
    r.best_model = best_path;
  }
  model.eval();
  return r;
}

}  // namespace seqnn
