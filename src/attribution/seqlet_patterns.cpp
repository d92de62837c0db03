#include "seqnn/attribution/seqlet_patterns.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

using PatternCodes = std::vector<int>;  // letter index per position, -1 outside the alphabet

// Calls visit(code) once for every k-mer within `budget` substitutions of `code` that differ
// from it only at positions >= from (substituted positions in increasing order).
template <typename F>
void pattern_hamming_ball(int64_t code, int64_t k, int64_t letters, int64_t budget, int64_t from, const std::vector<int64_t>& power,
                  F& visit) {
  visit(code);
  if (budget == 0) return;
  for (int64_t p = from; p < k; ++p) {
    const int64_t here = (code / power[static_cast<size_t>(p)]) % letters;
    for (int64_t a = 0; a < letters; ++a) {
      if (a != here) pattern_hamming_ball(code + (a - here) * power[static_cast<size_t>(p)], k, letters, budget - 1, p + 1, power, visit);
    }
  }
}

struct PatternHit {
  int64_t start = -1;
  bool reverse = false;
  int64_t distance = 1 << 30;
};

}  // namespace

std::vector<SeqletPattern> seqlet_patterns(const std::vector<std::string>& sequences, const std::string& letters,
                                           const PatternOptions& o) {
  std::vector<PatternInput> inputs(sequences.size());
  for (size_t i = 0; i < sequences.size(); ++i) {
    inputs[i].letters = sequences[i];
    inputs[i].core_end = static_cast<int64_t>(sequences[i].size());
  }
  return seqlet_patterns(inputs, letters, o);
}

