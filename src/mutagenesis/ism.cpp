#include "seqnn/mutagenesis/ism.h"

#include <torch/torch.h>

#include "seqnn/inference/batch_runner.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

struct Edit {
  int64_t position;  // absolute position in the sequence
  int64_t channel;   // the substituted base
  int64_t slot;      // flat index (p - start) * A + channel within one sequence
};

// Substitutions of sequence x (A, L) in [start, end): every channel except the reference base.
std::vector<Edit> substitutions(const at::Tensor& x, int64_t start, int64_t end) {
  const int64_t A = x.size(0), L = x.size(1);
  at::Tensor column_sum = x.to(torch::kFloat32).sum(0).contiguous();
  at::Tensor xf = x.to(torch::kFloat32).contiguous();
  const float* sums = column_sum.data_ptr<float>();
  const float* v = xf.data_ptr<float>();
  std::vector<Edit> edits;
  edits.reserve(static_cast<size_t>((end - start) * A));
  for (int64_t p = start; p < end; ++p) {
    for (int64_t a = 0; a < A; ++a) {
      const bool identity = v[a * L + p] == 1.0f && sums[p] == 1.0f;
      if (!identity) edits.push_back({p, a, (p - start) * A + a});
    }
  }
  return edits;
}

// Batch of n mutants of x (A, L) int8: rows [0, n) take edits[first + r]; rows [n, rows) repeat
// the last edit (padding keeps the batch shape, so MC dropout masks stay aligned row by row).
at::Tensor build_mutants(const at::Tensor& x, const std::vector<Edit>& edits, size_t first, int64_t n, int64_t rows) {
  const int64_t A = x.size(0), L = x.size(1);
  at::Tensor batch = x.unsqueeze(0).repeat({rows, 1, 1}).contiguous();
  int8_t* b = batch.data_ptr<int8_t>();
  for (int64_t r = 0; r < rows; ++r) {
    const Edit& e = edits[first + static_cast<size_t>(std::min(r, n - 1))];
    int8_t* row = b + r * A * L;
    for (int64_t c = 0; c < A; ++c) row[c * L + e.position] = c == e.channel;
  }
  return batch;
}

ModelOutput select_targets(const ModelOutput& out, const std::vector<int64_t>& targets) {
  if (targets.empty()) return out;
  at::Tensor index = torch::tensor(targets, torch::kLong);
  std::vector<at::Tensor> kept;
  for (size_t j = 0; j < out.size(); ++j) {
    const at::Tensor& t = out[j];
    if (t.dim() < 2) throw Error("--target needs outputs with a second dimension (output '" + out.names[j] + "')");
    for (int64_t c : targets) {
      if (c < 0 || c >= t.size(1)) {
        throw Error("target " + std::to_string(c) + " is out of range for output '" + out.names[j] + "' with " +
                    std::to_string(t.size(1)) + " columns");
      }
    }
    kept.push_back(t.index_select(1, index.to(t.device())));
  }
  return out.with(std::move(kept));
}

// Row i of every argument, repeated for `rows` mutants of sequence i.
std::vector<at::Tensor> args_for(const std::vector<at::Tensor>& args, int64_t i, int64_t rows) {
  std::vector<at::Tensor> out;
  for (const auto& a : args) {
    std::vector<int64_t> shape = a.sizes().vec();
    shape[0] = rows;
    out.push_back(a.narrow(0, i, 1).expand(shape).contiguous());
  }
  return out;
}

// Flat slot rows (i * Lw * A + slot) of edits [first, first + n) of sequence i.
at::Tensor slot_rows(const std::vector<Edit>& edits, size_t first, int64_t n, int64_t i, int64_t slots_per_sequence) {
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < n; ++r) rows.push_back(i * slots_per_sequence + edits[first + static_cast<size_t>(r)].slot);
  return torch::tensor(rows, torch::kLong);
}

struct Geometry {
  int64_t N, A, L, start, end, Lw;
};

Geometry check_inputs(const at::Tensor& X, const std::vector<at::Tensor>& args, const IsmOptions& opts) {
  if (X.dim() != 3) throw Error("ism: X must be (N, A, L), got " + c10::str(X.sizes()));
  Geometry g{X.size(0), X.size(1), X.size(2), opts.start, opts.end < 0 ? X.size(2) : opts.end, 0};
  if (g.start < 0 || g.start >= g.end || g.end > g.L) {
    throw Error("ism: window [" + std::to_string(g.start) + ", " + std::to_string(g.end) +
                ") is not inside the sequence length " + std::to_string(g.L));
  }
  if (opts.predict.batch_size <= 0) throw Error("ism: batch size must be positive");
  for (size_t k = 0; k < args.size(); ++k) {
    if (args[k].dim() == 0 || args[k].size(0) != g.N) throw Error("ism: argument " + std::to_string(k + 1) + " is not aligned with X");
  }
  g.Lw = g.end - g.start;
  return g;
}

