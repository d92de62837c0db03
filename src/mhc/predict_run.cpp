#include "seqnn/mhc/predict_run.h"

#include <torch/torch.h>

#include <cstdio>
#include <iostream>
#include <istream>

#include "seqnn/mhc/pan_model.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/table.h"

namespace seqnn::mhc {

namespace {

std::string trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

void add_peptide(std::vector<std::string>& out, const std::string& line, const std::string& where,
                 std::vector<std::string>* wheres) {
  const std::string p = trimmed(line);
  if (p.empty() || p[0] == '#') return;
  out.push_back(to_upper(p));
  if (wheres) wheres->push_back(where);
}

// Peptides and "file:line" of each.
std::vector<std::string> read_peptide_lines(const std::string& path, std::vector<std::string>* wheres) {
  std::vector<std::string> out;
  std::string line;
  if (path == "-") {
    for (int64_t n = 1; std::getline(std::cin, line); ++n) add_peptide(out, line, "stdin:" + std::to_string(n), wheres);
  } else {
    TextLineReader lines(path, "peptide list");
    while (lines.next(line)) add_peptide(out, line, path + ":" + std::to_string(lines.line_number()), wheres);
  }
  if (out.empty()) fail(path == "-" ? "stdin" : path, "no peptides");
  return out;
}

std::string fixed(double v, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::vector<std::string> read_peptides(const std::string& path) { return read_peptide_lines(path, nullptr); }

MhcPredictResult run_mhc_predict(const MhcPredictOptions& o) {
  if (o.alleles.empty()) throw Error("--alleles: give at least one allele");
  Model model = Model::load(o.model);
  PanMetadata meta = pan_metadata(model);
  if (!o.pseudo_sequences.empty()) meta.pseudo = PseudoSequences::read(o.pseudo_sequences);
  std::vector<std::string> seqs, names;
  for (const std::string& a : o.alleles) {
    seqs.push_back(meta.pseudo.require(a, "--alleles"));
    names.push_back(display_allele(a));
  }
  std::vector<std::string> wheres;
  const std::vector<std::string> peptides = read_peptide_lines(o.peptides, &wheres);
  for (size_t i = 0; i < peptides.size(); ++i) check_peptide(peptides[i], meta, wheres[i]);

  MhcPredictResult r;
  std::vector<std::string> uncalibrated;
  for (const std::string& a : o.alleles) {
    if (!stored_calibration(meta, a)) uncalibrated.push_back(a);
  }
  PredictOptions p;
  p.batch_size = o.batch_size;
  p.device = o.device;
  if (meta.calibration.peptides > 0 && !uncalibrated.empty()) {
    ProgressBar bar("calibrating " + std::to_string(uncalibrated.size()) + " allele(s)", 0, "pairs", o.progress);
    p.progress = [&bar](int64_t done, int64_t total) {
      bar.set_total(total);
      bar.update(done);
    };
    calibrate_alleles(model, meta, uncalibrated, p);
    bar.finish();
    r.calibrated_now = static_cast<int64_t>(uncalibrated.size());
  }
  ProgressBar bar("predicting", static_cast<int64_t>(peptides.size() * seqs.size()), "pairs", o.progress);
  p.progress = [&bar](int64_t done, int64_t) { bar.update(done); };
  const at::Tensor y = predict_pan(model, peptides, seqs, p).contiguous();
  bar.finish();
  const double* values = y.data_ptr<double>();
  std::string out = "allele\tpeptide\tic50_nM\tpercentile_rank\n";
  for (size_t a = 0; a < o.alleles.size(); ++a) {
    const std::vector<double>* q = stored_calibration(meta, o.alleles[a]);
    for (size_t i = 0; i < peptides.size(); ++i) {
      const double v = values[i * o.alleles.size() + a];
      out += join({names[a], peptides[i], fixed(ic50_of_target(v), "%.2f"), q ? fixed(percentile_rank(*q, v), "%.3f") : "nan"}) +
             "\n";
    }
  }
  AtomicFile file(o.out);
  file.write(out);
  file.commit();
  r.peptides = static_cast<int64_t>(peptides.size());
  r.alleles = static_cast<int64_t>(o.alleles.size());
  r.rows = r.peptides * r.alleles;
  return r;
}

}  // namespace seqnn::mhc
