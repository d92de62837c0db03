#include "seqnn/attribution/attribution.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "attribution/deeplift.h"
#include "seqnn/inference/batch_runner.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/sequence/shuffle.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

using deeplift::scalar_of;

// The batch's inputs as the model takes them: X cast to the compute dtype, floating arguments too.
struct Placement {
  at::Device device;
  at::ScalarType dtype;
  at::Tensor x(const at::Tensor& t) const { return t.to(device, dtype); }
  at::Tensor arg(const at::Tensor& t) const {
    return t.to(device, at::isFloatingType(t.scalar_type()) ? dtype : t.scalar_type());
  }
  std::vector<at::Tensor> args(const std::vector<at::Tensor>& a, const at::Tensor& rows) const {
    std::vector<at::Tensor> out;
    for (const at::Tensor& t : a) out.push_back(arg(t.index_select(0, rows)));
    return out;
  }
};

// The gradient of the scalar at rows x (prepared), with the model's own forward pass.
at::Tensor gradient(Model& model, const at::Tensor& x, const std::vector<at::Tensor>& args, size_t output,
                    const std::vector<int64_t>& targets) {
  torch::AutoGradMode on(true);
  at::Tensor xx = x.detach().requires_grad_(true);
  at::Tensor s = scalar_of(model.forward(xx, args)[output], targets);
  if (!s.requires_grad()) return torch::zeros_like(x);
  auto g = torch::autograd::grad({s.sum()}, {xx}, {}, false, false, /*allow_unused=*/true);
  return g[0].defined() ? g[0].detach() : torch::zeros_like(x);
}

at::Tensor scalar_no_grad(Model& model, const at::Tensor& x, const std::vector<at::Tensor>& args, size_t output,
                          const std::vector<int64_t>& targets) {
  torch::NoGradGuard no_grad;
  return scalar_of(model.forward(x, args)[output], targets);
}

struct Run {
  Run(Model& m, const at::Tensor& x, const std::vector<at::Tensor>& a, const AttributionOptions& o, Placement p)
      : model(m), X(x), args(a), opts(o), place(p) {}
  Model& model;
  const at::Tensor& X;
  const std::vector<at::Tensor>& args;
  const AttributionOptions& opts;
  Placement place;
  size_t output = 0;
  int64_t N = 0, A = 0, L = 0;
  AttributionResult result;
  at::Tensor sum;  // (N, A, L) double accumulator

  at::Tensor rows_of(const std::vector<int64_t>& v) const { return torch::tensor(v, torch::kLong); }

  void add(const at::Tensor& seq_rows, const at::Tensor& contribution) {
    sum.index_add_(0, seq_rows, contribution.to(torch::kCPU, torch::kDouble));
  }

  // saliency / input-x-gradient: one gradient per sequence.
  void gradients() {
    const bool times_input = opts.method == AttributionMethod::kInputXGradient;
    for_each_batch(N, opts.predict.batch_size, [&](int64_t start, int64_t n) {
      std::vector<int64_t> idx(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) idx[static_cast<size_t>(i)] = start + i;
      at::Tensor rows = rows_of(idx);
      at::Tensor x = place.x(X.index_select(0, rows));
      at::Tensor g = gradient(model, x, place.args(args, rows), output, opts.targets);
      add(rows, times_input && !opts.hypothetical ? g * x : g);
      result.forward_rows += n;
    }, opts.predict.progress);
  }

