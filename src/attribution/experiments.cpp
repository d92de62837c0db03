#include "seqnn/attribution/experiments.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <random>

#include "seqnn/attribution/attribution.h"
#include "seqnn/sequence/shuffle.h"
#include "seqnn/util/error.h"
#include "seqnn/util/seed_mix.h"

namespace seqnn {
namespace {

void check_sequences(const at::Tensor& X, const char* what) {
  if (X.dim() != 3) throw Error(std::string(what) + ": X must be (N, A, L), got " + c10::str(X.sizes()));
}

// Each argument's rows repeated `times` times in place (row i becomes rows i*times ...), to go
// with sequences expanded the same way.
std::vector<at::Tensor> repeat_rows(const std::vector<at::Tensor>& args, int64_t times) {
  std::vector<at::Tensor> out;
  for (const at::Tensor& a : args) out.push_back(a.repeat_interleave(times, 0));
  return out;
}

// (N * K, ...) -> (N, K, ...) for every output tensor.
ModelOutput split_rows(const ModelOutput& out, int64_t n, int64_t k) {
  std::vector<at::Tensor> tensors;
  for (const at::Tensor& t : out.tensors) {
    std::vector<int64_t> shape = {n, k};
    for (int64_t d = 1; d < t.dim(); ++d) shape.push_back(t.size(d));
    tensors.push_back(t.reshape(shape));
  }
  return out.with(std::move(tensors));
}

// (N, ...) outputs of S runs -> (N, S, ...).
ModelOutput stack_runs(const std::vector<ModelOutput>& runs) {
  std::vector<at::Tensor> tensors;
  for (size_t j = 0; j < runs.at(0).size(); ++j) {
    std::vector<at::Tensor> parts;
    for (const ModelOutput& r : runs) parts.push_back(r[j]);
    tensors.push_back(at::stack(parts, 1));
  }
  return runs[0].with(std::move(tensors));
}

void check_motif(const at::Tensor& X, const at::Tensor& motif, int64_t start) {
  const int64_t A = X.size(1), L = X.size(2);
  const bool per_sequence = motif.dim() == 3;
  if ((motif.dim() != 2 && !per_sequence) || motif.size(-2) != A || (per_sequence && motif.size(0) != X.size(0))) {
    throw Error("the motif must be (" + std::to_string(A) + ", W) or (N, " + std::to_string(A) + ", W) for sequences " +
                c10::str(X.sizes()) + ", got " + c10::str(motif.sizes()));
  }
  if (!at::isFloatingType(X.scalar_type()) && !motif.eq(0).logical_or(motif.eq(1)).all().item<bool>()) {
    throw Error("the motif must be one-hot (0/1 values) to be written into one-hot sequences; sample a PWM's letters first");
  }
  const int64_t W = motif.size(-1);
  if (W <= 0 || start < 0 || start + W > L) {
    throw Error("a motif of " + std::to_string(W) + " positions at " + std::to_string(start) +
                " does not fit inside sequences of length " + std::to_string(L));
  }
}

}  // namespace

at::Tensor insert_motif(const at::Tensor& X, const at::Tensor& motif, int64_t start) {
  check_sequences(X, "insert_motif");
  const int64_t W = motif.dim() >= 1 ? motif.size(-1) : 0;
  if (start < 0) start = (X.size(2) - W) / 2;
  check_motif(X, motif, start);
  at::Tensor out = X.clone();
  at::Tensor m = motif.to(X.scalar_type());
  if (m.dim() == 2) m = m.unsqueeze(0).expand({X.size(0), m.size(0), W});
  // A motif column with no letter (N) keeps the background's base.
  at::Tensor keep = (m != 0).any(1, /*keepdim=*/true).logical_not();  // (N, 1, W)
  at::Tensor region = out.narrow(2, start, W);
  region.copy_(at::where(keep, region, m));
  return out;
}

at::Tensor sample_pwm(const std::vector<std::vector<double>>& columns, int64_t n, uint64_t seed, int64_t first_index) {
  if (columns.empty()) throw Error("sample_pwm: a motif needs at least one column");
  const int64_t A = static_cast<int64_t>(columns[0].size()), W = static_cast<int64_t>(columns.size());
  at::Tensor out = torch::zeros({n, A, W}, torch::kChar);
  auto acc = out.accessor<int8_t, 3>();
  for (int64_t i = 0; i < n; ++i) {
    // The same seeding as the dinucleotide shuffles; letters by inverting the column's cumulative
    // sum with our own uniform draw (std::discrete_distribution differs between libraries).
    std::mt19937_64 rng(splitmix64(seed) ^ splitmix64(static_cast<uint64_t>(first_index + i) + 1));
    for (int64_t w = 0; w < W; ++w) {
      const auto& col = columns[static_cast<size_t>(w)];
      if (static_cast<int64_t>(col.size()) != A) throw Error("sample_pwm: columns of different sizes");
      double total = 0;
      for (double p : col) total += p;
      const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * total;
      int64_t a = 0;
      for (double cum = col[0]; a + 1 < A && u >= cum; cum += col[static_cast<size_t>(++a)]) {
      }
      acc[i][a][w] = 1;
    }
  }
  return out;
}

ExperimentOutput marginalize(Model& model, const at::Tensor& X, const at::Tensor& motif, const std::vector<at::Tensor>& args,
                             const MarginalizeOptions& opts) {
  check_sequences(X, "marginalize");
  const at::Tensor inserted = insert_motif(X, motif, opts.start);
  ModelStateGuard placement(model, opts.predict.device, opts.predict.dtype);
  ExperimentOutput out;
  out.before = predict(model, X, args, opts.predict);
  out.after = predict(model, inserted, args, opts.predict);
  return out;
}

at::Tensor ablated_sequences(const at::Tensor& X, const AblateOptions& opts) {
  check_sequences(X, "ablate");
  const int64_t L = X.size(2), end = opts.end < 0 ? L : opts.end;
  if (opts.start < 0 || opts.start >= end || end > L) {
    throw Error("ablate: the region --start " + std::to_string(opts.start) + " --end " + std::to_string(end) +
                " is not inside sequences of length " + std::to_string(L));
  }
  if (opts.shuffles <= 0) throw Error("ablate: --shuffles must be positive");
  const int64_t K = opts.shuffles;
  const at::Tensor region = X.narrow(2, opts.start, end - opts.start).contiguous();
  const at::Tensor shuffled = dinucleotide_shuffles(region, K, opts.seed, opts.first_index);  // (N, K, A, W)
  at::Tensor out = X.unsqueeze(1).expand({X.size(0), K, X.size(1), L}).clone();
  out.narrow(3, opts.start, end - opts.start).copy_(shuffled);
  return out;
}

ExperimentOutput ablate(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args, const AblateOptions& opts) {
  const at::Tensor shuffled = ablated_sequences(X, opts);
  const int64_t N = X.size(0), K = opts.shuffles;
  ModelStateGuard placement(model, opts.predict.device, opts.predict.dtype);
  ExperimentOutput out;
  out.before = predict(model, X, args, opts.predict);
  const ModelOutput after = predict(model, shuffled.reshape({N * K, X.size(1), X.size(2)}), repeat_rows(args, K), opts.predict);
  out.after = split_rows(after, N, K);
  return out;
}

at::Tensor spaced_motifs(const at::Tensor& X, const std::vector<at::Tensor>& motifs, int64_t spacing, int64_t start) {
  check_sequences(X, "space");
  if (motifs.empty()) throw Error("space: no motifs");
  if (spacing < 0) throw Error("space: a spacing must be >= 0, got " + std::to_string(spacing));
  int64_t width = spacing * static_cast<int64_t>(motifs.size() - 1);
  for (const at::Tensor& m : motifs) width += m.size(-1);
  if (start < 0) start = (X.size(2) - width) / 2;
  if (start < 0 || start + width > X.size(2)) {
    throw Error("space: motifs " + std::to_string(width) + " positions wide (spacing " + std::to_string(spacing) +
                ") do not fit inside sequences of length " + std::to_string(X.size(2)));
  }
  at::Tensor out = X;
  int64_t at_pos = start;
  for (const at::Tensor& m : motifs) {
    out = insert_motif(out, m, at_pos);
    at_pos += m.size(-1) + spacing;
  }
  return out;
}

ExperimentOutput space(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& motifs, const std::vector<at::Tensor>& args,
                       const SpaceOptions& opts) {
  check_sequences(X, "space");
  if (opts.spacing.empty()) throw Error("space: no spacings");
  std::vector<at::Tensor> arranged;  // every arrangement checked before the model runs
  for (int64_t s : opts.spacing) arranged.push_back(spaced_motifs(X, motifs, s, opts.start));
  ModelStateGuard placement(model, opts.predict.device, opts.predict.dtype);
  ExperimentOutput out;
  out.before = predict(model, X, args, opts.predict);
  std::vector<ModelOutput> runs;
  for (const at::Tensor& x : arranged) runs.push_back(predict(model, x, args, opts.predict));
  out.after = stack_runs(runs);
  return out;
}

at::Tensor output_score(const ModelOutput& out, size_t out_index, const std::vector<int64_t>& targets) {
  at::Tensor t = out[out_index].to(torch::kDouble);
  if (!targets.empty()) {
    if (t.dim() < 2) throw Error("--target needs an output with columns; this one is " + c10::str(t.sizes()));
    t = t.index_select(1, torch::tensor(targets, torch::kLong));
  }
  return t.dim() == 1 ? t : t.flatten(1).sum(1);
}

// ------------------------------------------------------------------------------ design

const std::vector<EnumName<DesignGoal>>& design_goal_names() {
  static const std::vector<EnumName<DesignGoal>> names = {
      {DesignGoal::kMaximize, "max"}, {DesignGoal::kMinimize, "min"}, {DesignGoal::kValue, "value"}};
  return names;
}

namespace {

// One sequence of the beam: its one-hot (A, L), the substitutions that made it from the input
// (position -> channel, the key that tells two sequences apart) in the order made, and its score.
struct Candidate {
  at::Tensor x;
  std::map<int64_t, int> changed;
  std::vector<DesignEdit> edits;
  double score = 0, objective = 0;
};

double objective_of(double score, const DesignOptions& o) {
  switch (o.goal) {
    case DesignGoal::kMaximize: return score;
    case DesignGoal::kMinimize: return -score;
    case DesignGoal::kValue: return -(score - o.value) * (score - o.value);
  }
  return score;
}

// The channel at each position of a one-hot (A, L): -1 where the column has no letter.
std::vector<int> channels_of(const at::Tensor& x) {
  const at::Tensor c = x.to(torch::kChar).contiguous();
  const auto acc = c.accessor<int8_t, 2>();
  std::vector<int> out(static_cast<size_t>(c.size(1)), -1);
  for (int64_t l = 0; l < c.size(1); ++l) {
    for (int64_t a = 0; a < c.size(0); ++a) {
      if (acc[a][l] != 0) {
        out[static_cast<size_t>(l)] = static_cast<int>(a);
        break;
      }
    }
  }
  return out;
}

struct Move {
  double objective, score;
  size_t parent;
  int64_t position;
  int to;
};

class BeamSearch {
 public:
  BeamSearch(Model& model, const at::Tensor& x, std::vector<at::Tensor> args, const DesignOptions& o, size_t out_index)
      : model_(model), args_(std::move(args)), o_(o), out_index_(out_index), start_(o.ism.start) {
    Candidate first;
    first.x = x.to(torch::kChar).contiguous();
    const at::Tensor s = output_score(predict(model_, first.x.unsqueeze(0), args_, o_.ism.predict), out_index_, o_.ism.targets);
    first.score = s[0].item<double>();
    first.objective = objective_of(first.score, o_);
    original_ = channels_of(first.x);
    best_ = first;
    beam_ = {std::move(first)};
  }

