#include "seqnn/attribution/seqlets_run.h"

#include "seqnn/attribution/logo.h"

#include <ATen/ATen.h>

#include <cctype>
#include <cstdio>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

std::string seqlet_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::vector<FastaRecord> read_map_fasta(const std::string& path, int64_t n, int64_t l) {
  std::vector<FastaRecord> out;
  FastaReader reader(path);
  FastaRecord r;
  while (reader.next(r)) {
    if (static_cast<int64_t>(r.sequence.size()) != l) {
      fail_at(path, r.line, "record " + r.name + " has " + std::to_string(r.sequence.size()) + " letters but the maps have " +
                                std::to_string(l) + " positions");
    }
    out.push_back(r);
  }
  if (static_cast<int64_t>(out.size()) != n) {
    fail(path, "has " + std::to_string(out.size()) + " records but the attribution file has " + std::to_string(n) + " maps");
  }
  return out;
}

std::string seqlet_letters(const SeqletRequest& r, const std::vector<FastaRecord>& records, int64_t rows) {
  std::string name = r.alphabet;
  if (name.empty()) {
    name = "dna";
    for (const auto& rec : records) {
      if (rec.sequence.find_first_of("Uu") != std::string::npos) {
        name = "rna";
        break;
      }
    }
  }
  const Alphabet alphabet = Alphabet::from_name(name);
  if (alphabet.size() != rows) {
    fail(r.attributions, "maps have " + std::to_string(rows) + " rows per position but the " + name + " alphabet has " +
                             std::to_string(alphabet.size()) + " letters");
  }
  return alphabet.letters();
}

// Motif letters against the seqlets' letters: equal, or DNA against RNA (U read as T).
std::string compare_letters(const std::string& motif_letters, const std::string& letters, const std::string& path) {
  if (motif_letters == letters) return "";
  if ((motif_letters == "ACGT" && letters == "ACGU") || (motif_letters == "ACGU" && letters == "ACGT")) {
    return "the seqlets' alphabet " + letters + " is compared with the motifs' " + motif_letters + " (U read as T)";
  }
  fail(path, "motif alphabet " + motif_letters + " does not match the seqlets' alphabet " + letters);
}

// The report: one row per pattern, its information-content logo and, with motifs, its best
// match's (on the matched strand) with the match's statistics in the title.
void write_pattern_logos(const std::string& path, const std::vector<SeqletPattern>& patterns, const std::string& letters,
                         const MotifFile& motifs, const std::vector<TomtomMatch>& best) {
  std::vector<std::vector<LogoPanel>> rows;
  for (size_t p = 0; p < patterns.size(); ++p) {
    const SeqletPattern& pat = patterns[p];
    LogoPanel mine;
    mine.map = information_content_map(pat.matrix.columns);
    mine.options.letters = letters;
    mine.options.y_label = "bits";
    mine.options.pixels_per_position = 20;
    mine.options.plot_height = 90;
    mine.options.title = pat.matrix.id + " " + pat.consensus + " (" + std::to_string(pat.members.size()) + " seqlets)";
    std::vector<LogoPanel> row = {mine};
    if (!motifs.motifs.empty()) {
      const TomtomMatch& b = best[p];
      const Motif& target = motifs.motifs[static_cast<size_t>(b.target)];
      const Motif shown = b.reverse ? reverse_complement(target) : target;
      LogoPanel match = mine;
      match.map = information_content_map(shown.columns);
      match.options.letters = motifs.letters;
      char stats[96];
      std::snprintf(stats, sizeof stats, " (%s, offset %lld, p %.2g, q %.2g)", b.reverse ? "-" : "+", static_cast<long long>(b.offset),
                    b.p_value, b.q_value);
      match.options.title = "best match " + target.id + (target.name.empty() ? "" : " " + target.name) + stats;
      row.push_back(match);
    }
    rows.push_back(std::move(row));
  }
  AtomicFile out(path);
  out.write(render_logo_grid_svg(rows, std::to_string(patterns.size()) + " seqlet patterns"));
  out.commit();
}

}  // namespace

std::string seqlet_output_stem(const std::string& out) { return ends_with(out, ".tsv") ? out.substr(0, out.size() - 4) : out; }

