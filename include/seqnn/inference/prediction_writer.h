#pragma once
// Streaming prediction output. Rows arrive batch by batch and are written at once, so memory does
// not grow with the number of sequences. Files are written under a ".partial" name and renamed
// on close(): a run that fails leaves no file that looks complete.
//
// Formats, chosen by the output file's extension:
//   .tsv  one row per sequence: the row-identity columns (e.g. name, chrom, start, end, padded)
//         then one column per output value. Column names come from the model's output names when
//         it has them, else "<output>.<index>".
//   .npy  one array per model output: OUT.npy for a single-output model, OUT.<name>.npy for each
//         output otherwise, with the rows in input order; the row identities go to OUT.rows.tsv.
#include <memory>
#include <string>
#include <vector>

#include "seqnn/models/model_output.h"
#include "seqnn/sequence/row_labels.h"

namespace seqnn {

class PredictionWriter {
 public:
  virtual ~PredictionWriter() = default;
  // rows.rows.size() must equal the leading size of every tensor in out.
  virtual void write(const RowLabels& rows, const ModelOutput& out) = 0;
  virtual void close() = 0;
  virtual std::vector<std::string> files() const = 0;  // what close() produced
};

// Picks the format from the extension of path (.tsv, .npy). output_names: optional names of the
// columns of a single-output model.
std::unique_ptr<PredictionWriter> make_prediction_writer(const std::string& path,
                                                         std::vector<std::string> output_names = {});

}  // namespace seqnn
