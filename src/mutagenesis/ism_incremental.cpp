// ISM through the incremental engine: the model's op graph, one reference pass per chunk of
// sequences (checked against the model's own forward pass on the first chunk), then batches of
// mutants from any sequence of the chunk. With an engine cache, the graph analysed and checked
// by an earlier call serves the later ones.
#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "mutagenesis/incremental_check.h"
#include "mutagenesis/ism_edits.h"
#include "mutagenesis/ism_incremental.h"
#include "seqnn/inference/batch_runner.h"
#include "seqnn/models/op_graph.h"
#include "seqnn/mutagenesis/incremental_ism.h"
#include "seqnn/util/error.h"

namespace seqnn {
using namespace ism_detail;
namespace {

// Sequences whose reference values are held at once.
constexpr int64_t kReferenceChunk = 16;

struct ChunkEdit {
  int64_t row;  // sequence within the chunk
  Edit edit;
};

std::vector<at::Tensor> chunk_args(const std::vector<at::Tensor>& args, int64_t first, int64_t n) {
  std::vector<at::Tensor> out;
  for (const auto& a : args) out.push_back(a.narrow(0, first, n));
  return out;
}

// What an analysed graph depends on: the model, and every input's shape past the batch dimension,
// dtype and device (the graph itself does not depend on the number of rows).
std::string cache_key(const Model& model, const ModelBatch& sample) {
  std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(&model));
  std::vector<at::Tensor> inputs{sample.x};
  inputs.insert(inputs.end(), sample.args.begin(), sample.args.end());
  for (const auto& t : inputs) {
    key += "|" + std::string(c10::toString(t.scalar_type())) + "@" + t.device().str();
    for (int64_t d = 1; d < t.dim(); ++d) key += "," + std::to_string(t.size(d));
  }
  return key;
}

}  // namespace

struct IsmEngineCache {
  std::string key;
  std::unique_ptr<IncrementalEngine> engine;
  bool checked = false;  // the graph reproduced the model's own forward pass
  ModelOutput layout;    // the model's output kind and names (no tensors)
  std::string why_not;   // the engine cannot run this model
};

std::shared_ptr<IsmEngineCache> make_ism_engine_cache() { return std::make_shared<IsmEngineCache>(); }

std::optional<IsmResult> ism_incremental(Model& model, const at::Tensor& X, const std::vector<at::Tensor>& args,
                                         const IsmOptions& opts, const Geometry& g, std::string& why_not) {
  BatchRunner runner(model, opts.predict);
  const int64_t first_rows = std::min<int64_t>(g.N, kReferenceChunk);
  ModelBatch first = runner.prepare(X.narrow(0, 0, first_rows), chunk_args(args, 0, first_rows));
  IsmEngineCache one_call;
  IsmEngineCache& cache = opts.engine_cache ? *opts.engine_cache : one_call;
  const std::string key = cache_key(model, first);
  if (cache.key != key) {
    cache = IsmEngineCache();
    cache.key = key;
    std::optional<OpGraph> graph = incremental::model_op_graph(model, first, cache.why_not);
    if (graph) cache.engine = std::make_unique<IncrementalEngine>(std::move(*graph));
  }
  why_not = cache.why_not;
  if (!cache.engine) return std::nullopt;
  IncrementalEngine& engine = *cache.engine;
  IsmResult result;
  result.engine = IsmEngine::kIncremental;
  std::vector<ModelOutput> references;
  std::vector<std::vector<at::Tensor>> chunks;  // per chunk, per output
  const int64_t total = count_edits(X, g);
  int64_t done = 0;
  for (int64_t c0 = 0; c0 < g.N; c0 += kReferenceChunk) {
    const int64_t rows = std::min(kReferenceChunk, g.N - c0);
    ModelBatch batch = runner.prepare(X.narrow(0, c0, rows), chunk_args(args, c0, rows));
    std::vector<at::Tensor> graph_out = engine.set_reference(batch.x, batch.args);
    result.reference_bytes = std::max(result.reference_bytes, engine.reference_bytes());
    // The model's own pass runs once, on the first chunk, to check the graph; after that the
    // graph's reference outputs are the reference.
    if (!cache.checked) {
      const ModelOutput own = runner.forward(batch);
      why_not = incremental::graph_disagreement(own, graph_out);
      if (!why_not.empty()) {
        cache.why_not = why_not;
        cache.engine.reset();
        return std::nullopt;
      }
      cache.layout = own.with({});
      cache.checked = true;
    }
    const ModelOutput reference = cache.layout.with(graph_out);
    ModelOutput selected = select_targets(reference, opts.targets);
    ModelOutput on_cpu = selected.with({});
    for (const auto& t : selected.tensors) on_cpu.tensors.push_back(t.to(torch::kCPU));
    references.push_back(on_cpu);
    std::vector<ChunkEdit> edits;
    for (int64_t r = 0; r < rows; ++r) {
      for (const Edit& e : substitutions(X[c0 + r].to(torch::kInt8).contiguous(), g.start, g.end)) edits.push_back({r, e});
    }
    std::vector<at::Tensor> chunk_slots;
    {
      Geometry cg = g;
      cg.N = rows;
      chunk_slots = reference_slots(on_cpu, cg);
    }
    for_each_batch(
        static_cast<int64_t>(edits.size()), opts.predict.batch_size,
        [&](int64_t start, int64_t n) {
          std::vector<int64_t> row, position, channel, slot;
          for (int64_t k = start; k < start + n; ++k) {
            const ChunkEdit& ce = edits[static_cast<size_t>(k)];
            row.push_back(ce.row);
            position.push_back(ce.edit.position);
            channel.push_back(ce.edit.channel);
            slot.push_back(ce.row * g.Lw * g.A + ce.edit.slot);
          }
          ModelOutput out = select_targets(reference.with(engine.mutants(row, position, channel)), opts.targets);
          at::Tensor index = torch::tensor(slot, torch::kLong);
          for (size_t j = 0; j < out.size(); ++j) {
            chunk_slots[j].index_copy_(0, index, out[j].to(torch::kCPU).reshape({n, -1}).to(chunk_slots[j].scalar_type()));
          }
        },
        [&](int64_t edits_done, int64_t) {
          if (opts.predict.progress) opts.predict.progress(done + edits_done, total);
        });
    done += static_cast<int64_t>(edits.size());
    chunks.push_back(std::move(chunk_slots));
  }
  std::vector<at::Tensor> slots;
  for (size_t j = 0; j < chunks[0].size(); ++j) {
    std::vector<at::Tensor> parts;
    for (const auto& c : chunks) parts.push_back(c[j]);
    slots.push_back(torch::cat(parts));
  }
  result.reference = concat_outputs(references);
  result.mutants = result.reference.with(shape_slots(slots, result.reference, g));
  result.output_names = result.reference.names;
  return result;
}

}  // namespace seqnn