SeqletRunResult call_seqlets_file(const SeqletRequest& request) {
  if (!request.motifs.empty() && request.fasta.empty()) throw Error("--motifs needs --fasta (patterns are made from the seqlets' letters)");
  if (!request.logos.empty() && request.fasta.empty()) throw Error("--logos needs --fasta (patterns are made from the seqlets' letters)");
  if (!request.logos.empty() && !ends_with(request.logos, ".svg")) throw Error("--logos " + request.logos + ": the report is an .svg file");
  OutputGroup outputs;  // every file of the run, or none
  const std::string stem = seqlet_output_stem(request.out);
  const bool with_patterns = !request.fasta.empty();
  check_writable(request.out);
  if (with_patterns) {
    check_writable(stem + ".patterns.tsv");
    check_writable(stem + ".patterns.meme");
  }
  if (!request.logos.empty()) check_writable(request.logos);
  MotifFile motifs;
  if (!request.motifs.empty()) motifs = read_meme(request.motifs);

  at::Tensor maps = load_npy(request.attributions);
  if (maps.dim() != 3) {
    fail(request.attributions, "attributions must have shape (N, A, L); this file has " + std::to_string(maps.dim()) + " dimensions");
  }
  maps = maps.to(at::kDouble).contiguous();
  const int64_t n = maps.size(0), rows = maps.size(1), l = maps.size(2);
  SeqletRunResult result;
  result.examples = n;
  result.positions = l;
  std::vector<FastaRecord> records;
  if (with_patterns) records = read_map_fasta(request.fasta, n, l);
  const std::string letters = with_patterns || !request.alphabet.empty() ? seqlet_letters(request, records, rows) : std::string();
  const bool dna = letters == "ACGT";

  // Projection.
  const double* m = maps.data_ptr<double>();
  std::vector<double> x(static_cast<size_t>(n * l), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < l; ++j) {
      double v = 0;
      if (with_patterns) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(records[static_cast<size_t>(i)].sequence[static_cast<size_t>(j)])));
        const auto a = letters.find(c);
        if (a != std::string::npos) v = m[(i * rows + static_cast<int64_t>(a)) * l + j];
      } else {
        for (int64_t a = 0; a < rows; ++a) v += m[(i * rows + a) * l + j];
      }
      x[static_cast<size_t>(i * l + j)] = v;
    }
  }
  const std::vector<Seqlet> seqlets = recursive_seqlets(x, n, l, request.seqlets);
  result.seqlets = static_cast<int64_t>(seqlets.size());

  std::vector<std::string> letters_of;
  for (const Seqlet& s : seqlets) {
    letters_of.push_back(with_patterns ? records[static_cast<size_t>(s.example)].sequence.substr(
                                             static_cast<size_t>(s.start), static_cast<size_t>(s.end - s.start))
                                       : std::string());
  }
  std::vector<SeqletPattern> patterns;
  std::vector<int64_t> pattern_of(seqlets.size(), -1);
  if (with_patterns) {
    PatternOptions po = request.patterns;
    po.both_strands = dna;
    std::vector<PatternInput> inputs;
    for (const Seqlet& q : seqlets) {
      const std::string& seq = records[static_cast<size_t>(q.example)].sequence;
      const int64_t from = std::max<int64_t>(0, q.start - request.pattern_context);
      const int64_t to = std::min<int64_t>(l, q.end + request.pattern_context);
      PatternInput in;
      in.letters = seq.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
      in.attribution.assign(x.begin() + q.example * l + from, x.begin() + q.example * l + to);
      in.core_start = q.start - from;
      in.core_end = q.end - from;
      inputs.push_back(std::move(in));
    }
    patterns = seqlet_patterns(inputs, letters, po);
    for (size_t p = 0; p < patterns.size(); ++p) {
      for (int64_t member : patterns[p].members) pattern_of[static_cast<size_t>(member)] = static_cast<int64_t>(p);
    }
  }

  {
    std::string text = "example_idx\tname\tstart\tend\tattribution\tp-value\tsequence\tpattern\n";
    for (size_t k = 0; k < seqlets.size(); ++k) {
      const Seqlet& s = seqlets[k];
      text += std::to_string(s.example) + "\t" + (with_patterns ? records[static_cast<size_t>(s.example)].name : ".") + "\t" +
              std::to_string(s.start) + "\t" + std::to_string(s.end) + "\t" + seqlet_number(s.attribution) + "\t" +
              seqlet_number(s.p_value) + "\t" + (with_patterns ? letters_of[k] : ".") + "\t" +
              (pattern_of[k] < 0 ? "." : patterns[static_cast<size_t>(pattern_of[k])].matrix.id) + "\n";
    }
    AtomicFile out(request.out);
    out.write(text);
    out.commit();
    result.files.push_back(request.out);
  }
  if (!with_patterns) {
    outputs.commit();
    return result;
  }

  // Each pattern against the motif file.
  std::vector<TomtomMatch> best(patterns.size());
  if (!motifs.motifs.empty()) {
    result.note = compare_letters(motifs.letters, letters, request.motifs);
    TomtomOptions to = request.tomtom;
    to.both_strands = dna && motifs.letters == "ACGT" && motifs.strands != "+";
    for (size_t p = 0; p < patterns.size(); ++p) {
      const auto all = tomtom(patterns[p].matrix, motifs.motifs, to);
      best[p] = all[0];
      for (const auto& match : all) {
        if (match.p_value < best[p].p_value || (match.p_value == best[p].p_value && match.score > best[p].score)) best[p] = match;
      }
    }
  }
  std::string text = "pattern\tseqlets\tfraction\tseed\tconsensus\twidth";
  if (!motifs.motifs.empty()) text += "\tmotif\tmotif_name\tmotif_consensus\toffset\tstrand\toverlap\tp-value\tE-value\tq-value";
  text += "\n";
  for (size_t p = 0; p < patterns.size(); ++p) {
    const SeqletPattern& pat = patterns[p];
    PatternSummary sum;
    sum.consensus = pat.consensus;
    sum.seqlets = static_cast<int64_t>(pat.members.size());
    text += pat.matrix.id + "\t" + std::to_string(pat.members.size()) + "\t" +
            seqlet_number(static_cast<double>(pat.members.size()) / static_cast<double>(std::max<size_t>(1, seqlets.size()))) + "\t" +
            pat.seed + "\t" + pat.consensus + "\t" + std::to_string(pat.matrix.width());
    if (!motifs.motifs.empty()) {
      const TomtomMatch& b = best[p];
      const Motif& target = motifs.motifs[static_cast<size_t>(b.target)];
      const Motif shown = b.reverse ? reverse_complement(target) : target;
      text += "\t" + target.id + "\t" + (target.name.empty() ? "." : target.name) + "\t" + motif_consensus(shown, motifs.letters) +
              "\t" + std::to_string(b.offset) + "\t" + (b.reverse ? "-" : "+") + "\t" + std::to_string(b.overlap) + "\t" +
              seqlet_number(b.p_value) + "\t" + seqlet_number(b.e_value) + "\t" + seqlet_number(b.q_value);
      sum.motif_id = target.id;
      sum.motif_name = target.name;
      sum.p_value = b.p_value;
      sum.q_value = b.q_value;
      sum.reverse = b.reverse;
      sum.offset = b.offset;
    }
    text += "\n";
    result.patterns.push_back(sum);
  }
  {
    AtomicFile out(stem + ".patterns.tsv");
    out.write(text);
    out.commit();
    result.files.push_back(stem + ".patterns.tsv");
  }
  MotifFile pwm;
  pwm.letters = letters;
  pwm.strands = dna ? "+ -" : "+";
  pwm.background.assign(letters.size(), 1.0 / static_cast<double>(letters.size()));
  for (const auto& pat : patterns) pwm.motifs.push_back(pat.matrix);
  if (!pwm.motifs.empty()) {
    write_meme(stem + ".patterns.meme", pwm);
    result.files.push_back(stem + ".patterns.meme");
  }
  if (!request.logos.empty()) {
    write_pattern_logos(request.logos, patterns, letters, motifs, best);
    result.files.push_back(request.logos);
  }
  outputs.commit();
  return result;
}

}  // namespace seqnn
