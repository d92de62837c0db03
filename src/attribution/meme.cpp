#include "seqnn/attribution/meme.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {
namespace {

std::string meme_trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool meme_starts(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::vector<std::string> meme_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool meme_number(const std::string& word, double& value) {
  if (word.empty()) return false;
  char* end = nullptr;
  value = std::strtod(word.c_str(), &end);
  return end == word.c_str() + word.size() && std::isfinite(value);
}

// "key= value" pairs of a letter-probability matrix line ("alength= 4 w= 6 nsites= 20 E= 0");
// also "key=value".
std::vector<std::pair<std::string, std::string>> meme_key_values(const std::string& s) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto w = meme_words(s);
  for (size_t i = 0; i < w.size(); ++i) {
    const auto eq = w[i].find('=');
    if (eq == std::string::npos) continue;
    std::string key = w[i].substr(0, eq), value = w[i].substr(eq + 1);
    if (value.empty() && i + 1 < w.size()) value = w[++i];
    out.emplace_back(key, value);
  }
  return out;
}

struct MemeReader {
  const std::string& path;
  std::vector<std::string> lines;
  size_t next = 0;

  bool more() const { return next < lines.size(); }
  int64_t line_number() const { return static_cast<int64_t>(next); }  // of the line last taken
  [[noreturn]] void error(const std::string& problem) const { fail_at(path, line_number(), problem); }
};

void read_meme_background(MemeReader& r, MotifFile& file) {
  // Letter/frequency pairs on the lines after the header, up to a blank line or a MOTIF.
  std::vector<double> freq(file.letters.size(), -1);
  size_t seen = 0;
  while (r.more() && seen < file.letters.size()) {
    const std::string line = meme_trim(r.lines[r.next]);
    if (line.empty() || meme_starts(line, "MOTIF")) break;
    ++r.next;
    const auto w = meme_words(line);
    if (w.size() % 2 != 0) r.error("background: expected letter / frequency pairs, got '" + line + "'");
    for (size_t i = 0; i < w.size(); i += 2) {
      const auto at = w[i].size() == 1 ? file.letters.find(w[i][0]) : std::string::npos;
      double value = 0;
      if (at == std::string::npos) r.error("background: '" + w[i] + "' is not a letter of the alphabet " + file.letters);
      if (!meme_number(w[i + 1], value) || value < 0 || value > 1) {
        r.error("background: frequency '" + w[i + 1] + "' of " + w[i] + " is not a probability");
      }
      if (freq[at] < 0) ++seen;
      freq[at] = value;
    }
  }
  if (seen != file.letters.size()) r.error("background: frequencies for " + std::to_string(seen) + " of the " +
                                           std::to_string(file.letters.size()) + " letters");
  file.background = freq;
}

void read_meme_matrix(MemeReader& r, const MotifFile& file, Motif& m, const std::string& header) {
  const int64_t alphabet = static_cast<int64_t>(file.letters.size());
  int64_t w = -1;
  for (const auto& [key, value] : meme_key_values(header.substr(header.find(':') + 1))) {
    double number = 0;
    const bool numeric = meme_number(value, number);
    if (key == "alength") {
      if (!numeric || number != alphabet) {
        r.error("motif " + m.id + ": alength= " + value + " but the alphabet " + file.letters + " has " +
                std::to_string(alphabet) + " letters");
      }
    } else if (key == "w") {
      if (!numeric || number < 1 || number > 1e6 || number != std::floor(number)) r.error("motif " + m.id + ": w= " + value + " is not a width");
      w = static_cast<int64_t>(number);
    } else if (key == "nsites") {
      if (!numeric || number < 0) r.error("motif " + m.id + ": nsites= " + value + " is not a count");
      m.nsites = number;
    } else if (key == "E") {
      m.evalue = value;
    }
  }
  while (r.more() && (w < 0 || m.width() < w)) {
    const std::string line = meme_trim(r.lines[r.next]);
    const auto values = meme_words(line);
    double first = 0;
    if (values.empty() || !meme_number(values[0], first)) {
      if (w < 0 && m.width() > 0) break;  // no w=: the matrix ends at the first line that is not a row
      if (values.empty() && m.width() == 0) {  // blank lines before the first row
        ++r.next;
        continue;
      }
      break;
    }
    ++r.next;
    if (static_cast<int64_t>(values.size()) != alphabet) {
      r.error("motif " + m.id + ": matrix row has " + std::to_string(values.size()) + " values, expected " +
              std::to_string(alphabet) + " (alength)");
    }
    std::vector<double> col(values.size());
    double sum = 0;
    for (size_t a = 0; a < values.size(); ++a) {
      if (!meme_number(values[a], col[a]) || col[a] < 0 || col[a] > 1) {
        r.error("motif " + m.id + ": '" + values[a] + "' is not a probability");
      }
      sum += col[a];
    }
    if (std::fabs(sum - 1) > 0.02) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.4g", sum);
      r.error("motif " + m.id + ": matrix row sums to " + std::string(buf) + ", not 1");
    }
    m.columns.push_back(col);
  }
  if (m.width() == 0) r.error("motif " + m.id + ": letter-probability matrix without rows");
  if (w >= 0 && m.width() != w) {
    r.error("motif " + m.id + ": w= " + std::to_string(w) + " but " + std::to_string(m.width()) + " matrix rows");
  }
}

}  // namespace

