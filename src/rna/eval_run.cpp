#include "seqnn/rna/eval_run.h"

#include <cstdio>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn::rna {

std::string StructureEvaluation::to_tsv() const {
  std::string text = "id\tlength\ttrue_pairs\tpredicted_pairs\tcorrect\tprecision\trecall\tf1\n";
  for (const auto& r : rows) {
    const PairScores& s = r.scores;
    char buf[256];
    std::snprintf(buf, sizeof buf, "\t%lld\t%lld\t%lld\t%lld\t%.6f\t%.6f\t%.6f\n", static_cast<long long>(r.length),
                  static_cast<long long>(s.true_pairs), static_cast<long long>(s.predicted_pairs),
                  static_cast<long long>(s.correct), s.precision, s.recall, s.f1);
    text += r.id + buf;
  }
  return text;
}

StructureEvaluation score_structures(const std::vector<RnaRecord>& truth, const std::map<std::string, Structure>& predicted,
                                     const std::map<std::string, std::vector<Box>>* boxes, int64_t max_length,
                                     const std::function<void()>& tick) {
  StructureEvaluation e;
  e.has_boxes = boxes != nullptr;
  static const std::vector<Box> kNone;
  for (const auto& t : truth) {
    if (tick) tick();
    if (max_length > 0 && t.structure.length() > max_length) continue;
    auto p = predicted.find(t.id);
    if (p == predicted.end()) {
      ++e.missing;
      continue;
    }
    if (p->second.length() != t.structure.length()) {
      fail(t.where, "predicted structure of '" + t.id + "' has length " + std::to_string(p->second.length()) +
                        ", the true one " + std::to_string(t.structure.length()));
    }
    const PairScores s = pair_scores(t.structure, p->second);
    e.rows.push_back({t.id, t.structure.length(), s});
    e.mean_precision += s.precision;
    e.mean_recall += s.recall;
    e.mean_f1 += s.f1;
    if (boxes) {
      auto b = boxes->find(t.id);
      e.boxes.add(box_sensitivity(decompose(t.structure).boxes, b == boxes->end() ? kNone : b->second));
    }
  }
  const double n = static_cast<double>(e.rows.size());
  if (n > 0) {
    e.mean_precision /= n;
    e.mean_recall /= n;
    e.mean_f1 /= n;
  }
  return e;
}

namespace {

// A prediction scored against the structure of another sequence with the same id and length
// would get a meaningless F1: where both files carry the sequence, it must be the same.
void require_same_sequences(const std::vector<RnaRecord>& truth, const std::vector<RnaRecord>& predicted,
                            const std::string& truth_path) {
  std::map<std::string, const RnaRecord*> by_id;
  for (const auto& t : truth) by_id[t.id] = &t;
  for (const auto& p : predicted) {
    auto t = by_id.find(p.id);
    if (t == by_id.end() || p.sequence.empty() || t->second->sequence.empty() || p.sequence == t->second->sequence) continue;
    const std::string& want = t->second->sequence;
    size_t at = 0;
    while (at < p.sequence.size() && at < want.size() && p.sequence[at] == want[at]) ++at;
    fail(p.where, "sequence of '" + p.id + "' differs from the one in " + truth_path + " (first at position " +
                      std::to_string(at + 1) + ")");
  }
}

}  // namespace

StructureEvaluation evaluate_structure_files(const RnaEvalRunOptions& o) {
  const auto truth = read_rna_table(o.truth);
  std::map<std::string, Structure> pred;
  const std::vector<RnaRecord> predicted = read_structures(o.pred);
  for (const auto& r : predicted) pred[r.id] = r.structure;
  require_same_sequences(truth, predicted, o.truth);
  std::map<std::string, std::vector<Box>> boxes;
  if (!o.boxes.empty()) {
    for (auto& [id, b] : read_box_table(o.boxes)) boxes[id].push_back(b);
  }
  ProgressBar bar("rna eval", static_cast<int64_t>(truth.size()), "seq", o.progress);
  auto e = score_structures(truth, pred, o.boxes.empty() ? nullptr : &boxes, o.max_length, [&] { bar.advance(1); });
  bar.finish();
  if (e.rows.empty()) throw Error(o.pred + ": no predicted structure matches an id of " + o.truth);
  if (!o.out.empty()) {
    AtomicFile f(o.out);
    f.write(e.to_tsv());
    f.commit();
  }
  return e;
}

}  // namespace seqnn::rna
