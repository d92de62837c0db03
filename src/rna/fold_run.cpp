#include "seqnn/rna/fold_run.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "seqnn/rna/evaluation.h"
#include "seqnn/rna/fold/eval.h"
#include "seqnn/rna/fold/fold.h"
#include "seqnn/rna/predict_run.h"
#include "seqnn/rna/rna_io.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn::rna {
namespace {

constexpr double kPairFileThreshold = 1e-3;

struct FoldJob {
  std::string id, sequence, given_structure;
  Structure known;  // compare: the known structure
  fold::FoldResult result;
  std::string centroid;
  int centroid_energy = 0;
  double centroid_distance = 0.0, diversity = 0.0;
  int mea_energy = 0;
  std::vector<int> sample_energies;
};

std::string fold_format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

// RNAfold's per-base symbol of the pair probabilities (. , | { } ( ) and :).
std::string probability_string(int n, const std::vector<fold::PairProbability>& pairs) {
  std::vector<double> up(static_cast<size_t>(n), 0.0), down(static_cast<size_t>(n), 0.0);
  for (const auto& p : pairs) {
    up[static_cast<size_t>(p.i)] += p.p;
    down[static_cast<size_t>(p.j)] += p.p;
  }
  std::string s(static_cast<size_t>(n), '.');
  for (size_t k = 0; k < s.size(); ++k) {
    const double u = up[k], d = down[k], free = std::max(0.0, 1.0 - u - d);
    char c;
    if (free > 0.667) c = '.';
    else if (u > 0.667) c = '(';
    else if (d > 0.667) c = ')';
    else if (u + d > free) c = u / (u + d) > 0.667 ? '{' : d / (u + d) > 0.667 ? '}' : '|';
    else if (free > u + d) c = ',';
    else c = ':';
    s[k] = c;
  }
  return s;
}

void finish_ensemble(FoldJob& job) {
  const auto& r = job.result;
  const int n = static_cast<int>(r.sequence.size());
  std::vector<int> pt(static_cast<size_t>(n), -1);
  double expected_pairs = 0.0, in_centroid = 0.0;
  int centroid_pairs = 0;
  for (const auto& p : r.pairs) {
    job.diversity += 2.0 * p.p * (1.0 - p.p);
    expected_pairs += p.p;
    if (p.p > 0.5) {
      pt[static_cast<size_t>(p.i)] = p.j;
      pt[static_cast<size_t>(p.j)] = p.i;
      in_centroid += p.p;
      ++centroid_pairs;
    }
  }
  job.centroid = fold::dot_bracket_from_partners(pt);
  job.centroid_energy = fold::structure_energy(fold::encode_sequence(r.sequence), pt);
  job.centroid_distance = expected_pairs + centroid_pairs - 2.0 * in_centroid;
}

void run_job(FoldJob& job, const RnaFoldRunOptions& o, uint64_t seed) {
  if (o.evaluate) {
    job.result.sequence = fold::encode_sequence(job.sequence).letters;
    job.result.mfe.structure = job.given_structure;
    job.result.mfe.energy = fold::evaluate_structure(job.sequence, job.given_structure).energy;
    return;
  }
  fold::FoldSettings s;
  s.options = o.fold;
  s.partition = o.partition;
  s.pair_threshold = 1e-5;
  s.samples = o.samples;
  s.seed = seed;
  s.mea = o.mea_gamma > 0;
  s.mea_gamma = o.mea_gamma;
  job.result = fold::fold_sequence(job.sequence, s);
  if (o.partition) finish_ensemble(job);
  if (s.mea) job.mea_energy = fold::structure_energy(fold::encode_sequence(job.result.sequence), fold::partners_from_dot_bracket(job.result.mea.structure));
  if (!job.result.samples.empty()) {
    const auto enc = fold::encode_sequence(job.sequence);
    for (const auto& db : job.result.samples) job.sample_energies.push_back(fold::structure_energy(enc, fold::partners_from_dot_bracket(db)));
  }
}

bool fold_ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<FoldJob> read_jobs(const RnaFoldRunOptions& o) {
  std::vector<FoldJob> jobs;
  if (o.evaluate) {
    for (auto& r : read_structures(o.fasta)) {
      const std::string db = r.structure.to_dot_bracket();
      if (db.find_first_not_of(".()") != std::string::npos) fail(r.where, "pseudoknotted structure: the energy model covers nested structures only");
      jobs.push_back({r.id, r.sequence, db, {}, {}, {}, 0, 0.0, 0.0, 0, {}});
    }
  } else if (o.compare) {  // known structures may hold pseudoknots: they only score the prediction
    for (auto& r : read_structures(o.fasta)) jobs.push_back({r.id, r.sequence, "", r.structure, {}, {}, 0, 0.0, 0.0, 0, {}});
  } else {
    for (auto& r : read_rna_fasta(o.fasta)) jobs.push_back({r.id, r.sequence, "", {}, {}, {}, 0, 0.0, 0.0, 0, {}});
  }
  return jobs;
}

}  // namespace

