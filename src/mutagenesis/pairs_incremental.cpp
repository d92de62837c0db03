// Variant pairs on the incremental engine: each batch of reference windows takes one pass through
// the model's op graph (every node's value kept); the single-base substitutions among the batch's
// pairs come from engine.mutants, the other alternatives from the model itself.
#include "mutagenesis/pairs_incremental.h"

#include <torch/torch.h>

#include "mutagenesis/incremental_check.h"
#include "mutagenesis/strands.h"
#include "seqnn/inference/batch_runner.h"
#include "seqnn/mutagenesis/incremental_ism.h"

namespace seqnn {
namespace {

// The engine keeps every node's value of its reference windows, several times what a forward pass
// holds at once, so a reference pass takes at most this many windows whatever the batch size.
constexpr int64_t kSnvReferenceRows = 64;
// Windows on which the graph is checked against the model before it stands in for it.
constexpr int64_t kSnvCheckRows = 16;

// Per pair: the one column where alt differs from ref and the base alt holds there; -1 when the
// pair is not a single-base substitution.
struct PairSnvs {
  std::vector<int64_t> position, channel;
  int64_t count = 0;
};

// Per pair of (N, A, L) windows: how many columns differ (an N column against a base differs
// too) and the last that does.
struct ChangedColumns {
  std::vector<int64_t> count, last;
};

ChangedColumns changed_columns(const at::Tensor& r, const at::Tensor& a) {
  const int64_t N = r.size(0), A = r.size(1), L = r.size(2);
  // Channel by channel: a reduction over the alphabet axis would stride across the windows.
  const at::Tensor ne = r.ne(a);
  at::Tensor differs = ne.select(1, 0).clone();
  for (int64_t c = 1; c < A; ++c) differs.logical_or_(ne.select(1, c));
  differs = differs.contiguous();
  const bool* d = differs.data_ptr<bool>();
  ChangedColumns out{std::vector<int64_t>(static_cast<size_t>(N), 0), std::vector<int64_t>(static_cast<size_t>(N), 0)};
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t l = 0; l < L; ++l) {
      if (!d[i * L + l]) continue;
      ++out.count[static_cast<size_t>(i)];
      out.last[static_cast<size_t>(i)] = l;
    }
  }
  return out;
}

// The base a column of A values holds, or -1 when it is not one-hot (an N holds none).
int64_t one_base(const double* column, int64_t A) {
  int64_t base = -1;
  for (int64_t c = 0; c < A; ++c) {
    if (column[c] == 1.0 && base < 0) {
      base = c;
    } else if (column[c] != 0.0) {
      return -1;
    }
  }
  return base;
}

PairSnvs find_pair_snvs(const at::Tensor& ref, const at::Tensor& alt) {
  const at::Tensor r = ref.to(torch::kCPU), a = alt.to(torch::kCPU);
  const int64_t N = r.size(0), A = r.size(1);
  const ChangedColumns changed = changed_columns(r, a);
  const at::Tensor index = torch::tensor(changed.last, torch::kLong).view({N, 1, 1}).expand({N, A, 1});
  const at::Tensor columns = a.gather(2, index).squeeze(2).to(torch::kDouble).contiguous();  // (N, A)
  PairSnvs out;
  out.position.assign(static_cast<size_t>(N), -1);
  out.channel.assign(static_cast<size_t>(N), -1);
  for (size_t i = 0; i < static_cast<size_t>(N); ++i) {
    const int64_t base = changed.count[i] == 1 ? one_base(columns.data_ptr<double>() + i * A, A) : -1;
    if (base < 0) continue;
    out.position[i] = changed.last[i];
    out.channel[i] = base;
    ++out.count;
  }
  return out;
}

// Pairs [start, start + n): the substitutions (row within the batch, position, base) and the rest.
struct SnvBatch {
  std::vector<int64_t> rows, positions, channels, others;

  // The same substitutions on the reverse strand of windows of length L over A channels.
  SnvBatch reversed(int64_t L, int64_t A) const {
    SnvBatch r = *this;
    for (auto& p : r.positions) p = L - 1 - p;
    for (auto& c : r.channels) c = A - 1 - c;
    return r;
  }
};

SnvBatch snv_batch(const PairSnvs& snvs, int64_t start, int64_t n) {
  SnvBatch b;
  for (int64_t r = 0; r < n; ++r) {
    const size_t i = static_cast<size_t>(start + r);
    if (snvs.position[i] < 0) {
      b.others.push_back(r);
      continue;
    }
    b.rows.push_back(r);
    b.positions.push_back(snvs.position[i]);
    b.channels.push_back(snvs.channel[i]);
  }
  return b;
}

