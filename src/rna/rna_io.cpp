#include "seqnn/rna/rna_io.h"

#include <zlib.h>

#include <cctype>
#include <map>
#include <memory>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn::rna {
namespace {

// Lines of a plain or gzip file (zlib reads both).
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    if (!file_) fail(path, "cannot open");
  }
  ~LineReader() {
    if (file_) gzclose(file_);
  }
  bool next(std::string& line) {
    line.clear();
    char buf[65536];
    while (gzgets(file_, buf, sizeof buf)) {
      line += buf;
      if (!line.empty() && line.back() == '\n') break;
    }
    if (line.empty()) return false;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    ++number_;
    return true;
  }
  int64_t number() const { return number_; }

 private:
  std::string path_;
  gzFile file_;
  int64_t number_ = 0;
};

std::vector<std::string> split_csv(const std::string& line, const std::string& where) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t k = 0; k < line.size(); ++k) {
    const char c = line[k];
    if (quoted) {
      if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
        out.back() += '"';
        ++k;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (quoted) fail(where, "unterminated quote");
  return out;
}

bool is_csv(const std::string& path) { return ends_with(path, ".csv") || ends_with(path, ".csv.gz"); }

int column(const std::vector<std::string>& header, const std::string& name) {
  for (size_t k = 0; k < header.size(); ++k) {
    if (header[k] == name) return static_cast<int>(k);
  }
  return -1;
}

Structure parse_structure(const std::string& text, int64_t length, bool pair_list, const std::string& where) {
  Structure s = pair_list ? Structure::from_pair_list_text(length, text, where) : Structure::from_dot_bracket(text, where);
  if (s.length() != length) {
    fail(where, "sequence length " + std::to_string(length) + " != structure length " + std::to_string(s.length()));
  }
  return s;
}

}  // namespace

std::string normalise_rna(const std::string& sequence, const std::string& where) {
  std::string out = sequence;
  for (size_t k = 0; k < out.size(); ++k) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(out[k])));
    if (c == 'T') c = 'U';
    if (std::string("ACGUNRYSWKMBDHV").find(c) == std::string::npos) {
      fail(where, "invalid character '" + std::string(1, out[k]) + "' at sequence position " + std::to_string(k + 1));
    }
    out[k] = c;
  }
  if (out.empty()) fail(where, "empty sequence");
  return out;
}

std::vector<RnaRecord> read_rna_table(const std::string& path, int64_t max_records, bool need_structure) {
  LineReader in(path);
  std::string line;
  if (!in.next(line)) fail(path, "empty file (a header row is needed)");
  const bool csv = is_csv(path);
  auto fields_of = [&](const std::string& where) { return csv ? split_csv(line, where) : split(line, '\t'); };
  const auto header = fields_of(path + ":1");
  const int c_seq = column(header, "sequence"), c_id = column(header, "id");
  const int c_db = column(header, "structure"), c_bp = column(header, "base_pairs");
  if (c_seq < 0) fail(path + ":1", "no 'sequence' column in the header");
  if (need_structure && c_db < 0 && c_bp < 0) fail(path + ":1", "no 'structure' or 'base_pairs' column in the header");
  std::vector<RnaRecord> out;
  while ((max_records <= 0 || static_cast<int64_t>(out.size()) < max_records) && in.next(line)) {
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(in.number());
    const auto f = fields_of(where);
    if (f.size() != header.size()) {
      fail(where, std::to_string(f.size()) + " fields but the header has " + std::to_string(header.size()));
    }
    RnaRecord r;
    r.where = where;
    r.id = c_id >= 0 ? f[static_cast<size_t>(c_id)] : "record" + std::to_string(out.size() + 1);
    r.sequence = normalise_rna(f[static_cast<size_t>(c_seq)], where);
    const int64_t L = static_cast<int64_t>(r.sequence.size());
    if (c_db >= 0) {
      r.structure = parse_structure(f[static_cast<size_t>(c_db)], L, false, where);
    } else if (c_bp >= 0) {
      r.structure = parse_structure(f[static_cast<size_t>(c_bp)], L, true, where);
    }
    out.push_back(std::move(r));
  }
  if (out.empty()) fail(path, "no records");
  return out;
}

