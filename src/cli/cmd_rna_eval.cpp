// seqnn rna eval: base-pair precision / recall / F1 of predicted structures, and box sensitivity.
#include <cmath>
#include <cstdio>
#include <map>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/evaluation.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn::cli {
namespace {

struct RnaEvalArgs {
  CommonOptions common;
  std::string truth, pred, boxes, out;
  int64_t max_length = 0;
};

// Predicted structures by id: `seqnn rna predict` output (id, structure) or dot-bracket FASTA.
std::map<std::string, rna::Structure> read_predicted(const std::string& path) {
  std::map<std::string, rna::Structure> out;
  for (auto& r : rna::read_structures(path)) out[r.id] = r.structure;
  return out;
}

void run_rna_eval(const RnaEvalArgs& a) {
  apply_common_options(a.common);
  const auto truth = rna::read_rna_table(a.truth);
  const auto pred = read_predicted(a.pred);
  std::map<std::string, std::vector<rna::Box>> boxes;
  if (!a.boxes.empty()) {
    for (auto& [id, b] : rna::read_box_table(a.boxes)) boxes[id].push_back(b);
  }
  ProgressBar bar("rna eval", static_cast<int64_t>(truth.size()), "seq", !a.common.quiet);
  std::string rows = "id\tlength\ttrue_pairs\tpredicted_pairs\tcorrect\tprecision\trecall\tf1\n";
  double sp = 0, sr = 0, sf = 0;
  int64_t n = 0, missing = 0;
  rna::BoxSensitivity sens;
  for (const auto& t : truth) {
    bar.advance(1);
    if (a.max_length > 0 && t.structure.length() > a.max_length) continue;
    auto p = pred.find(t.id);
    if (p == pred.end()) {
      ++missing;
      continue;
    }
    if (p->second.length() != t.structure.length()) {
      fail(t.where, "predicted structure of '" + t.id + "' has length " + std::to_string(p->second.length()) + ", the true one " +
                        std::to_string(t.structure.length()));
    }
    const auto s = rna::pair_scores(t.structure, p->second);
    sp += s.precision;
    sr += s.recall;
    sf += s.f1;
    ++n;
    char buf[256];
    std::snprintf(buf, sizeof buf, "\t%lld\t%lld\t%lld\t%lld\t%.6f\t%.6f\t%.6f\n", static_cast<long long>(t.structure.length()),
                  static_cast<long long>(s.true_pairs), static_cast<long long>(s.predicted_pairs), static_cast<long long>(s.correct),
                  s.precision, s.recall, s.f1);
    rows += t.id + buf;
    if (!a.boxes.empty()) sens.add(rna::box_sensitivity(rna::decompose(t.structure).boxes, boxes[t.id]));
  }
  bar.finish();
  if (n == 0) throw Error(a.pred + ": no predicted structure matches an id of " + a.truth);
  if (!a.out.empty()) {
    AtomicFile f(a.out);
    f.write(rows);
    f.commit();
  }
  std::fprintf(stderr, "seqnn rna eval: %lld structures (%lld without a prediction skipped): mean precision %.4f, recall %.4f, F1 %.4f",
               static_cast<long long>(n), static_cast<long long>(missing), sp / n, sr / n, sf / n);
  if (!a.boxes.empty()) {
    std::fprintf(stderr, "; box sensitivity identical %.4f, overlapping %.4f (stem %.3f/%.3f, iloop %.3f/%.3f, hloop %.3f/%.3f)",
                 sens.identical_rate(), sens.overlapping_rate(), sens.identical_rate(0), sens.overlapping_rate(0),
                 sens.identical_rate(1), sens.overlapping_rate(1), sens.identical_rate(2), sens.overlapping_rate(2));
  }
  std::fprintf(stderr, "%s%s\n", a.out.empty() ? "" : " -> ", a.out.c_str());
}

}  // namespace

void register_rna_eval(CLI::App& rna) {
  auto a = std::make_shared<RnaEvalArgs>();
  auto* cmd = rna.add_subcommand("eval", "base-pair precision/recall/F1 and box sensitivity against known structures");
  cmd->add_option("--truth,-t", a->truth, "known structures: TSV/CSV with id, sequence, structure or base_pairs")->required();
  cmd->add_option("--pred,-p", a->pred, "predicted structures: `seqnn rna predict` TSV or dot-bracket FASTA (RNAfold output)")
      ->required();
  cmd->add_option("--boxes,-b", a->boxes, "box table from `seqnn rna predict` (<out>.boxes.tsv): box sensitivity");
  cmd->add_option("--out,-o", a->out, "per-sequence scores (.tsv)");
  cmd->add_option("--max-length", a->max_length, "score only structures up to this length (0 = all)")->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_rna_eval(*a); });
}

}  // namespace seqnn::cli