MotifFile parse_meme(const std::string& text, const std::string& path) {
  MemeReader r{path, {}, 0};
  {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) r.lines.push_back(line);
  }
  MotifFile file;
  while (r.more() && meme_trim(r.lines[r.next]).empty()) ++r.next;
  if (!r.more()) fail(path, "empty motif file (expected 'MEME version 4')");
  ++r.next;
  if (!meme_starts(meme_trim(r.lines[r.next - 1]), "MEME version")) r.error("not a MEME motif file: the first line is not 'MEME version N'");
  std::set<std::string> ids;
  while (r.more()) {
    const std::string line = meme_trim(r.lines[r.next++]);
    if (line.empty()) continue;
    if (meme_starts(line, "ALPHABET")) {
      if (!file.motifs.empty()) r.error("ALPHABET after the first motif");
      const auto eq = line.find('=');
      if (eq == std::string::npos) {
        r.error("custom alphabet definitions (ALPHABET ... END ALPHABET) are not supported; use 'ALPHABET= ACGT'");
      }
      const std::string letters = meme_trim(line.substr(eq + 1));
      if (letters.empty() || letters.find_first_of(" \t") != std::string::npos) r.error("ALPHABET= needs the letters, e.g. 'ALPHABET= ACGT'");
      for (size_t i = 0; i < letters.size(); ++i) {  // printable and distinct, or nothing can name a column
        const unsigned char c = static_cast<unsigned char>(letters[i]);
        if (c <= ' ' || c >= 0x7f || letters.find(letters[i]) != i) r.error("ALPHABET= letters must be distinct printable characters");
      }
      file.letters = letters;
    } else if (meme_starts(line, "strands:")) {
      file.strands = meme_trim(line.substr(8));
    } else if (meme_starts(line, "Background letter frequencies")) {
      read_meme_background(r, file);
    } else if (meme_starts(line, "MOTIF")) {
      const auto w = meme_words(line);
      if (w.size() < 2) r.error("MOTIF without an id");
      Motif m;
      m.id = w[1];
      m.name = w.size() > 2 ? w[2] : "";
      m.line = r.line_number();
      if (!ids.insert(m.id).second) r.error("duplicate motif id " + m.id);
      // The motif's blocks: a letter-probability matrix (required), log-odds matrices (skipped), URL.
      while (r.more()) {
        const std::string l = meme_trim(r.lines[r.next]);
        if (meme_starts(l, "MOTIF")) break;
        ++r.next;
        if (meme_starts(l, "letter-probability matrix")) {
          if (!m.columns.empty()) r.error("motif " + m.id + ": a second letter-probability matrix");
          read_meme_matrix(r, file, m, l);
        } else if (meme_starts(l, "URL")) {
          m.url = meme_trim(l.substr(3));
        }
      }
      if (m.columns.empty()) fail_at(path, m.line, "motif " + m.id + " has no letter-probability matrix");
      file.motifs.push_back(std::move(m));
    }
  }
  if (file.motifs.empty()) fail(path, "no MOTIF in the file");
  if (file.background.empty()) file.background.assign(file.letters.size(), 1.0 / static_cast<double>(file.letters.size()));
  // An ALPHABET= line after the background (found by fuzzing) would leave frequencies for other letters.
  if (file.background.size() != file.letters.size()) {
    fail(path, "the background frequencies are for another alphabet than ALPHABET= " + file.letters);
  }
  return file;
}

MotifFile read_meme(const std::string& path) { return parse_meme(read_text_file(path, "motif file"), path); }

std::string format_meme(const MotifFile& file) {
  std::string out = "MEME version 4\n\nALPHABET= " + file.letters + "\n\n";
  if (!file.strands.empty()) out += "strands: " + file.strands + "\n\n";
  out += "Background letter frequencies\n";
  char buf[64];
  for (size_t a = 0; a < file.letters.size(); ++a) {
    const double f = a < file.background.size() ? file.background[a] : 1.0 / static_cast<double>(file.letters.size());
    std::snprintf(buf, sizeof buf, "%s%c %.5f", a ? " " : "", file.letters[a], f);
    out += buf;
  }
  out += "\n";
  for (const Motif& m : file.motifs) {
    out += "\nMOTIF " + m.id + (m.name.empty() ? "" : " " + m.name) + "\n";
    // The E-value is copied as read (any length), so it is appended rather than formatted into buf.
    std::snprintf(buf, sizeof buf, "alength= %zu w= %lld nsites= %g", file.letters.size(),
                  static_cast<long long>(m.width()), m.nsites);
    out += std::string("letter-probability matrix: ") + buf + " E= " + (m.evalue.empty() ? "0" : m.evalue) + "\n";
    for (const auto& col : m.columns) {
      for (double p : col) {
        std::snprintf(buf, sizeof buf, " %.6f", p);
        out += buf;
      }
      out += "\n";
    }
    if (!m.url.empty()) out += "URL " + m.url + "\n";
  }
  return out;
}

void write_meme(const std::string& path, const MotifFile& file) {
  AtomicFile out(path);
  out.write(format_meme(file));
  out.commit();
}

std::string motif_consensus(const Motif& motif, const std::string& letters) {
  std::string out;
  for (const auto& col : motif.columns) {
    size_t best = 0;
    for (size_t a = 1; a < col.size(); ++a) {
      if (col[a] > col[best]) best = a;
    }
    out += best < letters.size() ? letters[best] : 'N';
  }
  return out;
}

}  // namespace seqnn
