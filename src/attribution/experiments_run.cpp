#include "seqnn/attribution/experiments_run.h"

#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <memory>

#include "seqnn/attribution/meme.h"
#include "seqnn/inference/output_columns.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/sequence_source.h"
#include "seqnn/sequence/shuffle.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/strings.h"

namespace seqnn {

int64_t MotifSpec::width() const { return letters.defined() ? letters.size(1) : static_cast<int64_t>(pwm.size()); }

at::Tensor MotifSpec::for_backgrounds(int64_t n, uint64_t seed, int64_t first) const {
  return letters.defined() ? letters : sample_pwm(pwm, n, seed, first);
}

MotifSpec parse_motif_spec(const std::string& spec, const Alphabet& alphabet, bool consensus) {
  MotifSpec m;
  const size_t colon = spec.rfind(':');
  if (colon == std::string::npos) {
    if (spec.empty()) throw Error("--motif: empty");
    check_sequence_letters(spec, alphabet, UnknownRule::kZero, "--motif " + spec);
    m.name = spec;
    m.letters = one_hot_encode(spec, alphabet);
    return m;
  }
  const std::string path = spec.substr(0, colon), id = spec.substr(colon + 1);
  const MotifFile file = read_meme(path);
  std::string letters = alphabet.letters();
  if (alphabet.has_gap()) letters.pop_back();
  // A DNA motif file serves an RNA model (T and U are one channel) and the other way round.
  auto same = [](std::string a, std::string b) {
    for (char& c : a) c = c == 'U' ? 'T' : c;
    for (char& c : b) c = c == 'U' ? 'T' : c;
    return a == b;
  };
  if (!same(file.letters, letters)) {
    throw Error("--motif " + spec + ": the file's alphabet " + file.letters + " is not the model's (" + letters + ")");
  }
  for (const Motif& motif : file.motifs) {
    if (motif.id != id && motif.name != id) continue;
    m.name = motif.id;
    m.pwm = motif.columns;
    if (consensus) {
      m.letters = one_hot_encode(motif_consensus(motif, letters), alphabet);
      m.pwm.clear();
    }
    return m;
  }
  throw Error("--motif " + spec + ": " + path + " has no motif with id or name '" + id + "'");
}

namespace {

// --backgrounds: 0 for the given sequences, or K for K dinucleotide shuffles of each (rows
// i*K ... i*K + K - 1).
int64_t parse_backgrounds(const std::string& spec) {
  if (spec == "given") return 0;
  if (spec.rfind("shuffle:", 0) == 0) {
    const std::string k = spec.substr(8);
    if (!k.empty() && k.size() <= 6 && k.find_first_not_of("0123456789") == std::string::npos && std::stoll(k) > 0) {
      return std::stoll(k);
    }
  }
  throw Error("--backgrounds " + spec + ": must be 'given' or 'shuffle:K' with K > 0");
}

struct Chunk {
  at::Tensor x;                     // (rows, A, L) backgrounds
  std::vector<std::string> name;    // per row: the FASTA record
  std::vector<std::string> background;  // per row: "given" or "shuffle_<k>"
  int64_t first_row = 0;            // index of row 0 among all backgrounds (PWM sampling seeds)
  int64_t sequences = 0;
};

// Reads the FASTA a chunk at a time and calls `fn` with each chunk's backgrounds.
int64_t for_each_chunk(const ExperimentRequest& r, const ModelInfo& info, ProgressBar& bar, const std::function<void(const Chunk&)>& fn) {
  if (r.chunk <= 0) throw Error("--chunk must be positive");
  const int64_t shuffles = parse_backgrounds(r.backgrounds);
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  auto source = fasta_source(r.fasta);
  bar.set_total(source->total());
  ChunkEncodeOptions lengths;
  lengths.length = info.input_length.value_or(0);
  lengths.hint = "the experiments need one length";
  SequenceChunk chunk;
  int64_t sequences = 0, rows = 0;
  while (source->next(r.chunk, chunk)) {
    Chunk c;
    at::Tensor x = one_hot_encode_chunk(chunk.sequences, alphabet, lengths, chunk.where);
    if (lengths.length <= 0) {
      lengths.length = x.size(2);
      lengths.length_name = "the first sequence's length";
    }
    std::vector<std::string> names;
    for (const auto& row : chunk.labels.rows) names.push_back(row.at(0));
    if (shuffles == 0) {
      c.x = x;
      c.name = names;
      c.background.assign(names.size(), "given");
    } else {
      const at::Tensor s = dinucleotide_shuffles(x, shuffles, r.seed, sequences);  // (n, K, A, L)
      c.x = s.reshape({-1, x.size(1), x.size(2)});
      for (const std::string& name : names) {
        for (int64_t k = 0; k < shuffles; ++k) {
          c.name.push_back(name);
          c.background.push_back("shuffle_" + std::to_string(k + 1));
        }
      }
    }
    c.first_row = rows;
    c.sequences = x.size(0);
    fn(c);
    sequences += x.size(0);
    rows += c.x.size(0);
    bar.update(sequences);
  }
  if (sequences == 0) throw Error(r.fasta + ": no sequences");
  return sequences;
}

// Every output flattened and put side by side: (N, C) double, or (N, K, C) for `extra` = 1
// leading dimensions after the batch (ablate's shuffles, space's spacings).
at::Tensor columns_of(const ModelOutput& out, int64_t extra = 0) {
  std::vector<at::Tensor> parts;
  for (const at::Tensor& t : out.tensors) {
    std::vector<int64_t> shape;
    for (int64_t d = 0; d <= extra; ++d) shape.push_back(t.size(d));
    shape.push_back(-1);
    parts.push_back(t.to(torch::kDouble).reshape(shape));
  }
  return at::cat(parts, extra + 1);
}

// The reported columns: names and indices into columns_of's last dimension.
struct Columns {
  std::vector<std::string> names;
  std::vector<int64_t> index;
};

Columns report_columns(const ModelOutput& before, const ModelInfo& info, const std::vector<std::string>& targets) {
  const std::vector<std::string> all = output_column_names(before, info.output_names);
  Columns c;
  c.index = resolve_target_columns(targets, all, static_cast<int64_t>(all.size()));
  if (c.index.empty()) {
    for (size_t i = 0; i < all.size(); ++i) c.index.push_back(static_cast<int64_t>(i));
  }
  for (int64_t i : c.index) c.names.push_back(all[static_cast<size_t>(i)]);
  return c;
}

std::string header(const std::vector<std::string>& first, const Columns& c, const std::vector<std::string>& per_column) {
  std::vector<std::string> h = first;
  for (const std::string& name : c.names) {
    for (const std::string& p : per_column) h.push_back(p + "." + name);
  }
  return join(h, '\t') + "\n";
}

void add(std::string& line, double v) {
  line += '\t';
  append_number(line, v);
}

// The TSV of a run and the running sum of the first column's differences.
class ExperimentTable {
 public:
  ExperimentTable(const ExperimentRequest& r, std::vector<std::string> first, std::vector<std::string> per_column)
      : file_(r.out), first_(std::move(first)), per_column_(std::move(per_column)) {}
  // Once, when the first chunk's predictions show the columns.
  void start(const ModelOutput& before, const ModelInfo& info, const std::vector<std::string>& targets) {
    if (started_) return;
    columns_ = report_columns(before, info, targets);
    file_.write(header(first_, columns_, per_column_));
    started_ = true;
  }
  const Columns& columns() const { return columns_; }
  void write(const std::string& line) {
    file_.write(line);
    ++rows_;
  }
  int64_t rows() const { return rows_; }
  std::string commit() {
    file_.commit();
    return file_.path();
  }

