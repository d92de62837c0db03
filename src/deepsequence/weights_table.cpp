#include "seqnn/deepsequence/weights_table.h"

#include <ATen/ATen.h>

#include <chrono>

#include "seqnn/deepsequence/alignment.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn::ds {

WeightsTableResult write_weights_table(const WeightsTableOptions& o) {
  ProgressBar bar("deepseq weights", 2, "stage", o.progress);
  const Alignment aln = read_alignment(o.alignment);
  bar.update(1);
  const auto t0 = std::chrono::steady_clock::now();
  const at::Tensor w = sequence_weights(encode_codes(aln.sequences), o.weights);
  WeightsTableResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  bar.update(2);
  bar.finish();
  std::string text = "name\tweight\n";
  const double* p = w.data_ptr<double>();
  for (int64_t i = 0; i < aln.size(); ++i) {
    text += aln.names[static_cast<size_t>(i)] + "\t";
    append_number(text, p[i]);
    text += "\n";
  }
  AtomicFile file(o.out);
  file.write(text);
  file.commit();
  r.records_read = aln.records_read;
  r.records_kept = aln.size();
  r.columns = aln.length();
  r.neff = w.sum().item<double>();
  return r;
}

}  // namespace seqnn::ds
