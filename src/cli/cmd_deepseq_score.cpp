// seqnn deepseq score: mutation effects as ELBO(mutant) - ELBO(wild type), and/or the
// independent-site baseline; Spearman rho against a column of the mutation CSV when asked.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "cli/common_options.h"
#include "cli/deepseq_common.h"
#include "seqnn/deepsequence/mutations.h"
#include "seqnn/deepsequence/weights.h"
#include "seqnn/training/metrics.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {
namespace {

struct ScoreArgs {
  CommonOptions common;
  std::string model, alignment, mutations, out, mutant_column = "mutant", spearman_column;
  int64_t samples = 2000;
  int64_t batch_size = 2048;
  bool independent = false;
  double pseudocount = 1.0;
};

struct MutationTable {
  std::vector<std::string> mutants;
  std::vector<double> measured;  // NaN when absent or not a number
};

MutationTable read_mutations(const std::string& path, const std::string& mutant_col, const std::string& value_col) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open the mutation CSV");
  std::string line;
  if (!std::getline(in, line)) fail(path, "empty file (expected a header line)");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = split(line, ',');
  auto column = [&](const std::string& name) -> int64_t {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int64_t>(i);
    }
    fail_at(path, 1, "no column '" + name + "' in the header");
  };
  const int64_t mi = column(mutant_col);
  const int64_t vi = value_col.empty() ? -1 : column(value_col);
  MutationTable t;
  for (int64_t ln = 2; std::getline(in, line); ++ln) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line.find('"') != std::string::npos) fail_at(path, ln, "quoted CSV fields are not supported");
    const std::vector<std::string> f = split(line, ',');
    if (f.size() != header.size()) {
      fail_at(path, ln, std::to_string(f.size()) + " fields, the header has " + std::to_string(header.size()));
    }
    t.mutants.push_back(f[static_cast<size_t>(mi)]);
    double v = std::nan("");
    if (vi >= 0) {
      char* end = nullptr;
      const std::string& s = f[static_cast<size_t>(vi)];
      v = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0') v = std::nan("");
    }
    t.measured.push_back(v);
  }
  if (t.mutants.empty()) fail(path, "no mutants");
  return t;
}

double spearman_of(const std::vector<double>& score, const std::vector<double>& measured, int64_t& used) {
  std::vector<double> s, m;
  for (size_t i = 0; i < score.size(); ++i) {
    if (std::isfinite(score[i]) && std::isfinite(measured[i])) {
      s.push_back(score[i]);
      m.push_back(measured[i]);
    }
  }
  used = static_cast<int64_t>(s.size());
  return spearman(s, m);
}