 private:
  AtomicFile file_;
  std::vector<std::string> first_, per_column_;
  Columns columns_;
  bool started_ = false;
  int64_t rows_ = 0;
};

// Mean differences of the first column, one accumulator per group (a spacing, or one group).
struct MeanDifference {
  std::vector<double> sum;
  std::vector<int64_t> n;
  explicit MeanDifference(size_t groups) : sum(groups, 0.0), n(groups, 0) {}
  void add(size_t g, double d) {
    sum[g] += d;
    ++n[g];
  }
  std::vector<double> means() const {
    std::vector<double> m;
    for (size_t g = 0; g < sum.size(); ++g) m.push_back(n[g] > 0 ? sum[g] / static_cast<double>(n[g]) : NAN);
    return m;
  }
};

// before.C, after.C, diff.C of one row for every reported column; the first column's difference
// goes to the group's mean.
void add_before_after(std::string& line, const at::Tensor& before, const at::Tensor& after, const Columns& columns,
                      MeanDifference& mean, size_t group) {
  for (size_t k = 0; k < columns.index.size(); ++k) {
    const double b = before[columns.index[k]].item<double>(), a = after[columns.index[k]].item<double>();
    add(line, b);
    add(line, a);
    add(line, a - b);
    if (k == 0) mean.add(group, a - b);
  }
}

// The summary's common part, once the table is complete; renames the file into place.
void finish(ExperimentSummary& s, ExperimentTable& table, ProgressBar& bar, const MeanDifference& mean) {
  bar.finish();
  s.rows = table.rows();
  s.first_column = table.columns().names.at(0);
  s.mean_difference = mean.means();
  s.seconds = bar.elapsed_seconds();
  s.file = table.commit();
}

std::vector<MotifSpec> parse_motifs(const std::vector<std::string>& specs, const ModelInfo& info, bool consensus) {
  if (specs.empty()) throw Error("--motif: give at least one");
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  std::vector<MotifSpec> motifs;
  for (const std::string& s : specs) motifs.push_back(parse_motif_spec(s, alphabet, consensus));
  return motifs;
}

std::string row_start(const Chunk& c, int64_t i) { return c.name[static_cast<size_t>(i)] + "\t" + c.background[static_cast<size_t>(i)]; }

}  // namespace

ExperimentSummary marginalize_file(const ExperimentRequest& r, const std::vector<std::string>& motif_specs, bool consensus,
                                   int64_t start) {
  OutputGroup outputs;
  Model model = Model::load(r.model);
  const ModelInfo info = model.info();
  const std::vector<MotifSpec> motifs = parse_motifs(motif_specs, info, consensus);
  ModelStateGuard placement(model, r.predict.device, r.predict.dtype);
  ExperimentTable table(r, {"name", "background", "motif", "start"}, {"before", "after", "diff"});
  MeanDifference mean(motifs.size());
  ExperimentSummary s;
  ProgressBar bar("marginalize", -1, "seq", r.progress);
  s.sequences = for_each_chunk(r, info, bar, [&](const Chunk& c) {
    const int64_t n = c.x.size(0), L = c.x.size(2);
    for (size_t m = 0; m < motifs.size(); ++m) {
      MarginalizeOptions o;
      o.predict = r.predict;
      o.start = start;
      const ExperimentOutput e = marginalize(model, c.x, motifs[m].for_backgrounds(n, r.seed, c.first_row), {}, o);
      table.start(e.before, info, r.targets);
      const at::Tensor before = columns_of(e.before), after = columns_of(e.after);
      const int64_t at_pos = start < 0 ? (L - motifs[m].width()) / 2 : start;
      for (int64_t i = 0; i < n; ++i) {
        std::string line = row_start(c, i) + "\t" + motifs[m].name + "\t" + std::to_string(at_pos);
        add_before_after(line, before[i], after[i], table.columns(), mean, m);
        table.write(line + "\n");
      }
    }
    s.backgrounds += n;
  });
  finish(s, table, bar, mean);
  for (const MotifSpec& m : motifs) s.groups.push_back(m.name);
  outputs.commit();
  return s;
}

ExperimentSummary ablate_file(const ExperimentRequest& r, int64_t start, int64_t end, int64_t shuffles) {
  OutputGroup outputs;
  Model model = Model::load(r.model);
  const ModelInfo info = model.info();
  ModelStateGuard placement(model, r.predict.device, r.predict.dtype);
  ExperimentTable table(r, {"name", "background", "start", "end"}, {"before", "after_mean", "after_sd", "diff"});
  MeanDifference mean(1);
  int64_t region_end = end;
  ExperimentSummary s;
  ProgressBar bar("ablate", -1, "seq", r.progress);
  s.sequences = for_each_chunk(r, info, bar, [&](const Chunk& c) {
    AblateOptions o;
    o.predict = r.predict;
    o.start = start;
    o.end = end;
    o.shuffles = shuffles;
    o.seed = r.seed + 1;  // not the backgrounds' own shuffles
    o.first_index = c.first_row;
    const ExperimentOutput e = ablate(model, c.x, {}, o);
    table.start(e.before, info, r.targets);
    const at::Tensor before = columns_of(e.before), after = columns_of(e.after, 1);  // (n, K, C)
    const at::Tensor after_mean = after.mean(1), after_sd = shuffles > 1 ? after.std(1) : torch::zeros_like(after_mean);
    const int64_t last = end < 0 ? c.x.size(2) : end;
    region_end = last;
    for (int64_t i = 0; i < c.x.size(0); ++i) {
      std::string line = row_start(c, i) + "\t" + std::to_string(start) + "\t" + std::to_string(last);
      for (size_t k = 0; k < table.columns().index.size(); ++k) {
        const int64_t col = table.columns().index[k];
        const double b = before[i][col].item<double>(), a = after_mean[i][col].item<double>();
        add(line, b);
        add(line, a);
        add(line, after_sd[i][col].item<double>());
        add(line, a - b);
        if (k == 0) mean.add(0, a - b);
      }
      table.write(line + "\n");
    }
    s.backgrounds += c.x.size(0);
  });
  finish(s, table, bar, mean);
  s.groups = {"region " + std::to_string(start) + "-" + std::to_string(region_end)};
  outputs.commit();
  return s;
}

ExperimentSummary space_file(const ExperimentRequest& r, const std::vector<std::string>& motif_specs, bool consensus,
                             const std::vector<int64_t>& spacing, int64_t start) {
  OutputGroup outputs;
  Model model = Model::load(r.model);
  const ModelInfo info = model.info();
  const std::vector<MotifSpec> motifs = parse_motifs(motif_specs, info, consensus);
  if (motifs.size() < 2) throw Error("--motif: space needs two motifs or more");
  ModelStateGuard placement(model, r.predict.device, r.predict.dtype);
  ExperimentTable table(r, {"name", "background", "spacing"}, {"before", "after", "diff"});
  MeanDifference mean(spacing.size());
  ExperimentSummary s;
  ProgressBar bar("space", -1, "seq", r.progress);
  s.sequences = for_each_chunk(r, info, bar, [&](const Chunk& c) {
    const int64_t n = c.x.size(0);
    std::vector<at::Tensor> m;
    for (const MotifSpec& spec : motifs) m.push_back(spec.for_backgrounds(n, r.seed, c.first_row));
    SpaceOptions o;
    o.predict = r.predict;
    o.spacing = spacing;
    o.start = start;
    const ExperimentOutput e = space(model, c.x, m, {}, o);
    table.start(e.before, info, r.targets);
    const at::Tensor before = columns_of(e.before), after = columns_of(e.after, 1);  // (n, S, C)
    for (int64_t i = 0; i < n; ++i) {
      for (size_t sp = 0; sp < spacing.size(); ++sp) {
        std::string line = row_start(c, i) + "\t" + std::to_string(spacing[sp]);
        add_before_after(line, before[i], after[i][static_cast<int64_t>(sp)], table.columns(), mean, sp);
        table.write(line + "\n");
      }
    }
    s.backgrounds += n;
  });
  finish(s, table, bar, mean);
  for (int64_t sp : spacing) s.groups.push_back("spacing " + std::to_string(sp));
  outputs.commit();
  return s;
}

DesignSummary design_file(const ExperimentRequest& r, DesignOptions o) {
  OutputGroup outputs;
  Model model = Model::load(r.model);
  const ModelInfo info = model.info();
  const Alphabet alphabet = Alphabet::from_name(info.alphabet);
  o.ism.targets = resolve_target_columns(r.targets, info.output_names);
  o.ism.predict.batch_size = r.predict.batch_size;
  o.ism.predict.device = r.predict.device;
  o.ism.predict.dtype = r.predict.dtype;
  AtomicFile file(r.out);
  file.write("name\tbackground\tinitial\tfinal\tedits\tchanges\tscores\tdesigned\n");
  DesignSummary s;
  double initial = 0, final_score = 0, edits = 0;
  ProgressBar bar("design", -1, "seq", r.progress);
  for_each_chunk(r, info, bar, [&](const Chunk& c) {
    const DesignResult d = design(model, c.x, {}, o);
    s.output_name = d.output_name;
    s.evaluated += d.evaluated;
    const std::vector<std::string> designed = one_hot_decode_batch(d.designed, alphabet);
    for (int64_t i = 0; i < c.x.size(0); ++i) {
      const auto& e = d.edits[static_cast<size_t>(i)];
      std::string changes, scores;
      for (const DesignEdit& k : e) {
        if (!changes.empty()) {
          changes += ',';
          scores += ',';
        }
        changes += std::to_string(k.position + 1) + ":" + (k.from < 0 ? 'N' : alphabet.letter(k.from)) + ">" + alphabet.letter(k.to);
        append_number(scores, k.score);
      }
      std::string line = row_start(c, i);
      add(line, d.initial[static_cast<size_t>(i)]);
      add(line, d.final[static_cast<size_t>(i)]);
      line += "\t" + std::to_string(e.size()) + "\t" + (changes.empty() ? "." : changes) + "\t" + (scores.empty() ? "." : scores) +
              "\t" + designed[static_cast<size_t>(i)] + "\n";
      file.write(line);
      initial += d.initial[static_cast<size_t>(i)];
      final_score += d.final[static_cast<size_t>(i)];
      edits += static_cast<double>(e.size());
      ++s.sequences;
    }
  });
  bar.finish();
  // What the score is, in the words of the output columns.
  if (!r.targets.empty()) s.output_name = join(r.targets, '+');
  else if (info.output_names.size() == 1) s.output_name = info.output_names[0];
  else s.output_name = "output " + s.output_name;
  const double n = static_cast<double>(std::max<int64_t>(s.sequences, 1));
  s.mean_initial = initial / n;
  s.mean_final = final_score / n;
  s.mean_edits = edits / n;
  s.seconds = bar.elapsed_seconds();
  file.commit();
  s.file = file.path();
  outputs.commit();
  return s;
}

}  // namespace seqnn