std::vector<RnaRecord> read_dot_bracket_fasta(const std::string& path) {
  LineReader in(path);
  std::vector<RnaRecord> out;
  std::string line;
  std::vector<std::string> body;
  int64_t header_line = 0;
  auto flush = [&]() {
    if (header_line == 0) return;
    const std::string where = path + ":" + std::to_string(header_line);
    if (body.size() < 2) fail(where, "record needs a sequence line and a structure line");
    std::string db = body.back();
    body.pop_back();
    if (const size_t sp = db.find_first_of(" \t"); sp != std::string::npos) db = db.substr(0, sp);  // " (-27.80)"
    std::string seq;
    for (const auto& b : body) seq += b;
    RnaRecord r;
    r.where = where;
    r.id = out.back().id;
    r.sequence = normalise_rna(seq, where);
    r.structure = parse_structure(db, static_cast<int64_t>(r.sequence.size()), false, where);
    out.back() = std::move(r);
    body.clear();
  };
  while (in.next(line)) {
    if (line.empty()) continue;
    if (line[0] == '>') {
      flush();
      header_line = in.number();
      RnaRecord r;
      const std::string name = line.substr(1);
      r.id = name.substr(0, name.find_first_of(" \t"));
      out.push_back(r);
    } else {
      if (header_line == 0) fail(path + ":" + std::to_string(in.number()), "text before the first '>' header");
      body.push_back(line);
    }
  }
  flush();
  if (out.empty()) fail(path, "no records");
  return out;
}

std::vector<RnaRecord> read_structures(const std::string& path) {
  LineReader in(path);
  std::string line;
  while (in.next(line) && line.empty()) {
  }
  return !line.empty() && line[0] == '>' ? read_dot_bracket_fasta(path) : read_rna_table(path);
}

void write_predictions(const std::string& path, const std::string& boxes_path, const std::vector<RnaPrediction>& preds) {
  AtomicFile out(path), boxes(boxes_path);
  out.write("id\tlength\tsequence\tstructure\tscore\tpairs\tboxes\n");
  boxes.write("id\ttype\ti\tj\tsize_x\tsize_y\tn_proposal\tn_proposal_norm\tprob\tin_structure\n");
  for (const auto& p : preds) {
    std::string row = p.id + "\t" + std::to_string(p.sequence.size()) + "\t" + p.sequence + "\t" + p.structure.to_dot_bracket() + "\t";
    append_number(row, p.score);
    row += "\t" + std::to_string(p.structure.num_pairs()) + "\t" + std::to_string(p.boxes.size()) + "\n";
    out.write(row);
    for (size_t k = 0; k < p.boxes.size(); ++k) {
      const auto& b = p.boxes[k];
      std::string r = p.id + "\t" + box_type_name(b.box.type) + "\t" + std::to_string(b.box.i) + "\t" + std::to_string(b.box.j) +
                      "\t" + std::to_string(b.box.size_x) + "\t" + std::to_string(b.box.size_y) + "\t" +
                      std::to_string(b.n_proposal) + "\t";
      append_number(r, b.n_proposal_norm);
      r += "\t";
      append_number(r, b.prob);
      r += std::string("\t") + (p.in_structure[k] ? "1" : "0") + "\n";
      boxes.write(r);
    }
  }
  out.commit();
  boxes.commit();
}

std::vector<std::pair<std::string, Box>> read_box_table(const std::string& path) {
  LineReader in(path);
  std::string line;
  if (!in.next(line)) fail(path, "empty file");
  const auto header = split(line, '\t');
  const int ci = column(header, "id"), ct = column(header, "type"), cI = column(header, "i"), cJ = column(header, "j");
  const int cx = column(header, "size_x"), cy = column(header, "size_y");
  if (ci < 0 || ct < 0 || cI < 0 || cJ < 0 || cx < 0 || cy < 0) fail(path + ":1", "needs columns id type i j size_x size_y");
  std::vector<std::pair<std::string, Box>> out;
  while (in.next(line)) {
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(in.number());
    const auto f = split(line, '\t');
    if (f.size() != header.size()) fail(where, "wrong number of fields");
    auto num = [&](int c) {
      try {
        return std::stoll(f[static_cast<size_t>(c)]);
      } catch (const std::exception&) {
        fail(where, "'" + f[static_cast<size_t>(c)] + "' is not an integer");
      }
    };
    Box b{parse_box_type(f[static_cast<size_t>(ct)], where), num(cI), num(cJ), num(cx), num(cy)};
    out.emplace_back(f[static_cast<size_t>(ci)], b);
  }
  return out;
}

}  // namespace seqnn::rna
