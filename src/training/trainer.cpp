#include "seqnn/training/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "seqnn/models/native.h"
#include "seqnn/models/rnn.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/training/epoch_loop.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/training/train_state.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn {

const std::vector<EnumName<OptimizerKind>>& optimizer_names() {
  static const std::vector<EnumName<OptimizerKind>> names = {
      {OptimizerKind::kAdam, "adam"}, {OptimizerKind::kAdamW, "adamw"}, {OptimizerKind::kSgd, "sgd"}, {OptimizerKind::kRmsprop, "rmsprop"}};
  return names;
}

const std::vector<EnumName<LrSchedule>>& lr_schedule_names() {
  static const std::vector<EnumName<LrSchedule>> names = {{LrSchedule::kNone, "none"}, {LrSchedule::kPlateau, "plateau"}};
  return names;
}
namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<torch::Tensor>& params,
                                                        const TrainOptions& o) {
  namespace optim = torch::optim;
  switch (o.optimizer) {
    case OptimizerKind::kAdam:
      return std::make_unique<optim::Adam>(params, optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
    case OptimizerKind::kAdamW:
      return std::make_unique<optim::AdamW>(params, optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));
    case OptimizerKind::kSgd:
      return std::make_unique<optim::SGD>(params, optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
    case OptimizerKind::kRmsprop:
      return std::make_unique<optim::RMSprop>(params,
                                              optim::RMSpropOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  }
  throw Error("internal error: unhandled optimizer");
}

double current_lr(torch::optim::Optimizer& opt) { return opt.param_groups().at(0).options().get_lr(); }
void set_lr(torch::optim::Optimizer& opt, double lr) {
  for (auto& g : opt.param_groups()) g.options().set_lr(lr);
}

std::string model_alphabet(const Model& model) { return model.info().alphabet; }

// Loss terms of a batch: total (weighted sum) and the per-head values.
torch::Tensor total_loss(const std::vector<HeadSpec>& heads, const std::vector<torch::Tensor>& losses) {
  torch::Tensor sum = torch::zeros({}, losses.at(0).options());
  for (size_t i = 0; i < heads.size(); ++i) sum = sum + heads[i].weight * losses[i];
  return sum;
}

// The model on a batch and, for models with more than one input, the batch rows' extra inputs.
torch::Tensor forward_batch(Model& model, const Batch& b, const ExtraInputs& extra_inputs) {
  std::vector<at::Tensor> args;
  if (extra_inputs) {
    for (const auto& t : extra_inputs(b.index)) args.push_back(t.to(model.device()));
  }
  return model.forward(b.x.to(model.device()), args).tensor();
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

  // A data-parallel run: every rank's outputs, targets and masks in rank order, and the sums.
  // A rank without rows gathers empty tensors of the same widths.
  void gather(const DataParallel& parallel, const std::vector<HeadSpec>& heads, int64_t target_columns) {
    if (!parallel.distributed()) return;
    const int64_t widths[] = {total_outputs(heads), target_columns, target_columns};
    int k = 0;
    for (auto* parts : {&outputs, &targets, &masks}) {
      at::Tensor local = parts->empty() ? torch::zeros({0, widths[k]}) : torch::cat(*parts);
      *parts = {parallel.gather_rows(local)};
      ++k;
    }
    head_loss_sum.resize(heads.size(), 0.0);
    loss_sum = parallel.sum(loss_sum);
    for (auto& h : head_loss_sum) h = parallel.sum(h);
    n = static_cast<int64_t>(parallel.sum(static_cast<double>(n)));
  }

  Evaluation finish(const std::vector<HeadSpec>& heads, Activation activation) const {
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

Evaluation evaluate_model(Model& model, const Dataset& data, const std::vector<int64_t>& rows,
                          const std::vector<HeadSpec>& heads, int64_t batch_size, int64_t pad_to,
                          const ExtraInputs& extra_inputs, const DataParallel& parallel) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const Alphabet alphabet = Alphabet::from_name(model_alphabet(model));
  const Activation activation = native_output_activation_of(model);
  Accumulator acc;
  for (const auto& idx : make_batches(data, parallel.part(rows), batch_size, false, 0, false)) {
    Batch b = make_batch(data, idx, alphabet, pad_to);
    torch::Tensor out = forward_batch(model, b, extra_inputs);
    auto hl = head_losses(heads, out.to(torch::kCPU, torch::kFloat), b.target, b.mask, activation);
    acc.add(out, b, total_loss(heads, hl), hl);
  }
  acc.gather(parallel, heads, static_cast<int64_t>(data.targets.size()));
  model.train(was_training);
  return acc.finish(heads, activation);
}

namespace {
// One epoch of a native model: seeded batch order and dropout, an optimiser step per batch,
// training metrics from the epoch's own predictions, then a validation pass.
class NativeEpochTask : public EpochTask {
 public:
  NativeEpochTask(Model& model, const Dataset& data, const Split& split, const std::vector<HeadSpec>& heads,
                  const TrainOptions& o)
      : model_(model), data_(data), split_(split), heads_(heads), o_(o), module_(native_module(model)),
        optimizer_(make_optimizer(module_->parameters(), o)), alphabet_(Alphabet::from_name(model_alphabet(model))),
        activation_(native_output_activation_of(model)), dp_(o.parallel) {
    dp_.attach(module_->parameters());
  }

  std::vector<MetricsRow> run_epoch(int64_t epoch) override {
    const DataParallel& dp = dp_;
    // Each rank its own dropout masks; rank 0's are those of a single process.
    torch::manual_seed(o_.seed * 1000003ULL + static_cast<uint64_t>(epoch) + static_cast<uint64_t>(dp.rank()) * 0x9E3779B97F4A7C15ULL);
    auto batches = make_batches(data_, split_.train, o_.batch_size * dp.size(), true,
                                o_.seed * 7919ULL + static_cast<uint64_t>(epoch), o_.bucket);
    model_.train();
    ProgressBar bar("epoch " + std::to_string(epoch) + "/" + std::to_string(o_.epochs), static_cast<int64_t>(split_.train.size()),
                    "seq", o_.progress);
    Accumulator acc;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& batch : batches) {
      train_step(batch, acc);
      bar.advance(static_cast<int64_t>(batch.size()));
    }
    train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    train_examples += static_cast<int64_t>(split_.train.size());
    bar.finish();
    acc.gather(dp, heads_, static_cast<int64_t>(data_.targets.size()));
    std::vector<MetricsRow> rows = {{epoch, "train", acc.finish(heads_, activation_).metrics}};
    val_loss_ = acc.loss_sum / std::max<int64_t>(acc.n, 1);
    dp.broadcast_from_first(buffers());  // batch-norm statistics as rank 0 has them, as DDP does
    if (!split_.val.empty()) {
      Evaluation v = evaluate_model(model_, data_, split_.val, heads_, o_.batch_size, o_.pad_to, o_.extra_inputs, dp);
      val_loss_ = v.loss;
      rows.push_back({epoch, "val", v.metrics});
    }
    return rows;
  }

  // One optimiser step on a global batch: this rank's part forward and backward, the gradients
  // summed over the ranks (nothing to sum in one process).
  void train_step(const std::vector<int64_t>& batch, Accumulator& acc) {
    const std::vector<int64_t> idx = dp_.part(batch);
    optimizer_->zero_grad();
    dp_.begin_step(static_cast<int64_t>(idx.size()), static_cast<int64_t>(batch.size()));
    if (!idx.empty()) {
      Batch b = make_batch(data_, idx, alphabet_, o_.pad_to);
      torch::Tensor out = forward_batch(model_, b, o_.extra_inputs);
      auto hl = head_losses(heads_, out, b.target.to(out.device()), b.mask.to(out.device()), activation_);
      torch::Tensor loss = total_loss(heads_, hl);
      loss.backward();
      acc.add(out, b, loss, hl);
    }
    dp_.end_step();
    if (o_.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(module_->parameters(), o_.clip_grad_norm);
    optimizer_->step();
  }

  std::vector<at::Tensor> buffers() const { return module_->buffers(); }
  const DataParallel& parallel() const { return dp_; }
  std::vector<at::Tensor> model_tensors() override {
    std::vector<at::Tensor> all = module_->parameters();
    for (auto& b : module_->buffers()) all.push_back(b);
    return all;
  }

  void save_model(const std::string& path) override { model_.save(path); }
  void load_model(const std::string& path) override { load_native_weights(model_, path); }
  torch::optim::Optimizer& optimizer() override { return *optimizer_; }

  // Reduce-on-plateau on the validation loss (PyTorch's rule: relative threshold 1e-4).
  void end_epoch(int64_t, TrainState& state) override {
    if (o_.lr_schedule == LrSchedule::kNone) return;
    if (val_loss_ < state.plateau_best * (1 - 1e-4)) {
      state.plateau_best = val_loss_;
      state.plateau_bad = 0;
    } else if (++state.plateau_bad > o_.plateau_patience) {
      set_lr(*optimizer_, std::max(o_.min_lr, current_lr(*optimizer_) * o_.plateau_factor));
      state.plateau_bad = 0;
    }
  }

  double train_seconds = 0;
  int64_t train_examples = 0;

 private:
  Model& model_;
  const Dataset& data_;
  const Split& split_;
  const std::vector<HeadSpec>& heads_;
  const TrainOptions& o_;
  std::shared_ptr<torch::nn::Module> module_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  Alphabet alphabet_;
  Activation activation_;
  DataParallel dp_;  // with this model's gradient buckets
  double val_loss_ = 0;
};

}  // namespace

TrainResult train_model(Model& model, const Dataset& data, const Split& split, const std::vector<HeadSpec>& heads,
                        const TrainOptions& o) {
  if (o.parallel.writes_files()) prepare_training_dir(o.out_dir, o.resume);
  if (split.train.empty()) fail(data.source, "the training split is empty");
  if (total_outputs(heads) != [&] {
        torch::NoGradGuard g;
        Batch probe = make_batch(data, {split.train.front()}, Alphabet::from_name(model_alphabet(model)), o.pad_to);
        model.eval();
        return forward_batch(model, probe, o.extra_inputs).size(1);
      }()) {
    throw Error("the model has a different number of outputs than the heads need (" +
                std::to_string(total_outputs(heads)) + ")");
  }
  NativeEpochTask task(model, data, split, heads, o);
  TrainLoopOptions loop;
  loop.total = o.epochs;
  loop.out_dir = o.out_dir;
  loop.resume = o.resume;
  loop.early_stopping = o.early_stopping;
  loop.rule = BestEpochRule::parse(o.best_rule);
  loop.best_set = split.val.empty() ? "train" : "val";
  loop.parallel = o.parallel;
  TrainLoopResult l = run_epoch_loop(task, loop);
  TrainResult r;
  r.epochs_run = l.rounds_run;
  r.last_epoch = l.done;
  r.best_epoch = l.best;
  r.stopped_early = l.stopped_early;
  r.log = std::move(l.log);
  r.best_model = l.best_model;
  r.train_seconds = task.train_seconds;
  r.train_examples = task.train_examples;
  r.ranks = o.parallel.size();
  r.exposed_comm_seconds = task.parallel().exposed_seconds();
  r.steps = task.parallel().steps();
  model.eval();
  return r;
}

}  // namespace seqnn
