#include "seqnn/rna/s1_train.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "seqnn/rna/boxes.h"
#include "seqnn/rna/targets.h"
#include "seqnn/rna/thermo_input.h"
#include "seqnn/training/metrics.h"
#include "seqnn/training/epoch_loop.h"
#include "seqnn/training/metrics_log.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/training/trainer.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn::rna {
namespace {

template <typename T>
void fisher_yates(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t k = v.size(); k > 1; --k) std::swap(v[k - 1], v[rng() % k]);
}

struct Batch {
  at::Tensor x;
  S1Targets targets;
};

// Records and, for a model with thermodynamic inputs, their engine features (one per record),
// computed once for the whole run: folding every batch again each epoch would cost more than
// the training step for long sequences.
struct S1Set {
  std::vector<RnaRecord> records;
  std::vector<ThermoFeatures> thermo;
};

S1Set make_set(std::vector<RnaRecord> records, const S1Model& model, bool progress, const std::string& what) {
  S1Set set{std::move(records), {}};
  if (model.config().inputs != S1Inputs::kThermo || set.records.empty()) return set;
  std::vector<std::string> seqs;
  for (const auto& r : set.records) seqs.push_back(r.sequence);
  ProgressBar bar("folding " + what, static_cast<int64_t>(seqs.size()), "seq", progress);
  set.thermo = thermo_features(seqs, [&](int64_t done) { bar.update(done); });
  bar.finish();
  return set;
}

Batch make_batch(const S1Model& model, const S1Set& set, const std::vector<size_t>& idx) {
  std::vector<std::string> seqs;
  std::vector<const ThermoFeatures*> thermo;
  std::vector<S1Targets> t;
  for (size_t k : idx) {
    const RnaRecord& r = set.records[k];
    seqs.push_back(r.sequence);
    if (!set.thermo.empty()) thermo.push_back(&set.thermo[k]);
    t.push_back(make_targets(static_cast<int64_t>(r.sequence.size()), decompose(r.structure).boxes));
  }
  return {model.input_batch(seqs, thermo), S1Targets::stack(t)};
}

std::vector<std::pair<std::string, double>> evaluate_set(S1Model& model, const S1Set& set, int64_t batch_size,
                                                          const DataParallel& parallel = DataParallel());

// Batches of similar length: shuffle, sort by length bucket (stable), cut, shuffle batches.
std::vector<std::vector<size_t>> bucket_batches(const std::vector<RnaRecord>& records, int64_t batch_size,
                                                int64_t bucket_width, std::mt19937_64& rng) {
  std::vector<size_t> order(records.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  fisher_yates(order, rng);
  const auto bucket = [&](size_t k) { return static_cast<int64_t>(records[k].sequence.size()) / std::max<int64_t>(bucket_width, 1); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return bucket(a) < bucket(b); });
  std::vector<std::vector<size_t>> batches;
  for (size_t s = 0; s < order.size(); s += static_cast<size_t>(batch_size)) {
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(s),
                         order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), s + static_cast<size_t>(batch_size))));
  }
  fisher_yates(batches, rng);
  return batches;
}

// Running sums for one set: on-scores per type, and hits / totals for the other heads.
struct MetricAccumulator {
  std::vector<float> score[kNumBoxTypes], label[kNumBoxTypes];
  std::vector<double> hits, totals;  // in s1_metric_names() order; auroc/auprc slots unused

  MetricAccumulator() : hits(s1_metric_names().size(), 0.0), totals(s1_metric_names().size(), 0.0) {}

