#include "seqnn/rna/rna_io.h"

#include <cctype>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/table.h"

namespace seqnn::rna {
namespace {

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
  TableReader table(path);
  const int64_t c_seq = table.find_column("sequence"), c_id = table.find_column("id");
  const int64_t c_db = table.find_column("structure"), c_bp = table.find_column("base_pairs");
  if (c_seq < 0) fail_at(path, table.header_line(), "no 'sequence' column in the header");
  if (need_structure && c_db < 0 && c_bp < 0) {
    fail_at(path, table.header_line(), "no 'structure' or 'base_pairs' column in the header");
  }
  auto field = [](const std::vector<std::string>& f, int64_t c) -> const std::string& { return f[static_cast<size_t>(c)]; };
  std::vector<RnaRecord> out;
  std::vector<std::string> f;
  while ((max_records <= 0 || static_cast<int64_t>(out.size()) < max_records) && table.next(f)) {
    const std::string where = table.where();
    RnaRecord r;
    r.where = where;
    r.id = c_id >= 0 ? field(f, c_id) : "record" + std::to_string(out.size() + 1);
    r.sequence = normalise_rna(field(f, c_seq), where);
    const int64_t L = static_cast<int64_t>(r.sequence.size());
    if (c_db >= 0) {
      r.structure = parse_structure(field(f, c_db), L, false, where);
    } else if (c_bp >= 0) {
      r.structure = parse_structure(field(f, c_bp), L, true, where);
    }
    out.push_back(std::move(r));
  }
  if (out.empty()) fail(path, "no records");
  return out;
}

std::vector<RnaRecord> read_dot_bracket_fasta(const std::string& path) {
  TextLineReader in(path, "structure FASTA");
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
      header_line = in.line_number();
      RnaRecord r;
      const std::string name = line.substr(1);
      r.id = name.substr(0, name.find_first_of(" \t"));
      out.push_back(r);
    } else {
      if (header_line == 0) fail_at(path, in.line_number(), "text before the first '>' header");
      body.push_back(line);
    }
  }
  flush();
  if (out.empty()) fail(path, "no records");
  return out;
}

std::vector<RnaRecord> read_structures(const std::string& path) {
  TextLineReader in(path, "structure file");
  std::string line;
  while (in.next(line) && line.empty()) {
  }
  return !line.empty() && line[0] == '>' ? read_dot_bracket_fasta(path) : read_rna_table(path);
}

void write_predictions(const std::string& path, const std::string& boxes_path, const std::vector<RnaPrediction>& preds,
                       StructureFormat format) {
  AtomicFile out(path), boxes(boxes_path);
  if (format == StructureFormat::kTsv) out.write("id\tlength\tsequence\tstructure\tscore\tpairs\tboxes\n");
  boxes.write("id\ttype\ti\tj\tsize_x\tsize_y\tn_proposal\tn_proposal_norm\tprob\tin_structure\n");
  for (const auto& p : preds) {
    if (format == StructureFormat::kTsv) {
      std::string row = p.id + "\t" + std::to_string(p.sequence.size()) + "\t" + p.sequence + "\t" + p.structure.to_dot_bracket() + "\t";
      append_number(row, p.score);
      row += "\t" + std::to_string(p.structure.num_pairs()) + "\t" + std::to_string(p.boxes.size()) + "\n";
      out.write(row);
    } else {
      out.write(format_structure(p.id, p.sequence, p.structure, format));
    }
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
  TableReadOptions options;
  options.format = TableFormat::kTsv;  // write_predictions writes TSV whatever the name
  TableReader table(path, options);
  const int64_t ci = table.find_column("id"), ct = table.find_column("type");
  const int64_t cI = table.find_column("i"), cJ = table.find_column("j");
  const int64_t cx = table.find_column("size_x"), cy = table.find_column("size_y");
  if (ci < 0 || ct < 0 || cI < 0 || cJ < 0 || cx < 0 || cy < 0) {
    fail_at(path, table.header_line(), "needs columns id type i j size_x size_y");
  }
  std::vector<std::pair<std::string, Box>> out;
  std::vector<std::string> f;
  while (table.next(f)) {
    auto num = [&](int64_t c) {
      const std::string& text = f[static_cast<size_t>(c)];
      try {
        return std::stoll(text);
      } catch (const std::exception&) {
        table.fail_here("'" + text + "' is not an integer");
      }
    };
    Box b{parse_box_type(f[static_cast<size_t>(ct)], table.where()), num(cI), num(cJ), num(cx), num(cy)};
    out.emplace_back(f[static_cast<size_t>(ci)], b);
  }
  return out;
}

}  // namespace seqnn::rna