// (N * Lw * A, rest...) -> (N, Lw, A, rest...)
at::Tensor unflatten_slots(const at::Tensor& t, const Geometry& g) {
  std::vector<int64_t> shape = {g.N, g.Lw, g.A};
  for (int64_t d = 1; d < t.dim(); ++d) shape.push_back(t.size(d));
  return t.reshape(shape);
}

int64_t count_edits(const at::Tensor& X, const Geometry& g) {
  int64_t total = 0;
  for (int64_t i = 0; i < g.N; ++i) total += static_cast<int64_t>(substitutions(X[i], g.start, g.end).size());
  return total;
}

IsmResult ism_deterministic(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                            const IsmOptions& opts, const Geometry& g) {
  IsmResult result;
  PredictOptions ref_opts = opts.predict;
  ref_opts.progress = nullptr;
  result.reference = select_targets(predict(model, X, args, ref_opts), opts.targets);
  // Every slot starts as the reference prediction; substitutions overwrite theirs.
  std::vector<at::Tensor> slots;
  for (const auto& r : result.reference.tensors) {
    std::vector<int64_t> rep(static_cast<size_t>(r.dim()) + 2, 1);
    rep[1] = g.Lw;
    rep[2] = g.A;
    std::vector<int64_t> shape = {g.N, 1, 1};
    for (int64_t d = 1; d < r.dim(); ++d) shape.push_back(r.size(d));
    slots.push_back(r.reshape(shape).repeat(rep).reshape({g.N * g.Lw * g.A, -1}).clone());
  }
  const int64_t total = count_edits(X, g);
  int64_t done = 0;
  BatchRunner runner(model, opts.predict);
  for (int64_t i = 0; i < g.N; ++i) {
    at::Tensor x = X[i].to(torch::kInt8).contiguous();
    std::vector<Edit> edits = substitutions(x, g.start, g.end);
    const int64_t before = done;
    runner.run(
        static_cast<int64_t>(edits.size()), opts.predict.batch_size,
        [&](int64_t first, int64_t n) {
          return ModelBatch{build_mutants(x, edits, static_cast<size_t>(first), n, n), args_for(args, i, n)};
        },
        [&](int64_t first, int64_t n, const ModelOutput& batch_out) {
          ModelOutput out = select_targets(batch_out, opts.targets);
          at::Tensor index = slot_rows(edits, static_cast<size_t>(first), n, i, g.Lw * g.A);
          for (size_t j = 0; j < out.size(); ++j) {
            slots[j].index_copy_(0, index, out[j].to(torch::kCPU).reshape({n, -1}).to(slots[j].scalar_type()));
          }
        },
        [&](int64_t edits_done, int64_t) {
          done = before + edits_done;
          if (opts.predict.progress) opts.predict.progress(done, total);
        });
  }
  std::vector<at::Tensor> shaped;
  for (size_t j = 0; j < slots.size(); ++j) {
    std::vector<int64_t> shape = {g.N, g.Lw, g.A};
    for (int64_t d = 1; d < result.reference[j].dim(); ++d) shape.push_back(result.reference[j].size(d));
    shaped.push_back(slots[j].reshape(shape));
  }
  result.mutants = result.reference.with(std::move(shaped));
  result.output_names = result.reference.names;
  return result;
}

// Slots of sequence i that no edit fills (the reference base): flat rows i * Lw * A + slot.
std::vector<int64_t> identity_rows(const std::vector<Edit>& edits, int64_t i, const Geometry& g) {
  std::vector<bool> mutated(static_cast<size_t>(g.Lw * g.A), false);
  for (const auto& e : edits) mutated[static_cast<size_t>(e.slot)] = true;
  std::vector<int64_t> identity;
  for (int64_t s = 0; s < g.Lw * g.A; ++s) {
    if (!mutated[static_cast<size_t>(s)]) identity.push_back(i * g.Lw * g.A + s);
  }
  return identity;
}

