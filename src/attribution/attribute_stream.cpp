#include "seqnn/attribution/attribute_stream.h"

#include <torch/torch.h>

#include <algorithm>
#include <memory>

#include "seqnn/inference/output_columns.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/atomic_file.h"

namespace seqnn {

AttributionStreamResult attribute_stream(Model& model, SequenceSource& source, const AttributionStreamOptions& opts) {
  OutputGroup outputs;  // all of the run's files, or none of them
  if (opts.chunk <= 0) throw Error("--chunk must be positive");
  const ModelInfo info = model.info();
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  AttributionOptions a = opts.attribution;
  a.targets = resolve_target_columns(opts.targets, info.output_names);
  const bool needs_refs = a.method == AttributionMethod::kIntegratedGradients || a.method == AttributionMethod::kDeepLiftShap;
  if (needs_refs) a.references = parse_references(opts.references, opts.attribution.references.seed, info.alphabet);
  ModelStateGuard placement(model, a.predict.device, a.predict.dtype);  // placed once for every chunk
  a.predict.device.clear();
  a.predict.dtype.reset();

  ChunkEncodeOptions lengths;
  lengths.length = info.input_length.value_or(0);
  lengths.hint = "attribute needs one length";
  AttributionStreamResult result;
  ProgressBar bar("attribute", source.total(), "seq", opts.show_progress);
  std::unique_ptr<NpyWriter> writer;
  SequenceChunk chunk;
  while (source.next(opts.chunk, chunk)) {
    at::Tensor x = one_hot_encode_chunk(chunk.sequences, alphabet, lengths, chunk.where);
    if (lengths.length <= 0) {
      lengths.length = x.size(2);
      lengths.length_name = "the first sequence's length";
    }
    if (!writer) writer = std::make_unique<NpyWriter>(opts.out, at::kFloat, std::vector<int64_t>{x.size(1), x.size(2)});
    const int64_t base = result.sequences, n = x.size(0);
    a.references.first_index = base;
    a.predict.progress = [&bar, base, n](int64_t done, int64_t total) {
      bar.update(base + (total > 0 ? done * n / total : n));
    };
    AttributionResult r = attribute(model, x, {}, a);
    writer->append(r.attributions);
    result.sequences += n;
    result.forward_rows += r.forward_rows;
    result.output_name = r.output_name;
    if (r.deltas.defined()) {
      result.has_deltas = true;
      result.max_abs_delta = std::max(result.max_abs_delta, r.max_abs_delta);
    }
    if (result.warning.empty()) result.warning = r.warning;
    bar.update(result.sequences);
  }
  if (result.sequences == 0) throw Error(opts.input_name + ": no sequences");
  writer->close();
  result.file = writer->path();
  bar.finish();
  result.seconds = bar.elapsed_seconds();
  outputs.commit();
  return result;
}

}  // namespace seqnn