// The alternatives of a batch in pair order: the engine's rows and the model's rows interleaved.
std::vector<at::Tensor> merge_alternatives(const ModelOutput& ref, const SnvBatch& b, const std::vector<at::Tensor>& mutants,
                                           const std::vector<at::Tensor>& whole) {
  if (b.others.empty()) return mutants;
  if (b.rows.empty()) return whole;
  std::vector<at::Tensor> out;
  const at::Tensor snv_rows = torch::tensor(b.rows, torch::kLong).to(ref[0].device());
  const at::Tensor other_rows = torch::tensor(b.others, torch::kLong).to(ref[0].device());
  for (size_t j = 0; j < ref.size(); ++j) {
    at::Tensor t = at::empty_like(ref[j]);
    t.index_copy_(0, snv_rows, mutants[j].to(t.scalar_type()));
    t.index_copy_(0, other_rows, whole[j].to(t.scalar_type()));
    out.push_back(t);
  }
  return out;
}

// One strand of a batch of pairs, outputs on the device.
PairedPrediction engine_strand(IncrementalEngine& engine, BatchRunner& runner, const ModelOutput& structure,
                               const at::Tensor& ref, const at::Tensor& alt, const SnvBatch& b) {
  const ModelBatch batch = runner.prepare(ref);
  PairedPrediction out;
  out.ref = structure.with(engine.set_reference(batch.x, batch.args));
  std::vector<at::Tensor> mutants, whole;
  if (!b.rows.empty()) mutants = engine.mutants(b.rows, b.positions, b.channels);
  if (!b.others.empty()) whole = runner.forward(alt.index_select(0, torch::tensor(b.others, torch::kLong).to(alt.device()))).tensors;
  out.alt = structure.with(merge_alternatives(out.ref, b, mutants, whole));
  return out;
}

// The engine for the model, checked on the first windows of ref; nullopt with why_not otherwise.
// `structure` receives the model's output structure (kind and names) for the engine's outputs.
std::optional<IncrementalEngine> checked_engine(Model& model, BatchRunner& runner, const at::Tensor& ref,
                                                ModelOutput& structure, std::string& why_not) {
  const ModelBatch sample = runner.prepare(ref.narrow(0, 0, std::min<int64_t>(ref.size(0), kSnvCheckRows)));
  std::optional<OpGraph> graph = incremental::model_op_graph(model, sample, why_not);
  if (!graph) return std::nullopt;
  IncrementalEngine engine(std::move(*graph));
  const ModelOutput expected = runner.forward(sample);
  why_not = incremental::graph_disagreement(expected, engine.set_reference(sample.x, sample.args));
  if (!why_not.empty()) return std::nullopt;
  structure = expected.with({});
  return engine;
}

}  // namespace

std::optional<PairedPrediction> SnvPairEngine::predict(Model& model, const at::Tensor& ref, const at::Tensor& alt,
                                                       const PredictOptions& opts, StrandCombine rc) {
  const PairSnvs snvs = find_pair_snvs(ref, alt);
  if (snvs.count == 0 || (tried_ && !engine_)) return std::nullopt;
  BatchRunner runner(model, opts);
  if (!tried_) {
    tried_ = true;
    engine_ = checked_engine(model, runner, ref, structure_, why_not_);
    if (!engine_) return std::nullopt;
  }
  const int64_t N = ref.size(0);
  OutputAssembler refs(N), alts(N);
  auto step = [&](int64_t start, int64_t n) {
    const SnvBatch b = snv_batch(snvs, start, n);
    const at::Tensor r = ref.narrow(0, start, n), a = alt.narrow(0, start, n);
    PairedPrediction p = engine_strand(*engine_, runner, structure_, r, a, b);
    if (rc != StrandCombine::kNone) {
      const PairedPrediction q = engine_strand(*engine_, runner, structure_, strands::reverse_strand(r),
                                               strands::reverse_strand(a), b.reversed(r.size(2), r.size(1)));
      p.ref = strands::combine_strands(p.ref, q.ref, rc);
      p.alt = strands::combine_strands(p.alt, q.alt, rc);
    }
    refs.put(p.ref, start, n);
    alts.put(p.alt, start, n);
  };
  const int64_t rows = std::min(opts.batch_size, kSnvReferenceRows);
  for_each_batch(N, rows, step, [&](int64_t done, int64_t total) {
    if (opts.progress) opts.progress(2 * done, 2 * total);
  });
  PairedPrediction out;
  out.ref = refs.take();
  out.alt = alts.take();
  out.incremental = snvs.count;
  return out;
}

}  // namespace seqnn