  // Items (sequence, reference, step): integrated gradients (steps S) or DeepLIFT (S = 1).
  void with_references(bool deeplift) {
    const int64_t S = deeplift ? 1 : opts.steps;
    if (S <= 0) throw Error("--steps must be positive");
    // The reference count, from the first sequence's references.
    const int64_t K = references_for(opts.references, X, 0, 1).size(1);
    if (K <= 0) throw Error("no references");
    const int64_t per_seq = K * S;
    std::unique_ptr<deeplift::Engine> engine;
    if (deeplift) {
      at::Tensor first = rows_of({0});
      engine = std::make_unique<deeplift::Engine>(model, place.x(X.index_select(0, first)), place.args(args, first));
    }
    at::Tensor fx = torch::zeros({N}, torch::kDouble), fr = torch::zeros({N}, torch::kDouble);
    for_each_batch(N * per_seq, opts.predict.batch_size, [&](int64_t start, int64_t n) {
      const int64_t i0 = start / per_seq, i1 = (start + n - 1) / per_seq + 1;
      at::Tensor R = references_for(opts.references, X, i0, i1 - i0);  // (ni, K, A, L)
      if (R.size(1) != K) throw Error("every sequence needs the same number of references");
      at::Tensor Rflat = R.reshape({-1, A, L});
      std::vector<int64_t> seq(static_cast<size_t>(n)), ref(static_cast<size_t>(n));
      std::vector<double> alpha(static_cast<size_t>(n));
      for (int64_t t = 0; t < n; ++t) {
        const int64_t item = start + t, i = item / per_seq, k = (item % per_seq) / S, s = item % S;
        seq[static_cast<size_t>(t)] = i;
        ref[static_cast<size_t>(t)] = (i - i0) * K + k;
        alpha[static_cast<size_t>(t)] = (static_cast<double>(s) + 0.5) / static_cast<double>(S);
      }
      at::Tensor rows = rows_of(seq);
      at::Tensor x = place.x(X.index_select(0, rows));
      at::Tensor r = place.x(Rflat.index_select(0, rows_of(ref)));
      std::vector<at::Tensor> a = place.args(args, rows);
      at::Tensor m;
      if (deeplift) {
        deeplift::Engine::Pass pass = engine->run(x, r, a, output, opts.targets);
        m = pass.multipliers;
        fx.index_add_(0, rows, pass.fx.to(torch::kCPU, torch::kDouble) / static_cast<double>(K));
        fr.index_add_(0, rows, pass.fr.to(torch::kCPU, torch::kDouble) / static_cast<double>(K));
        result.forward_rows += 2 * n;
      } else {
        at::Tensor al = torch::tensor(alpha, torch::kDouble).to(place.device, place.dtype).view({-1, 1, 1});
        m = gradient(model, r + al * (x - r), a, output, opts.targets);
        result.forward_rows += n;
      }
      at::Tensor c = opts.hypothetical ? hypothetical_attributions(m, r) : m * (x - r);
      add(rows, c / static_cast<double>(per_seq));
    }, opts.predict.progress);
    if (!deeplift) {  // f(x) and the mean f(r) for the convergence delta
      for_each_batch(N, opts.predict.batch_size, [&](int64_t start, int64_t n) {
        std::vector<int64_t> idx(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) idx[static_cast<size_t>(i)] = start + i;
        at::Tensor rows = rows_of(idx);
        std::vector<at::Tensor> a = place.args(args, rows);
        fx.index_copy_(0, rows, scalar_no_grad(model, place.x(X.index_select(0, rows)), a, output, opts.targets).to(torch::kCPU, torch::kDouble));
        at::Tensor R = references_for(opts.references, X, start, n);  // (n, K, A, L)
        for (int64_t k = 0; k < K; ++k) {
          at::Tensor f = scalar_no_grad(model, place.x(R.select(1, k)), a, output, opts.targets);
          fr.index_add_(0, rows, f.to(torch::kCPU, torch::kDouble) / static_cast<double>(K));
        }
        result.forward_rows += n * (K + 1);
      });
    }
    result.scores = fx.to(torch::kFloat);
    result.reference_scores = fr.to(torch::kFloat);
    // Completeness: sum of attributions = f(x) - mean f(r). Hypothetical maps sum to it at the
    // observed bases.
    at::Tensor total = opts.hypothetical ? (sum * X.to(torch::kDouble)).sum({1, 2}) : sum.sum({1, 2});
    at::Tensor deltas = total - (fx - fr);
    result.deltas = deltas.to(torch::kFloat);
    result.max_abs_delta = N > 0 ? deltas.abs().max().item<double>() : 0.0;
    const int64_t over = deltas.abs().gt(opts.warning_threshold).sum().item<int64_t>();
    if (over > 0) {
      result.warning = "convergence deltas up to " + std::to_string(result.max_abs_delta) + " exceed " +
                       std::to_string(opts.warning_threshold) + " for " + std::to_string(over) + " of " +
                       std::to_string(N) + " sequences" +
                       (deeplift ? " (an op whose rule is not exact, or float rounding)" : "; raise --steps");
    }
  }