  // One iteration; false when no substitution improves on the best sequence so far.
  bool step(int64_t& evaluated) {
    std::vector<Move> moves;
    for (size_t b = 0; b < beam_.size(); ++b) add_moves(b, moves, evaluated);
    std::sort(moves.begin(), moves.end(), [](const Move& a, const Move& c) {
      if (a.objective != c.objective) return a.objective > c.objective;
      if (a.parent != c.parent) return a.parent < c.parent;
      return a.position != c.position ? a.position < c.position : a.to < c.to;  // deterministic ties
    });
    if (moves.empty() || moves[0].objective <= best_.objective) return false;
    std::vector<Candidate> next;
    for (const Move& m : moves) {
      if (static_cast<int64_t>(next.size()) >= o_.beam) break;
      Candidate c = apply(beam_[m.parent], m);
      bool seen = false;
      for (const Candidate& k : next) seen = seen || k.changed == c.changed;
      if (!seen) next.push_back(std::move(c));
    }
    if (next[0].objective > best_.objective) best_ = next[0];
    beam_ = std::move(next);
    return true;
  }

  const Candidate& best() const { return best_; }

 private:
  // Every substitution of beam sequence b, scored through one ism() call.
  void add_moves(size_t b, std::vector<Move>& moves, int64_t& evaluated) {
    const Candidate& c = beam_[b];
    IsmOptions io = o_.ism;
    if (!io.engine_cache) io.engine_cache = cache_;
    const IsmResult r = ism(model_, c.x.unsqueeze(0), args_, io);
    // (1, L_w, A, outputs...) -> (L_w, A) scores.
    at::Tensor m = r.mutants[out_index_].to(torch::kDouble)[0];
    if (m.dim() > 2) m = m.flatten(2).sum(2);
    const std::vector<int> ref = channels_of(c.x);
    auto acc = m.accessor<double, 2>();
    for (int64_t l = 0; l < m.size(0); ++l) {
      const int64_t pos = start_ + l;
      for (int a = 0; a < static_cast<int>(m.size(1)); ++a) {
        if (ref[static_cast<size_t>(pos)] == a) continue;  // the base already there: no edit
        ++evaluated;
        const double score = acc[l][a];
        moves.push_back({objective_of(score, o_), score, b, pos, a});
      }
    }
  }