  void add_accuracy(size_t slot, const at::Tensor& logits, const at::Tensor& target, const at::Tensor& mask) {
    hits[slot] += (logits.argmax(1) == target).logical_and(mask).sum().item<double>();
    totals[slot] += mask.sum().item<double>();
  }
  void add_diff(size_t slot, const at::Tensor& value, const at::Tensor& target, const at::Tensor& mask) {
    hits[slot] += ((value - target).abs() * mask.to(value.scalar_type())).sum().item<double>();
    totals[slot] += mask.sum().item<double>();
  }
  void add(const S1Output& o, const S1Targets& t) {
    size_t slot = 0;
    for (int k = 0; k < kNumBoxTypes; ++k) {
      const at::Tensor m = t.on_mask.select(1, k), in = t.inside.select(1, k);
      const at::Tensor p = torch::sigmoid(o.on[k]).masked_select(m).to(torch::kFloat).contiguous();
      const at::Tensor l = t.on.select(1, k).masked_select(m).to(torch::kFloat).contiguous();
      score[k].insert(score[k].end(), p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
      label[k].insert(label[k].end(), l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
      slot += 2;
      add_accuracy(slot++, o.loc_x[k], t.loc_x.select(1, k), in);
      add_accuracy(slot++, o.loc_y[k], t.loc_y.select(1, k), in);
      add_accuracy(slot++, o.size_x[k], t.size_x_cls.select(1, k), in);
      const bool two = k == static_cast<int>(BoxType::kIloop);
      if (two) add_accuracy(slot++, o.size_y[k], t.size_y_cls.select(1, k), in);
      add_diff(slot++, o.scalar_x[k], t.size_x.select(1, k), in);
      if (two) add_diff(slot++, o.scalar_y[k], t.size_y.select(1, k), in);
    }
  }
  // A data-parallel run: the on-scores and labels of every rank, the sums of all.
  void gather(const DataParallel& parallel) {
    if (!parallel.distributed()) return;
    for (int k = 0; k < kNumBoxTypes; ++k) {
      for (auto* v : {&score[k], &label[k]}) {
        const at::Tensor all = parallel.gather_rows(torch::tensor(*v, torch::kFloat)).contiguous();
        v->assign(all.data_ptr<float>(), all.data_ptr<float>() + all.numel());
      }
    }
    for (auto* v : {&hits, &totals}) {
      for (auto& x : *v) x = parallel.sum(x);
    }
  }
  std::vector<std::pair<std::string, double>> result() const {
    const auto names = s1_metric_names();
    std::vector<std::pair<std::string, double>> out;
    int type = 0;
    for (size_t s = 0; s < names.size(); ++s) {
      if (ends_with(names[s], "_on.auroc")) {
        const std::vector<double> sc(score[type].begin(), score[type].end()), lb(label[type].begin(), label[type].end());
        out.emplace_back(names[s], auroc(sc, lb));
        out.emplace_back(names[s + 1], auprc(sc, lb));
        ++s;
        ++type;
        continue;
      }
      out.emplace_back(names[s], totals[s] > 0 ? hits[s] / totals[s] : std::nan(""));
    }
    return out;
  }
};


// One S1 epoch: length-bucketed batches from the run's one random stream, an Adam step per
// batch, then metrics on the fixed training subset and on the validation set.
class S1EpochTask : public EpochTask {
 public:
  S1EpochTask(S1Model& model, const S1Set& train, const S1Set& train_eval, const S1Set& val, const S1TrainOptions& o)
      : model_(model), train_(train), train_eval_(train_eval), val_(val), o_(o),
        optimizer_(model.parameters(), torch::optim::AdamOptions(o.learning_rate)), rng_(o.seed + 1), dp_(o.parallel) {
    dp_.attach(model.parameters());
  }

  std::vector<MetricsRow> run_epoch(int64_t epoch) override {
    model_.train(true);
    // Global batches (batch_size per rank), cut from the one stream as one process would.
    const auto batches = bucket_batches(train_.records, o_.batch_size * dp_.size(), o_.bucket_width, rng_);
    ProgressBar bar("epoch " + std::to_string(epoch) + "/" + std::to_string(o_.epochs),
                    static_cast<int64_t>(train_.records.size()), "seq", o_.progress);
    for (const auto& batch : batches) {
      train_step(batch);
      bar.advance(static_cast<int64_t>(batch.size()));
    }
    bar.finish();
    dp_.broadcast_from_first(model_.buffers());  // batch-norm statistics as rank 0 has them, as DDP does
    return {{epoch, "train", evaluate_set(model_, train_eval_, o_.batch_size, dp_)},
            {epoch, "val", evaluate_set(model_, val_, o_.batch_size, dp_)}};
  }

  void train_step(const std::vector<size_t>& batch) {
    const std::vector<int64_t> all(batch.begin(), batch.end());
    const std::vector<int64_t> mine = dp_.part(all);
    optimizer_.zero_grad();
    dp_.begin_step(static_cast<int64_t>(mine.size()), static_cast<int64_t>(batch.size()));
    if (!mine.empty()) {
      Batch b = make_batch(model_, train_, std::vector<size_t>(mine.begin(), mine.end()));
      at::Tensor loss = s1_loss(model_.forward(b.x), b.targets.to(model_.device()), nullptr, o_.loss_weights);
      loss.backward();
    }
    dp_.end_step();
    optimizer_.step();
  }

  std::vector<at::Tensor> model_tensors() override {
    std::vector<at::Tensor> all = model_.parameters();
    for (auto& b : model_.buffers()) all.push_back(b);
    return all;
  }
  const DataParallel& parallel() const { return dp_; }

  void save_model(const std::string& path) override { model_.save(path); }
  void load_model(const std::string& path) override { model_.load_weights(path); }
  torch::optim::Optimizer& optimizer() override { return optimizer_; }
  // The batch order of epoch k depends on the draws of epochs 1..k-1: replay them.
  void resumed(int64_t epoch) override {
    for (int64_t k = 0; k < epoch; ++k) bucket_batches(train_.records, o_.batch_size, o_.bucket_width, rng_);
  }

 private:
  S1Model& model_;
  const S1Set& train_;
  const S1Set& train_eval_;
  const S1Set& val_;
  const S1TrainOptions& o_;
  torch::optim::Adam optimizer_;
  std::mt19937_64 rng_;
  DataParallel dp_;  // with this model's gradient buckets
};
}  // namespace

std::vector<std::string> s1_metric_names() {
  return {"stem_on.auroc",           "stem_on.auprc",           "stem_location_x.accuracy", "stem_location_y.accuracy",
          "stem_sm_size.accuracy",   "stem_sl_size.diff",       "iloop_on.auroc",           "iloop_on.auprc",
          "iloop_location_x.accuracy", "iloop_location_y.accuracy", "iloop_sm_size_x.accuracy", "iloop_sm_size_y.accuracy",
          "iloop_sl_size_x.diff",    "iloop_sl_size_y.diff",    "hloop_on.auroc",           "hloop_on.auprc",
          "hloop_location_x.accuracy", "hloop_location_y.accuracy", "hloop_sm_size.accuracy", "hloop_sl_size.diff"};
}

namespace {

// In a data-parallel run each rank evaluates a block of the batches; the metrics are of all.
std::vector<std::pair<std::string, double>> evaluate_set(S1Model& model, const S1Set& set, int64_t batch_size,
                                                          const DataParallel& parallel) {
  model.train(false);
  torch::NoGradGuard no_grad;
  std::mt19937_64 rng(0);  // fixed: only groups lengths, metrics do not depend on the order
  MetricAccumulator acc;
  const auto batches = bucket_batches(set.records, batch_size, 10, rng);
  std::vector<int64_t> order(batches.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<int64_t>(k);
  for (int64_t k : parallel.part(order)) {
    Batch b = make_batch(model, set, batches[static_cast<size_t>(k)]);
    acc.add(model.forward(b.x), b.targets.to(model.device()));
  }
  acc.gather(parallel);
  return acc.result();
}

}  // namespace

std::vector<std::pair<std::string, double>> evaluate_s1(S1Model& model, const std::vector<RnaRecord>& records,
                                                        int64_t batch_size) {
  return evaluate_set(model, make_set(records, model, false, "records"), batch_size);
}

double s1_epoch_score(const std::vector<std::pair<std::string, double>>& metrics) {
  double s = 0.0;
  for (const auto& [name, v] : metrics) {
    if (std::isnan(v)) continue;
    s += lower_is_better(name) ? -v : v;  // ".diff" (size error) counts as lower-is-better
  }
  return s;
}

std::pair<std::vector<RnaRecord>, std::vector<RnaRecord>> split_records(std::vector<RnaRecord> records,
                                                                        double validation_fraction, uint64_t seed) {
  std::mt19937_64 rng(seed);
  fisher_yates(records, rng);
  const size_t n_train = static_cast<size_t>(std::floor(static_cast<double>(records.size()) * (1.0 - validation_fraction)));
  std::vector<RnaRecord> val(std::make_move_iterator(records.begin() + static_cast<std::ptrdiff_t>(n_train)),
                             std::make_move_iterator(records.end()));
  records.resize(n_train);
  return {std::move(records), std::move(val)};
}

S1TrainSummary train_s1(S1Model& model, std::vector<RnaRecord> records, const S1TrainOptions& opts,
                        std::vector<RnaRecord> validation) {
  if (opts.epochs < 1 || opts.batch_size < 1) throw Error("--epochs and --batch-size must be positive");
  check_training_dir(opts.out_dir, opts.resume);
  S1TrainSummary sum;
  const auto start = std::chrono::steady_clock::now();
  const size_t before = records.size();
  auto too_long = [&](const RnaRecord& r) {
    return opts.max_length > 0 && static_cast<int64_t>(r.sequence.size()) > opts.max_length;
  };
  records.erase(std::remove_if(records.begin(), records.end(), too_long), records.end());
  sum.dropped_long = static_cast<int64_t>(before - records.size());
  validation.erase(std::remove_if(validation.begin(), validation.end(), too_long), validation.end());
  auto [train, val] = validation.empty() ? split_records(std::move(records), opts.validation_fraction, opts.seed)
                                         : std::make_pair(std::move(records), std::move(validation));
  if (train.empty() || val.empty()) throw Error("too few records for a training / validation split");
  sum.train_records = static_cast<int64_t>(train.size());
  sum.validation_records = static_cast<int64_t>(val.size());
  const size_t n_eval = std::min(train.size(), static_cast<size_t>(opts.train_eval_size > 0 ? opts.train_eval_size : sum.validation_records));
  const S1Set train_set = make_set(std::move(train), model, opts.progress, "training set");
  const auto first = [&](const auto& v) { return std::vector(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n_eval, v.size()))); };
  const S1Set eval_set{first(train_set.records), first(train_set.thermo)};
  const S1Set val_set = make_set(std::move(val), model, opts.progress, "validation set");
  S1EpochTask task(model, train_set, eval_set, val_set, opts);
  TrainLoopOptions loop;
  loop.total = opts.epochs;
  loop.out_dir = opts.out_dir;
  loop.resume = opts.resume;
  loop.rule = BestEpochRule::parse("sum");  // s1_epoch_score: validation metrics summed, *.diff negated
  loop.best_set = "val";
  loop.parallel = opts.parallel;
  const TrainLoopResult l = run_epoch_loop(task, loop);
  sum.best_epoch = l.best;
  for (const MetricsRow& row : l.log.rows()) {
    if (row.epoch != l.best || row.tv != "val") continue;
    sum.best_validation = row.values;
    sum.best_score = s1_epoch_score(row.values);
  }
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sum.ranks = opts.parallel.size();
  sum.exposed_comm_seconds = task.parallel().exposed_seconds();
  sum.steps = task.parallel().steps();
  return sum;
}

}  // namespace seqnn::rna