  void mutagenesis() {
    if (opts.hypothetical) throw Error("--hypothetical: ism maps already cover every base");
    IsmOptions io;
    io.predict = opts.predict;
    io.predict.device.clear();  // placed already
    io.predict.dtype.reset();
    io.engine = opts.ism_engine;
    io.engine_cache = make_ism_engine_cache();
    const int64_t chunk = 16;
    int64_t done = 0;
    const int64_t total = N * L * (A - 1);
    for (int64_t start = 0; start < N; start += chunk) {
      const int64_t n = std::min(chunk, N - start);
      at::Tensor xs = X.narrow(0, start, n);
      std::vector<at::Tensor> as;
      for (const at::Tensor& a : args) as.push_back(a.narrow(0, start, n));
      if (opts.predict.progress) {
        io.predict.progress = [&, base = done](int64_t d, int64_t) { opts.predict.progress(base + d, total); };
      }
      IsmResult r = ism(model, xs, as, io);
      at::Tensor d = ism_difference(r.mutants[output], r.reference[output]);  // (n, L, A, outputs...)
      if (!opts.targets.empty()) {
        if (d.dim() < 4) throw Error("--target: the output has no columns");
        for (int64_t t : opts.targets) {
          if (t < 0 || t >= d.size(3)) throw Error("--target " + std::to_string(t) + ": the output has " + std::to_string(d.size(3)) + " columns");
        }
        d = d.index_select(3, torch::tensor(opts.targets, torch::kLong));
      }
      sum.narrow(0, start, n).copy_(ism_attribution(d));
      done += n * L * (A - 1);
      result.forward_rows += n * L * (A - 1) + n;
    }
  }
};

}  // namespace

size_t choose_output(const ModelOutput& out, const std::string& want) {
  if (want.empty()) {
    if (out.size() == 1) return 0;
    throw Error("the model has " + std::to_string(out.size()) + " outputs (" + join(out.names, ',') +
                "): choose one with --output NAME|INDEX");
  }
  for (size_t j = 0; j < out.size(); ++j) {
    if (out.names[j] == want) return j;
  }
  try {
    size_t used = 0;
    const long long j = std::stoll(want, &used);
    if (used == want.size() && j >= 0 && static_cast<size_t>(j) < out.size()) return static_cast<size_t>(j);
  } catch (const std::exception&) {
  }
  throw Error("--output " + want + ": the model's outputs are " + join(out.names, ',') + " (a name or an index below " +
              std::to_string(out.size()) + ")");
}

const std::vector<EnumName<AttributionMethod>>& attribution_method_names() {
  static const std::vector<EnumName<AttributionMethod>> names = {
      {AttributionMethod::kSaliency, "saliency"},
      {AttributionMethod::kInputXGradient, "input-x-gradient"},
      {AttributionMethod::kIntegratedGradients, "integrated-gradients"},
      {AttributionMethod::kDeepLiftShap, "deeplift-shap"},
      {AttributionMethod::kIsm, "ism"}};
  return names;
}