// Identity slots: the reference against itself (difference exactly 0).
void add_identity_slots(std::vector<PairedMoments>& moments, int64_t k, const ModelOutput& ref,
                        const std::vector<int64_t>& identity) {
  if (identity.empty()) return;
  at::Tensor index = torch::tensor(identity, torch::kLong);
  for (size_t j = 0; j < ref.size(); ++j) {
    at::Tensor r0 = ref[j].narrow(0, 0, 1).to(torch::kCPU);
    std::vector<int64_t> shape = r0.sizes().vec();
    shape[0] = index.size(0);
    at::Tensor rep = r0.expand(shape);
    moments[j].add_rows(k, index, rep, rep);
  }
}

IsmResult ism_monte_carlo(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                          const IsmOptions& opts, const Geometry& g) {
  const McOptions& mc = opts.mc;
  const int64_t B = opts.predict.batch_size;
  const int64_t total = count_edits(X, g) * mc.samples;
  const int64_t ref_stream = mc.pairing == McPairing::kPaired ? 0 : 1;
  BatchRunner runner(model, opts.predict, DropoutSampling::kOn);
  std::vector<PairedMoments> moments;
  ModelOutput structure;
  int64_t done = 0;
  for (int64_t k = 1; k <= mc.samples; ++k) {
    for (int64_t i = 0; i < g.N; ++i) {
      at::Tensor x = X[i].to(torch::kInt8).contiguous();
      std::vector<Edit> edits = substitutions(x, g.start, g.end);
      auto batch_args = args_for(args, i, B);
      // The reference, B times: row r sees exactly the masks that row r of every mutant batch
      // of this sample sees (same seed, same shape) when pairing; its own masks otherwise.
      seed_dropout(mc.seed, k, ref_stream);
      ModelOutput ref = select_targets(runner.forward(x.unsqueeze(0).expand({B, g.A, g.L}), batch_args), opts.targets);
      if (moments.empty()) {
        structure = ref.with({});
        for (const auto& t : ref.tensors) {
          std::vector<int64_t> shape = {g.N * g.Lw * g.A};
          for (int64_t d = 1; d < t.dim(); ++d) shape.push_back(t.size(d));
          moments.emplace_back(shape);
        }
      }
      add_identity_slots(moments, k, ref, identity_rows(edits, i, g));
      const int64_t before = done;
      runner.run(
          static_cast<int64_t>(edits.size()), B,
          [&](int64_t first, int64_t n) {
            // Padded to B rows so every batch has the reference's shape (and masks).
            ModelBatch batch{build_mutants(x, edits, static_cast<size_t>(first), n, B), batch_args};
            seed_dropout(mc.seed, k, 0);
            return batch;
          },
          [&](int64_t first, int64_t n, const ModelOutput& batch_out) {
            ModelOutput out = select_targets(batch_out, opts.targets);
            at::Tensor index = slot_rows(edits, static_cast<size_t>(first), n, i, g.Lw * g.A);
            for (size_t j = 0; j < out.size(); ++j) {
              moments[j].add_rows(k, index, ref[j].narrow(0, 0, n).to(torch::kCPU), out[j].narrow(0, 0, n).to(torch::kCPU));
            }
          },
          [&](int64_t edits_done, int64_t) {
            done = before + edits_done;
            if (opts.predict.progress) opts.predict.progress(done, total);
          });
    }
  }
  IsmResult result;
  result.samples = mc.samples;
  result.output_names = structure.names;
  for (const auto& m : moments) {
    PairedMoments::Summary s = m.summary(mc.samples);
    for (at::Tensor* t : {&s.ref_mean, &s.ref_sd, &s.alt_mean, &s.alt_sd, &s.diff_mean, &s.diff_sd, &s.cov, &s.corr,
                          &s.p_diff_positive}) {
      *t = unflatten_slots(*t, g);
    }
    result.mc.push_back(s);
  }
  return result;
}

}  // namespace

IsmResult ism(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args, const IsmOptions& opts) {
  Geometry g = check_inputs(X, args, opts);
  return opts.mc.enabled() ? ism_monte_carlo(model, X, args, opts, g) : ism_deterministic(model, X, args, opts, g);
}

at::Tensor ism_difference(const at::Tensor& mutants, const at::Tensor& reference) {
  std::vector<int64_t> shape = {reference.size(0), 1, 1};
  for (int64_t d = 1; d < reference.dim(); ++d) shape.push_back(reference.size(d));
  return mutants - reference.reshape(shape);
}

at::Tensor ism_attribution(const at::Tensor& differences) {
  at::Tensor d = differences.dim() > 3 ? differences.flatten(3).sum(3) : differences;  // (N, Lw, A)
  d = d - d.mean(2, /*keepdim=*/true);
  return d.transpose(1, 2).contiguous();  // (N, A, Lw)
}

}  // namespace seqnn
