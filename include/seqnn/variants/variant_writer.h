#pragma once
// Streaming output of variant scores, chosen by the output's extension:
//   .tsv               one row per scored variant: chrom pos id ref alt padded, then one column
//                      per (score, task) named "<score>.<task>", then with MC dropout one per
//                      (statistic, task) named "<statistic>.<task>" (mc_statistic_names()).
//   .vcf / .vcf.gz     the input header plus one ##INFO line per field, then one record per ALT
//                      (multi-allelic records come out split) with the input's QUAL, FILTER and
//                      INFO followed by SEQNN_<score>_<task>=... fields (task names sanitised to
//                      [A-Za-z0-9_.]). .vcf.gz is bgzip-compressed, with its CSI index
//                      (<file>.csi) beside it when the records are sorted.
//   .npy               OUT.<score>.npy and OUT.<statistic>.npy arrays (variants, tasks) and the
//                      variant identities in OUT.rows.tsv.
// Rows are written as chunks arrive, to "<file>.partial"; close() renames. A run that stops
// early leaves only .partial files.
#include <memory>
#include <string>
#include <vector>

#include "seqnn/variants/variant_scoring.h"

namespace seqnn {

struct VariantOutputLayout {
  std::vector<std::string> scores;      // score names
  std::vector<std::string> tasks;       // task names
  bool mc = false;                      // MC statistics present
  std::string vcf_header;               // input VCF header text (for VCF output)
};

class VariantWriter {
 public:
  virtual ~VariantWriter() = default;
  virtual void write(const ScoredChunk& chunk) = 0;
  virtual void close() = 0;
  virtual std::vector<std::string> files() const = 0;  // after close(): what was written
  virtual std::string note() const { return ""; }        // after close(): e.g. why no index was written
};

std::unique_ptr<VariantWriter> make_variant_writer(const std::string& path, const VariantOutputLayout& layout);
// INFO key of a (score or statistic, task) pair in annotated VCF output.
std::string vcf_info_key(const std::string& score, const std::string& task);

}  // namespace seqnn
