#include "seqnn/deepsequence/alignment.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"

namespace seqnn::ds {
namespace {

const std::array<int8_t, 256>& code_table() {
  static const std::array<int8_t, 256> table = [] {
    std::array<int8_t, 256> t;
    t.fill(-1);
    for (int i = 0; i < kAlphabetSize; ++i) t[static_cast<uint8_t>(kAminoAcids[i])] = static_cast<int8_t>(i);
    t[static_cast<uint8_t>('-')] = static_cast<int8_t>(kGapCode);
    return t;
  }();
  return table;
}

bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }

// "NAME/24-286" -> name "NAME", start 24. Without a "/..." suffix, or with one that has no '-'
// (a name that contains '/'), the start is 1. A suffix that has a '-' but is not START-END with
// 1 <= START <= END is an error: reading "/abc-def" as start 1 would number every mutation wrongly.
// Returns an empty string when the header is fine, else what is wrong with it.
std::string parse_focus_header(const std::string& header, Alignment& aln) {
  const size_t slash = header.rfind('/');
  aln.focus_name = header.substr(0, slash);
  aln.focus_start = 1;
  if (slash == std::string::npos) return "";
  const std::string range = header.substr(slash + 1);
  const size_t dash = range.find('-');
  if (dash == std::string::npos) {
    aln.focus_name = header;
    return "";
  }
  const auto digits = [](const std::string& t) {
    return !t.empty() && t.size() < 19 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const std::string first = range.substr(0, dash), last = range.substr(dash + 1);
  if (!digits(first) || !digits(last) || std::stoll(first) < 1 || std::stoll(last) < std::stoll(first)) {
    return "focus header '" + header + "': range '" + range + "' is not START-END with 1 <= START <= END";
  }
  aln.focus_start = std::stoll(first);
  return "";
}

// Column layout of the focus row: which columns are focus columns (uppercase letters) and which
// are a3m match states (uppercase letters and '-').
struct FocusLayout {
  std::vector<int64_t> focus_cols;       // indices into the focus row
  std::vector<int64_t> match_of_focus;   // for each focus column, its index among match states
  int64_t match_states = 0;
  size_t row_length = 0;
};

FocusLayout focus_layout(const std::string& focus) {
  FocusLayout f;
  f.row_length = focus.size();
  for (size_t i = 0; i < focus.size(); ++i) {
    const char c = focus[i];
    if (is_upper(c)) {
      f.focus_cols.push_back(static_cast<int64_t>(i));
      f.match_of_focus.push_back(f.match_states);
    }
    if (is_upper(c) || c == '-') ++f.match_states;
  }
  return f;
}

// The record cut to the focus columns (uppercased, '.' -> '-'). Empty when it holds a character
// outside the alphabet in a focus column (the record is dropped).
std::string cut_record(const std::string& seq, const FocusLayout& f, const std::string& path, int64_t line) {
  std::string row;
  std::vector<int64_t> const* cols = &f.focus_cols;
  if (seq.size() != f.row_length) {
    // a3m: drop insertions (lowercase, '.'), then index the match states.
    for (char c : seq) {
      if (!is_lower(c) && c != '.') row.push_back(c);
    }
    if (static_cast<int64_t>(row.size()) != f.match_states) {
      fail_at(path, line, "record has " + std::to_string(seq.size()) + " columns (" + std::to_string(row.size()) +
                              " match states) but the focus row has " + std::to_string(f.row_length) + " (" +
                              std::to_string(f.match_states) + " match states)");
    }
    cols = &f.match_of_focus;
  } else {
    row = seq;
  }
  std::string out(cols->size(), '-');
  for (size_t k = 0; k < cols->size(); ++k) {
    char c = row[static_cast<size_t>((*cols)[k])];
    c = c == '.' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (aa_code(c) < 0) return "";
    out[k] = c;
  }
  return out;
}

}  // namespace

int aa_code(char c) { return code_table()[static_cast<uint8_t>(c)]; }

int64_t Alignment::column_of(int64_t position) const {
  // positions is increasing, so a binary search finds the column.
  auto it = std::lower_bound(positions.begin(), positions.end(), position);
  if (it == positions.end() || *it != position) return -1;
  return it - positions.begin();
}

Alignment read_alignment(const std::string& path) {
  FastaReader reader(path);
  Alignment aln;
  aln.path = path;
  FastaRecord rec;
  if (!reader.next(rec)) fail(path, "no records (expected an a2m/a3m/aligned FASTA alignment)");
  if (const std::string bad = parse_focus_header(rec.name, aln); !bad.empty()) fail_at(path, rec.line, bad);
  const FocusLayout layout = focus_layout(rec.sequence);
  if (layout.focus_cols.empty()) fail_at(path, rec.line, "focus sequence has no uppercase (focus) columns");
  for (int64_t col : layout.focus_cols) aln.positions.push_back(aln.focus_start + col);
  do {
    ++aln.records_read;
    std::string cut = cut_record(rec.sequence, layout, path, rec.line);
    if (cut.empty()) {
      if (aln.records_read == 1) fail_at(path, rec.line, "focus sequence has a character outside the 20 amino acids in a focus column");
      ++aln.records_dropped;
      continue;
    }
    if (aln.records_read == 1) aln.focus_sequence = cut;
    aln.names.push_back(rec.name);
    aln.sequences.push_back(std::move(cut));
  } while (reader.next(rec));
  return aln;
}

at::Tensor encode_codes(const std::vector<std::string>& sequences) {
  const int64_t n = static_cast<int64_t>(sequences.size());
  const int64_t len = n == 0 ? 0 : static_cast<int64_t>(sequences[0].size());
  at::Tensor codes = torch::empty({n, len}, torch::kUInt8);
  uint8_t* out = codes.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n; ++i) {
    const std::string& s = sequences[static_cast<size_t>(i)];
    if (static_cast<int64_t>(s.size()) != len) fail("encode_codes", "sequence " + std::to_string(i) + " has a different length");
    for (int64_t l = 0; l < len; ++l) {
      const int c = aa_code(s[static_cast<size_t>(l)]);
      if (c < 0) fail("encode_codes", "sequence " + std::to_string(i) + ": invalid character '" + std::string(1, s[l]) + "'");
      out[i * len + l] = static_cast<uint8_t>(c);
    }
  }
  return codes;
}

at::Tensor one_hot_codes(const at::Tensor& codes) {
  // Class 20 (gap) is one-hot encoded and then cut off, which leaves gaps as all-zero rows.
  return torch::one_hot(codes.to(torch::kLong), kAlphabetSize + 1)
      .slice(-1, 0, kAlphabetSize)
      .to(torch::kFloat);
}

}  // namespace seqnn::ds