References parse_references(const std::string& spec, uint64_t seed, const std::string& alphabet) {
  References r;
  r.seed = seed;
  if (spec == "zeros") {
    r.kind = References::Kind::kZeros;
    return r;
  }
  if (spec == "shuffle" || spec.rfind("shuffle:", 0) == 0) {
    r.kind = References::Kind::kShuffle;
    if (spec.size() > 8) {
      const std::string k = spec.substr(8);
      size_t used = 0;
      long long v = 0;
      try {
        v = std::stoll(k, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != k.size() || v <= 0) throw Error("--references " + spec + ": expected shuffle:K with K > 0");
      r.shuffles = v;
    }
    return r;
  }
  r.kind = References::Kind::kGiven;
  if (ends_with(spec, ".npy")) {
    r.given = load_npy(spec).to(torch::kFloat);
    if (r.given.dim() != 3 && r.given.dim() != 4) {
      throw Error(spec + ": references must be (K, A, L) or (N, K, A, L), got " + c10::str(r.given.sizes()));
    }
    return r;
  }
  auto source = fasta_source(spec);
  SequenceChunk chunk;
  std::vector<std::string> seqs, where;
  while (source->next(1024, chunk)) {
    seqs.insert(seqs.end(), chunk.sequences.begin(), chunk.sequences.end());
    where.insert(where.end(), chunk.where.begin(), chunk.where.end());
  }
  if (seqs.empty()) throw Error(spec + ": no reference sequences");
  ChunkEncodeOptions lengths;
  lengths.hint = "references need one length";
  r.given = one_hot_encode_chunk(seqs, Alphabet::from_name(alphabet), lengths, where).to(torch::kFloat);
  return r;
}

at::Tensor references_for(const References& refs, const at::Tensor& X, int64_t first, int64_t n) {
  const int64_t A = X.size(1), L = X.size(2);
  switch (refs.kind) {
    case References::Kind::kZeros: return torch::zeros({n, 1, A, L}, torch::kFloat);
    case References::Kind::kShuffle:
      return dinucleotide_shuffles(X.narrow(0, first, n), refs.shuffles, refs.seed, refs.first_index + first).to(torch::kFloat);
    case References::Kind::kGiven: break;
  }
  const at::Tensor& g = refs.given;
  if (!g.defined()) throw Error("references: none given");
  if (g.size(-2) != A || g.size(-1) != L) {
    throw Error("references of shape " + c10::str(g.sizes()) + " do not fit sequences of " + std::to_string(A) + " x " +
                std::to_string(L));
  }
  if (g.dim() == 3) return g.unsqueeze(0).expand({n, g.size(0), A, L}).to(torch::kFloat);
  if (g.dim() != 4) throw Error("references must be (K, A, L) or (N, K, A, L), got " + c10::str(g.sizes()));
  const int64_t at_ = refs.first_index + first;
  if (at_ + n > g.size(0)) {
    throw Error("references for " + std::to_string(g.size(0)) + " sequences, but sequence " + std::to_string(at_ + n) +
                " needs one");
  }
  return g.narrow(0, at_, n).to(torch::kFloat);
}

at::Tensor hypothetical_attributions(const at::Tensor& multipliers, const at::Tensor& references) {
  return multipliers - (references * multipliers).sum(1, /*keepdim=*/true);
}

AttributionResult attribute(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                            const AttributionOptions& opts) {
  if (X.dim() != 3) throw Error("attribute: expected one-hot sequences (N, A, L), got shape " + c10::str(X.sizes()));
  if (opts.predict.batch_size <= 0) throw Error("--batch-size must be positive");
  for (const at::Tensor& a : args) {
    if (a.dim() == 0 || a.size(0) != X.size(0)) throw Error("attribute: every extra input needs one row per sequence");
  }
  const bool hyp_ok = opts.method == AttributionMethod::kInputXGradient ||
                      opts.method == AttributionMethod::kIntegratedGradients ||
                      opts.method == AttributionMethod::kDeepLiftShap;
  if (opts.hypothetical && !hyp_ok) {
    throw Error(std::string("--hypothetical: ") + enum_name(opts.method, attribution_method_names()) +
                " maps already cover every base");
  }
  ModelStateGuard placement(model, opts.predict.device, opts.predict.dtype);  // eval: dropout off
  Run run(model, X, args, opts, Placement{placement.device(), placement.dtype()});
  run.N = X.size(0);
  run.A = X.size(1);
  run.L = X.size(2);
  run.sum = torch::zeros({run.N, run.A, run.L}, torch::kDouble);
  if (run.N == 0) {
    run.result.attributions = run.sum.to(torch::kFloat);
    return run.result;
  }
  {  // the output to attribute, from the model's output on the first sequence
    at::Tensor first = torch::tensor(std::vector<int64_t>{0}, torch::kLong);
    torch::NoGradGuard no_grad;
    ModelOutput out = model.forward(run.place.x(X.index_select(0, first)), run.place.args(args, first));
    run.output = choose_output(out, opts.output);
    run.result.output_name = out.names[run.output];
    scalar_of(out[run.output], opts.targets);  // checks the targets
  }
  switch (opts.method) {
    case AttributionMethod::kSaliency:
    case AttributionMethod::kInputXGradient: run.gradients(); break;
    case AttributionMethod::kIntegratedGradients: run.with_references(false); break;
    case AttributionMethod::kDeepLiftShap: run.with_references(true); break;
    case AttributionMethod::kIsm: run.mutagenesis(); break;
  }
  run.result.attributions = run.sum.to(torch::kFloat);
  return run.result;
}

}  // namespace seqnn