std::vector<SeqletPattern> seqlet_patterns(const std::vector<PatternInput>& inputs, const std::string& letters,
                                           const PatternOptions& o) {
  const int64_t A = static_cast<int64_t>(letters.size());
  if (A < 2 || A > 4) throw Error("seqlet patterns: need a nucleotide alphabet (2 to 4 letters), got " + letters);
  if (o.k < 1 || o.k > 10) throw Error("seqlet patterns: k must be in 1..10");
  if (o.mismatches < 0 || o.mismatches > 2 || o.mismatches >= o.k) throw Error("seqlet patterns: mismatches must be 0, 1 or 2 and below k");
  if (o.both_strands && A != 4) throw Error("seqlet patterns: both strands need 4 letters");
  const int64_t k = o.k;
  std::vector<int64_t> power(static_cast<size_t>(k));  // position p (0 = first letter) weighs A^(k-1-p)
  for (int64_t p = k - 1, w = 1; p >= 0; --p, w *= A) power[static_cast<size_t>(p)] = w;
  const int64_t kmers = power[0] * A;

  // Both strands of every sequence as letter codes.
  const size_t n = inputs.size();
  std::vector<std::array<PatternCodes, 2>> codes(n);
  std::vector<std::array<std::vector<double>, 2>> attr(n);
  std::vector<std::array<std::pair<int64_t, int64_t>, 2>> core(n);  // seeding range on each strand
  bool weighted = true;
  for (size_t i = 0; i < n; ++i) {
    const PatternInput& in = inputs[i];
    const int64_t len = static_cast<int64_t>(in.letters.size());
    if (in.core_start < 0 || in.core_end > len || in.core_start > in.core_end) throw Error("seqlet patterns: core outside the letters");
    if (!in.attribution.empty() && static_cast<int64_t>(in.attribution.size()) != len) {
      throw Error("seqlet patterns: attribution and letters differ in length");
    }
    weighted = weighted && !in.attribution.empty();
    attr[i][0] = in.attribution;
    attr[i][1].assign(in.attribution.rbegin(), in.attribution.rend());
    core[i][0] = {in.core_start, in.core_end};
    core[i][1] = {len - in.core_end, len - in.core_start};
    for (char c : in.letters) {
      const auto at = letters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      codes[i][0].push_back(at == std::string::npos ? -1 : static_cast<int>(at));
    }
    codes[i][1].assign(codes[i][0].rbegin(), codes[i][0].rend());
    for (int& c : codes[i][1]) c = c < 0 ? -1 : static_cast<int>(A - 1 - c);  // ACGT -> TGCA
  }
  const int strands = o.both_strands ? 2 : 1;
  // Each window's k-mer code (-1 where a letter is outside the alphabet).
  const auto window_code = [&](const PatternCodes& s, int64_t start) {
    int64_t code = 0;
    for (int64_t p = 0; p < k; ++p) {
      const int c = s[static_cast<size_t>(start + p)];
      if (c < 0) return int64_t{-1};
      code = code * A + c;
    }
    return code;
  };
  std::vector<bool> left(n);
  for (size_t i = 0; i < n; ++i) left[i] = core[i][0].second - core[i][0].first >= k;
  std::vector<int64_t> support(static_cast<size_t>(kmers)), stamp(static_cast<size_t>(kmers));
  std::vector<SeqletPattern> out;
  while (static_cast<int64_t>(out.size()) < o.max_patterns) {
    std::fill(support.begin(), support.end(), 0);
    std::fill(stamp.begin(), stamp.end(), -1);
    for (size_t i = 0; i < n; ++i) {
      if (!left[i]) continue;
      for (int st = 0; st < strands; ++st) {
        const PatternCodes& s = codes[i][static_cast<size_t>(st)];
        for (int64_t b = core[i][static_cast<size_t>(st)].first; b + k <= core[i][static_cast<size_t>(st)].second; ++b) {
          const int64_t code = window_code(s, b);
          if (code < 0) continue;
          auto count_once = [&](int64_t c) {
            if (stamp[static_cast<size_t>(c)] == static_cast<int64_t>(i)) return;
            stamp[static_cast<size_t>(c)] = static_cast<int64_t>(i);
            ++support[static_cast<size_t>(c)];
          };
          pattern_hamming_ball(code, k, A, o.mismatches, 0, power, count_once);
        }
      }
    }
    const int64_t seed = std::max_element(support.begin(), support.end()) - support.begin();
    if (support[static_cast<size_t>(seed)] < std::max<int64_t>(1, o.min_seqlets)) break;

    SeqletPattern pat;
    for (int64_t p = 0; p < k; ++p) pat.seed += letters[static_cast<size_t>((seed / power[static_cast<size_t>(p)]) % A)];
    std::vector<int> seed_letters;
    for (char c : pat.seed) seed_letters.push_back(static_cast<int>(letters.find(c)));
    for (size_t i = 0; i < n; ++i) {
      if (!left[i]) continue;
      PatternHit best;
      for (int st = 0; st < strands; ++st) {
        const PatternCodes& s = codes[i][static_cast<size_t>(st)];
        for (int64_t b = core[i][static_cast<size_t>(st)].first; b + k <= core[i][static_cast<size_t>(st)].second; ++b) {
          int64_t d = 0;
          for (int64_t p = 0; p < k && d <= o.mismatches; ++p) d += s[static_cast<size_t>(b + p)] != seed_letters[static_cast<size_t>(p)];
          if (d <= o.mismatches && d < best.distance) best = {b, st == 1, d};
        }
      }
      if (best.start < 0) continue;
      pat.members.push_back(static_cast<int64_t>(i));
      pat.seed_start.push_back(best.start);
      pat.reverse.push_back(best.reverse);
      left[i] = false;
    }
    // Columns relative to the seed's start: a member covers [-start, length - start).
    int64_t lo = 0, hi = k;
    for (size_t m = 0; m < pat.members.size(); ++m) {
      lo = std::min(lo, -pat.seed_start[m]);
      hi = std::max(hi, static_cast<int64_t>(codes[static_cast<size_t>(pat.members[m])][0].size()) - pat.seed_start[m]);
    }
    std::vector<std::vector<double>> count(static_cast<size_t>(hi - lo), std::vector<double>(static_cast<size_t>(A), 0.0));
    std::vector<double> reach(static_cast<size_t>(hi - lo), 0.0), weight(static_cast<size_t>(hi - lo), 0.0);
    for (size_t m = 0; m < pat.members.size(); ++m) {
      const size_t i = static_cast<size_t>(pat.members[m]);
      const PatternCodes& s = codes[i][pat.reverse[m] ? 1 : 0];
      const std::vector<double>& w = attr[i][pat.reverse[m] ? 1 : 0];
      for (int64_t j = 0; j < static_cast<int64_t>(s.size()); ++j) {
        const int64_t col = j - pat.seed_start[m] - lo;
        if (weighted) weight[static_cast<size_t>(col)] += w[static_cast<size_t>(j)];
        if (s[static_cast<size_t>(j)] < 0) continue;
        count[static_cast<size_t>(col)][static_cast<size_t>(s[static_cast<size_t>(j)])] += 1;
        reach[static_cast<size_t>(col)] += 1;
      }
    }
    const double need = o.min_coverage * static_cast<double>(pat.members.size());
    int64_t first = -lo, last = k - lo;  // [first, last) in count's columns, the seed included
    while (first > 0 && reach[static_cast<size_t>(first - 1)] >= need) --first;
    while (last < hi - lo && reach[static_cast<size_t>(last)] >= need) ++last;
    if (weighted) {  // TF-MoDISco's trimming: the span of columns with >= trim_fraction of the top mean attribution
      double top = 0;
      for (int64_t c = first; c < last; ++c) top = std::max(top, weight[static_cast<size_t>(c)] / reach[static_cast<size_t>(c)]);
      const auto strong = [&](int64_t c) { return weight[static_cast<size_t>(c)] / reach[static_cast<size_t>(c)] >= o.trim_fraction * top; };
      if (top > 0) {
        while (first < last - 1 && !strong(first)) ++first;
        while (last - 1 > first && !strong(last - 1)) --last;
      }
    }
    pat.first_column = first + lo;
    for (int64_t c = first; c < last; ++c) {
      std::vector<double> col = count[static_cast<size_t>(c)];
      for (double& v : col) v = reach[static_cast<size_t>(c)] > 0 ? v / reach[static_cast<size_t>(c)] : 1.0 / static_cast<double>(A);
      pat.matrix.columns.push_back(col);
    }
    pat.matrix.nsites = static_cast<double>(pat.members.size());
    pat.consensus = motif_consensus(pat.matrix, letters);
    out.push_back(std::move(pat));
  }
  std::stable_sort(out.begin(), out.end(), [](const SeqletPattern& a, const SeqletPattern& b) { return a.members.size() > b.members.size(); });
  for (size_t p = 0; p < out.size(); ++p) {
    out[p].matrix.id = "pattern_" + std::to_string(p + 1);
    out[p].matrix.name = out[p].consensus;
  }
  return out;
}

}  // namespace seqnn