std::string fold_side_path(const std::string& out, const std::string& suffix) {
  const size_t dot = out.rfind('.');
  const size_t slash = out.rfind('/');
  const std::string stem = (dot == std::string::npos || (slash != std::string::npos && dot < slash)) ? out : out.substr(0, dot);
  return stem + "." + suffix + ".tsv";
}

std::string rnafold_energy(double kcal) { return fold_format(" (%6.2f)", kcal); }

RnaFoldRunResult fold_fasta_file(RnaFoldRunOptions o) {
  if (o.fold.max_span < 0) throw Error("--span must be >= 0");
  if (o.samples < 0) throw Error("--sample must be >= 0");
  if (!(o.mea_gamma >= 0)) throw Error("--mea must be >= 0");
  if (o.mea_gamma > 0) o.partition = true;  // as RNAfold --MEA, which implies -p
  if (o.evaluate && (o.partition || o.samples > 0)) throw Error("--eval takes no --partition, --sample or --mea");
  if (o.evaluate && o.compare) throw Error("--eval and --compare exclude each other (--compare folds, then scores against the known structure)");
  const bool tsv = fold_ends_with(o.out, ".tsv");
  RnaFoldRunResult res;
  if (o.partition) res.pairs_path = fold_side_path(o.out, "pairs");
  if (o.samples > 0) res.samples_path = fold_side_path(o.out, "samples");
  check_writable(o.out);
  if (!res.pairs_path.empty()) check_writable(res.pairs_path);
  if (!res.samples_path.empty()) check_writable(res.samples_path);
  std::vector<FoldJob> jobs = read_jobs(o);
  int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(jobs.size())));
  ProgressBar bar(o.evaluate ? "rna eval-energy" : "rna fold", static_cast<int64_t>(jobs.size()), "seq", o.progress);
  std::atomic<size_t> next{0};
  std::atomic<int64_t> done{0};
  std::mutex bar_mutex, error_mutex;
  std::string first_error;
  auto worker = [&] {
    for (size_t k = next++; k < jobs.size(); k = next++) {
      try {
        // Each sequence's samples depend only on --seed and its index: the same for any thread count.
        run_job(jobs[k], o, o.seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(k));
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = o.fasta + ": record '" + jobs[k].id + "': " + e.what();
        next = jobs.size();
      }
      std::lock_guard<std::mutex> lock(bar_mutex);
      bar.update(++done);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  bar.finish();
  if (!first_error.empty()) throw Error(first_error);
  res.seconds = bar.elapsed_seconds();

  AtomicFile out(o.out);
  if (tsv) {
    out.write(std::string("id\tsequence\tstructure\t") + (o.evaluate ? "energy" : "mfe") +
              (o.partition ? "\tensemble_energy\tmfe_probability\tcentroid\tdiversity" : "") +
              (o.mea_gamma > 0 ? "\tmea" : "") + (o.compare ? "\tknown_structure\tprecision\trecall\tf1" : "") +
              (o.compare && o.mea_gamma > 0 ? "\tmea_f1" : "") + "\n");
  }
  double sum = 0.0, f1_sum = 0.0, mea_f1_sum = 0.0;
  for (const auto& j : jobs) {
    const auto& r = j.result;
    sum += r.mfe.kcal();
    PairScores score, mea_score;
    if (o.compare) {
      score = pair_scores(j.known, Structure::from_dot_bracket(r.mfe.structure, j.id));
      f1_sum += score.f1;
      if (o.mea_gamma > 0) {
        mea_score = pair_scores(j.known, Structure::from_dot_bracket(r.mea.structure, j.id));
        mea_f1_sum += mea_score.f1;
      }
    }
    res.nucleotides += static_cast<int64_t>(r.sequence.size());
    if (tsv) {
      std::string row = j.id + "\t" + r.sequence + "\t" + r.mfe.structure + "\t" + fold_format("%.2f", r.mfe.kcal());
      if (o.partition) {
        row += "\t" + fold_format("%.4f", r.ensemble_energy) + "\t" + fold_format("%.6g", r.mfe_probability) + "\t" + j.centroid + "\t" +
               fold_format("%.4f", j.diversity);
      }
      if (o.mea_gamma > 0) row += "\t" + r.mea.structure;
      if (o.compare) {
        row += "\t" + j.known.to_dot_bracket() + "\t" + fold_format("%.4f", score.precision) + "\t" +
               fold_format("%.4f", score.recall) + "\t" + fold_format("%.4f", score.f1);
        if (o.mea_gamma > 0) row += "\t" + fold_format("%.4f", mea_score.f1);
      }
      out.write(row + "\n");
    } else {
      std::string rec = ">" + j.id + "\n" + r.sequence + "\n" + r.mfe.structure + rnafold_energy(r.mfe.kcal()) + "\n";
      if (o.partition) {
        rec += probability_string(static_cast<int>(r.sequence.size()), r.pairs) + fold_format(" [%6.2f]", r.ensemble_energy) + "\n";
        rec += j.centroid + fold_format(" {%6.2f", j.centroid_energy / 100.0) + fold_format(" d=%.2f}", j.centroid_distance) + "\n";
        if (o.mea_gamma > 0) rec += r.mea.structure + fold_format(" {%6.2f", j.mea_energy / 100.0) + fold_format(" MEA=%.2f}", r.mea.expected_accuracy) + "\n";
        rec += fold_format(" frequency of mfe structure in ensemble %g;", r.mfe_probability) + fold_format(" ensemble diversity %-6.2f", j.diversity) + "\n";
      }
      if (o.compare) rec += j.known.to_dot_bracket() + " known" + fold_format(" [F1 %.4f]", score.f1) + "\n";
      out.write(rec);
    }
  }
  out.commit();
  if (o.partition) {
    AtomicFile pairs(res.pairs_path);
    pairs.write("id\ti\tj\tprobability\n");
    for (const auto& j : jobs) {
      for (const auto& p : j.result.pairs) {
        if (p.p >= kPairFileThreshold) pairs.write(j.id + "\t" + std::to_string(p.i + 1) + "\t" + std::to_string(p.j + 1) + "\t" + fold_format("%.6g", p.p) + "\n");
      }
    }
    pairs.commit();
  }
  if (o.samples > 0) {
    AtomicFile samples(res.samples_path);
    samples.write("id\tsample\tstructure\tenergy\n");
    for (const auto& j : jobs) {
      for (size_t k = 0; k < j.result.samples.size(); ++k) {
        samples.write(j.id + "\t" + std::to_string(k + 1) + "\t" + j.result.samples[k] + "\t" + fold_format("%.2f", j.sample_energies[k] / 100.0) + "\n");
      }
    }
    samples.commit();
  }
  res.sequences = static_cast<int64_t>(jobs.size());
  res.mean_mfe = jobs.empty() ? 0.0 : sum / static_cast<double>(jobs.size());
  res.mean_f1 = jobs.empty() ? 0.0 : f1_sum / static_cast<double>(jobs.size());
  res.mean_mea_f1 = jobs.empty() ? 0.0 : mea_f1_sum / static_cast<double>(jobs.size());
  return res;
}

}  // namespace seqnn::rna
