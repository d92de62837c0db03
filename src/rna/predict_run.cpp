#include "seqnn/rna/predict_run.h"

#include <torch/torch.h>

#include <cctype>
#include <map>

#include "seqnn/models/shipped_models.h"
#include "seqnn/rna/evaluation.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/png.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/atomic_file.h"

namespace seqnn::rna {
namespace {

std::map<std::string, Structure> read_truth(const std::string& path) {
  std::map<std::string, Structure> truth;
  if (path.empty()) return truth;
  for (auto& r : read_structures(path)) truth[r.id] = r.structure;
  return truth;
}

void write_pictures(const std::string& dir, const std::vector<RnaPrediction>& preds,
                    const std::map<std::string, Structure>& truth) {
  ensure_directory(dir);
  for (const auto& p : preds) {
    auto t = truth.find(p.id);
    write_png(dir + "/" + picture_file_name(p.id) + ".png", draw_pairing_map(p, t == truth.end() ? Structure() : t->second));
  }
}

}  // namespace

std::vector<RnaRecord> read_rna_fasta(const std::string& path) {
  FastaReader reader(path);
  FastaRecord rec;
  std::vector<RnaRecord> out;
  while (reader.next(rec)) {
    RnaRecord r;
    r.where = path + ":" + std::to_string(rec.line);
    r.id = rec.name;
    r.sequence = normalise_rna(rec.sequence, r.where);
    out.push_back(std::move(r));
  }
  if (out.empty()) fail(path, "no sequences");
  return out;
}

std::string boxes_table_path(const std::string& out) {
  const size_t dot = out.rfind('.');
  const size_t slash = out.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return out + ".boxes.tsv";
  return out.substr(0, dot) + ".boxes.tsv";  // a table, whatever the structures' format
}

std::string picture_file_name(const std::string& id) {
  std::string s = id;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return s;
}

RnaPredictRunResult predict_structure_files(const RnaPredictRunOptions& o) {
  OutputGroup outputs;  // all of the run's files, or none of them
  const auto records = read_rna_fasta(o.fasta);
  const auto truth = read_truth(o.truth);
  const StructureFormat format = o.format.empty() ? structure_format_for_path(o.out) : parse_structure_format(o.format);
  S1Model model = S1Model::load(resolve_model_path(o.model.empty() ? kDefaultRnaModel : o.model));
  model.to(at::Device(o.device));
  ProgressBar bar("rna predict", static_cast<int64_t>(records.size()), "seq", o.progress);
  PredictStructureOptions opts = o.predict;
  opts.progress = [&](int64_t done) { bar.update(done); };
  const auto preds = predict_structures(model, records, opts);
  bar.finish();
  RnaPredictRunResult r;
  r.seconds = bar.elapsed_seconds();
  r.boxes_path = boxes_table_path(o.out);
  write_predictions(o.out, r.boxes_path, preds, format);
  if (!o.png_dir.empty()) write_pictures(o.png_dir, preds, truth);
  double f1 = 0.0;
  for (const auto& p : preds) {
    r.pairs += p.structure.num_pairs();
    r.boxes += static_cast<int64_t>(p.boxes.size());
    auto t = truth.find(p.id);
    if (t != truth.end() && t->second.length() == p.structure.length()) {
      f1 += pair_scores(t->second, p.structure).f1;
      ++r.scored;
    }
  }
  r.sequences = static_cast<int64_t>(preds.size());
  r.mean_f1 = r.scored > 0 ? f1 / static_cast<double>(r.scored) : 0.0;
  outputs.commit();
  return r;
}

}  // namespace seqnn::rna