  Candidate apply(const Candidate& parent, const Move& m) const {
    Candidate c;
    c.x = parent.x.clone();
    const int from = channels_of(parent.x.narrow(1, m.position, 1))[0];
    c.x.select(1, m.position).zero_();
    c.x[m.to][m.position] = 1;
    c.changed = parent.changed;
    if (m.to == original_[static_cast<size_t>(m.position)]) c.changed.erase(m.position); else c.changed[m.position] = m.to;
    c.edits = parent.edits;
    c.edits.push_back({m.position, from, m.to, m.score});
    c.score = m.score;
    c.objective = m.objective;
    return c;
  }

  Model& model_;
  std::vector<at::Tensor> args_;
  const DesignOptions& o_;
  size_t out_index_;
  int64_t start_;
  std::shared_ptr<IsmEngineCache> cache_ = make_ism_engine_cache();
  std::vector<Candidate> beam_;
  Candidate best_;
  std::vector<int> original_;  // the input's channels: an edit back to one undoes a change
};

}  // namespace

DesignResult design(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args, const DesignOptions& opts) {
  check_sequences(X, "design");
  if (opts.beam <= 0) throw Error("design: --beam must be positive");
  if (opts.iterations < 0) throw Error("design: --iterations must be >= 0");
  const int64_t N = X.size(0), L = X.size(2);
  const int64_t end = opts.ism.end < 0 ? L : opts.ism.end;
  if (opts.ism.start < 0 || opts.ism.start >= end || end > L) {
    throw Error("design: the window --start " + std::to_string(opts.ism.start) + " --end " + std::to_string(end) +
                " is not inside sequences of length " + std::to_string(L));
  }
  ModelStateGuard placement(model, opts.ism.predict.device, opts.ism.predict.dtype);
  DesignOptions o = opts;
  o.ism.predict.device.clear();
  o.ism.predict.dtype.reset();
  o.ism.predict.progress = nullptr;
  o.ism.mc = McOptions();
  DesignResult result;
  result.designed = X.to(torch::kChar).clone();
  size_t out_index = 0;
  for (int64_t i = 0; i < N; ++i) {
    std::vector<at::Tensor> row_args;
    for (const at::Tensor& a : args) row_args.push_back(a.narrow(0, i, 1));
    if (i == 0) {
      const ModelOutput probe = predict(model, X.narrow(0, 0, 1), row_args, o.ism.predict);
      out_index = choose_output(probe, o.output);
      result.output_name = probe.names.at(out_index);
    }
    BeamSearch search(model, X[i], row_args, o, out_index);
    const double initial = search.best().score;
    for (int64_t it = 0; it < o.iterations && search.step(result.evaluated); ++it) {
    }
    const Candidate& best = search.best();
    result.designed[i].copy_(best.x);
    result.edits.push_back(best.edits);
    result.initial.push_back(initial);
    result.final.push_back(best.score);
    if (opts.progress) opts.progress(i + 1, N);
  }
  return result;
}

}  // namespace seqnn
