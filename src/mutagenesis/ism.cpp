#include "seqnn/mutagenesis/ism.h"

#include <torch/torch.h>

#include "mutagenesis/ism_edits.h"
#include "mutagenesis/incremental_check.h"
#include "mutagenesis/ism_incremental.h"
#include "seqnn/mutagenesis/incremental_ism.h"
#include "seqnn/inference/batch_runner.h"
#include "seqnn/util/error.h"

namespace seqnn {
using namespace ism_detail;
namespace {
IsmResult ism_deterministic(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                            const IsmOptions& opts, const Geometry& g) {
  IsmResult result;
  PredictOptions ref_opts = opts.predict;
  ref_opts.progress = nullptr;
  result.reference = select_targets(predict(model, X, args, ref_opts), opts.targets);
  std::vector<at::Tensor> slots = reference_slots(result.reference, g);
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
  result.mutants = result.reference.with(shape_slots(slots, result.reference, g));
  result.output_names = result.reference.names;
  return result;
}

// The engine for Monte-Carlo passes: the model's graph with dropout sampled, checked against the
// model's own forward pass under the same seed; null (with why_not) when it cannot stand in.
std::unique_ptr<IncrementalEngine> mc_engine(Model& model, BatchRunner& runner, const ModelBatch& sample,
                                             const McOptions& mc, ModelOutput& layout, std::string& why_not) {
  std::optional<OpGraph> graph = incremental::model_op_graph(model, sample, why_not);
  if (!graph) return nullptr;
  auto engine = std::make_unique<IncrementalEngine>(std::move(*graph));
  seed_dropout(mc.seed, 1, 0);
  ModelOutput own = runner.forward(sample);
  layout = own.with({});
  seed_dropout(mc.seed, 1, 0);
  why_not = incremental::graph_disagreement(own, engine->set_reference(sample.x, sample.args, /*sample_dropout=*/true));
  return why_not.empty() ? std::move(engine) : nullptr;
}

IsmResult ism_monte_carlo(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                          const IsmOptions& opts, const Geometry& g) {
  const McOptions& mc = opts.mc;
  const int64_t B = opts.predict.batch_size;
  const int64_t total = count_edits(X, g) * mc.samples;
  const bool paired = mc.pairing == McPairing::kPaired;
  BatchRunner runner(model, opts.predict, DropoutSampling::kOn);
  IsmResult result;
  std::unique_ptr<IncrementalEngine> engine;
  ModelOutput layout;  // the model's output kind and names
  if (opts.engine != IsmEngine::kNaive) {
    engine = mc_engine(model, runner, runner.prepare(X[0].unsqueeze(0).expand({B, g.A, g.L}), args_for(args, 0, B)), mc,
                       layout, result.engine_note);
    if (!engine && opts.engine == IsmEngine::kIncremental) throw Error("incremental ISM cannot run: " + result.engine_note);
  }
  result.engine = engine ? IsmEngine::kIncremental : IsmEngine::kNaive;
  std::vector<PairedMoments> moments;
  ModelOutput structure;
  int64_t done = 0;
  for (int64_t k = 1; k <= mc.samples; ++k) {
    for (int64_t i = 0; i < g.N; ++i) {
      at::Tensor x = X[i].to(torch::kInt8).contiguous();
      std::vector<Edit> edits = substitutions(x, g.start, g.end);
      ModelBatch reference_batch = runner.prepare(x.unsqueeze(0).expand({B, g.A, g.L}), args_for(args, i, B));
      // The reference, B times: row r sees exactly the masks that row r of every mutant batch
      // of this sample sees (same seed, same shape) when pairing; its own masks otherwise. The
      // engine's reference pass draws the mutants' masks (stream 0), so with pairing it is the
      // reference itself.
      ModelOutput ref;
      if (engine) {
        seed_dropout(mc.seed, k, 0);
        std::vector<at::Tensor> base = engine->set_reference(reference_batch.x, reference_batch.args, true);
        if (paired) ref = select_targets(layout.with(base), opts.targets);
      }
      if (!paired || !engine) {
        seed_dropout(mc.seed, k, paired ? 0 : 1);
        ref = select_targets(runner.forward(reference_batch), opts.targets);
      }
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
      auto consume = [&](int64_t first, int64_t n, const ModelOutput& batch_out) {
        ModelOutput out = select_targets(batch_out, opts.targets);
        at::Tensor index = slot_rows(edits, static_cast<size_t>(first), n, i, g.Lw * g.A);
        for (size_t j = 0; j < out.size(); ++j) {
          moments[j].add_rows(k, index, ref[j].narrow(0, 0, n).to(torch::kCPU), out[j].narrow(0, 0, n).to(torch::kCPU));
        }
      };
      auto progress = [&](int64_t edits_done, int64_t) {
        done = before + edits_done;
        if (opts.predict.progress) opts.predict.progress(done, total);
      };
      if (engine) {
        for_each_batch(
            static_cast<int64_t>(edits.size()), B,
            [&](int64_t first, int64_t n) {
              std::vector<int64_t> rows, position, channel;
              for (int64_t r = 0; r < n; ++r) {
                const Edit& e = edits[static_cast<size_t>(first + r)];
                rows.push_back(r);  // mutant r of the batch shares reference row r's masks
                position.push_back(e.position);
                channel.push_back(e.channel);
              }
              consume(first, n, ref.with(engine->mutants(rows, position, channel)));
            },
            progress);
        continue;
      }
      runner.run(
          static_cast<int64_t>(edits.size()), B,
          [&](int64_t first, int64_t n) {
            // Padded to B rows so every batch has the reference's shape (and masks).
            ModelBatch batch{build_mutants(x, edits, static_cast<size_t>(first), n, B), reference_batch.args};
            seed_dropout(mc.seed, k, 0);
            return batch;
          },
          consume, progress);
    }
  }
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

const std::vector<EnumName<IsmEngine>>& ism_engine_names() {
  static const std::vector<EnumName<IsmEngine>> names = {
      {IsmEngine::kAuto, "auto"}, {IsmEngine::kIncremental, "incremental"}, {IsmEngine::kNaive, "naive"}};
  return names;
}

IsmResult ism(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args, const IsmOptions& opts) {
  Geometry g = check_inputs(X, args, opts);
  if (opts.mc.enabled()) return ism_monte_carlo(model, X, args, opts, g);
  std::string why_not;
  if (opts.engine != IsmEngine::kNaive) {
    if (auto result = ism_incremental(model, X, args, opts, g, why_not)) return std::move(*result);
    if (opts.engine == IsmEngine::kIncremental) throw Error("incremental ISM cannot run: " + why_not);
  }
  IsmResult result = ism_deterministic(model, X, args, opts, g);
  result.engine_note = why_not;
  return result;
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