void run_score(const ScoreArgs& a) {
  keep_freed_memory();
  const std::string device = apply_common_options(a.common);
  if (a.model.empty() && !a.independent) throw Error("give --model, --independent or both");
  if (a.independent && a.alignment.empty()) throw Error("--independent needs --alignment");
  ds::Checkpoint ck;
  ds::FocusInfo focus;
  if (!a.model.empty()) {
    ck = ds::load_checkpoint(a.model);
    ck.model->to(torch::Device(device));
    focus = ck.focus;
  }
  std::unique_ptr<ds::IndependentSiteModel> site;
  if (!a.alignment.empty()) {
    ds::Alignment aln = ds::read_alignment(a.alignment);
    if (ck.model) {
      check_same_focus(ck.focus, aln);
    } else {
      focus = focus_of(aln, 0);
    }
    if (a.independent) {
      ds::WeightsOptions wo;
      wo.device = device;
      if (ck.model) wo.theta = ck.model->config().theta;
      at::Tensor codes = ds::encode_codes(aln.sequences);
      site = std::make_unique<ds::IndependentSiteModel>(codes, ds::sequence_weights(codes, wo), a.pseudocount);
    }
  }
  const MutationTable table = read_mutations(a.mutations, a.mutant_column, a.spearman_column);
  check_writable(a.out);
  std::vector<ds::Mutant> mutants;
  std::vector<std::string> seqs = {focus.sequence};  // wild type first
  int64_t skipped = 0;
  for (size_t i = 0; i < table.mutants.size(); ++i) {
    mutants.push_back(ds::parse_mutant(table.mutants[i], focus));
    if (mutants.back().ok()) {
      seqs.push_back(ds::apply_mutant(mutants.back(), focus.sequence));
    } else if (++skipped <= 5) {
      std::fprintf(stderr, "seqnn deepseq score: skipping %s:%zu %s: %s\n", a.mutations.c_str(), i + 2,
                   table.mutants[i].c_str(), mutants.back().problem.c_str());
    }
  }
  if (skipped > 5) std::fprintf(stderr, "seqnn deepseq score: ... %lld mutants skipped in all\n", static_cast<long long>(skipped));

  const size_t n = mutants.size();
  std::vector<double> vae(n, std::nan("")), ind(n, std::nan(""));
  ProgressBar bar("deepseq score", ck.model ? a.samples : 0, "samples", !a.common.quiet && ck.model);
  double elbo_secs = 0;
  if (ck.model) {
    ds::ElboOptions eo;
    eo.samples = a.samples;
    eo.batch_size = a.batch_size;
    eo.seed = a.common.seed;
    eo.progress = [&](int64_t d, int64_t) { bar.update(d); };
    at::Tensor elbo = ds::mean_elbo(*ck.model, seqs, eo);
    bar.finish();
    elbo_secs = bar.elapsed_seconds();
    const double* e = elbo.data_ptr<double>();
    for (size_t i = 0, k = 1; i < n; ++i) {
      if (mutants[i].ok()) vae[i] = e[k++] - e[0];
    }
  }
  if (site) {
    for (size_t i = 0; i < n; ++i) {
      if (mutants[i].ok()) ind[i] = site->score(mutants[i], focus.sequence);
    }
  }
  std::string text = "mutant";
  if (ck.model) text += ",deepseq";
  if (site) text += ",independent";
  text += ",note\n";
  for (size_t i = 0; i < n; ++i) {
    text += mutants[i].text;
    for (const auto* col : {ck.model ? &vae : nullptr, site ? &ind : nullptr}) {
      if (!col) continue;
      text += ",";
      if (mutants[i].ok()) append_number(text, (*col)[i]);
    }
    text += "," + mutants[i].problem + "\n";
  }
  AtomicFile file(a.out);
  file.write(text);
  file.commit();

  std::string rho;
  if (!a.spearman_column.empty()) {
    int64_t used = 0;
    char buf[160];
    if (ck.model) {
      const double r = spearman_of(vae, table.measured, used);
      std::snprintf(buf, sizeof buf, "; Spearman vs %s: deepseq %.4f (n=%lld)", a.spearman_column.c_str(), r, static_cast<long long>(used));
      rho += buf;
    }
    if (site) {
      const double r = spearman_of(ind, table.measured, used);
      std::snprintf(buf, sizeof buf, "%s independent %.4f (n=%lld)", rho.empty() ? ("; Spearman vs " + a.spearman_column + ":").c_str() : ",", r,
                    static_cast<long long>(used));
      rho += buf;
    }
  }
  const int64_t elbos = ck.model ? static_cast<int64_t>(seqs.size()) * a.samples : 0;
  std::fprintf(stderr, "seqnn deepseq score: %zu mutants, %lld scored, %lld skipped; %lld ELBOs in %.1f s (%.0f/s)%s -> %s\n", n,
               static_cast<long long>(n - skipped), static_cast<long long>(skipped), static_cast<long long>(elbos), elbo_secs,
               elbos / std::max(elbo_secs, 1e-9), rho.c_str(), a.out.c_str());
}

}  // namespace

void register_deepseq_score(CLI::App& deepseq) {
  auto a = std::make_shared<ScoreArgs>();
  auto* cmd = deepseq.add_subcommand("score", "score mutants: ELBO(mutant) - ELBO(wild type), and/or the independent-site model");
  cmd->add_option("--model,-m", a->model, "model from `seqnn deepseq train`");
  cmd->add_option("--alignment,-a", a->alignment, "the training alignment (checked against the model; needed by --independent)");
  cmd->add_option("--mutations", a->mutations, "CSV with a mutant column (A42G or A42G:C55T, UniProt positions)")->required();
  cmd->add_option("--out,-o", a->out, "output CSV: mutant, scores, note (why a mutant was skipped)")->required();
  cmd->add_option("--samples", a->samples, "draws of (decoder weights, z) per ELBO")->capture_default_str();
  cmd->add_option("--batch-size", a->batch_size, "sequences per forward pass")->capture_default_str();
  cmd->add_option("--mutant-column", a->mutant_column, "name of the mutant column")->capture_default_str();
  cmd->add_option("--spearman", a->spearman_column, "report Spearman rho against this column");
  cmd->add_flag("--independent", a->independent, "also score with the independent-site model");
  cmd->add_option("--pseudocount", a->pseudocount, "independent-site pseudocount (effective sequences)")->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_score(*a); });
}

}  // namespace seqnn::cli
