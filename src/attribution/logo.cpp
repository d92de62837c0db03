#include "seqnn/attribution/logo.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"

namespace seqnn {
namespace {

// Unit-box shapes of the nucleotide letters (u right, v down, both in [0, 1]), drawn smooth at
// any height; other letters use the built-in 5 x 7 font, stretched.
bool in_ring(double u, double v, double thickness) {
  const double du = (u - 0.5) / 0.5, dv = (v - 0.5) / 0.5;
  const double r = std::sqrt(du * du + dv * dv);
  return r <= 1.0 && r >= 1.0 - 2 * thickness;  // thickness in units of the box width
}
double angle_from_right(double u, double v) { return std::abs(std::atan2(v - 0.5, u - 0.5)) * 180.0 / M_PI; }

bool glyph_covers(char letter, double u, double v) {
  switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'A': {
      const double left = 0.5 - 0.5 * v, right = 0.5 + 0.5 * v, w = 0.24;
      if (u >= left && u <= left + w) return true;
      if (u <= right && u >= right - w) return true;
      return v >= 0.58 && v <= 0.74 && u >= left && u <= right;
    }
    case 'C': return in_ring(u, v, 0.2) && angle_from_right(u, v) > 40;
    case 'G':
      if (in_ring(u, v, 0.2)) return !(v < 0.5 && angle_from_right(u, v) < 45);
      return v >= 0.5 && v <= 0.64 && u >= 0.55;
    case 'T': return v <= 0.2 || (u >= 0.4 && u <= 0.6);
    case 'U':
      if (v <= 0.5) return u <= 0.2 || u >= 0.8;
      return in_ring(u, v, 0.2);
    default: return font_pixel(letter, static_cast<int64_t>(u * 5), static_cast<int64_t>(v * 7));
  }
}

Rgb letter_color(char letter) {
  switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'A': return {16, 150, 72};
    case 'C': return {37, 92, 153};
    case 'G': return {247, 179, 43};
    case 'T': case 'U': return {214, 40, 57};
    default: return {60, 60, 60};
  }
}

// Row of the map for a sequence letter (T and U are the same base), -1 when not in the alphabet.
int64_t row_of(const std::string& letters, char c) {
  const char up = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (size_t i = 0; i < letters.size(); ++i) {
    const char l = static_cast<char>(std::toupper(static_cast<unsigned char>(letters[i])));
    if (l == up || (l == 'U' && up == 'T') || (l == 'T' && up == 'U')) return static_cast<int64_t>(i);
  }
  return -1;
}

// The map as rows of doubles, masked to the observed letters when a sequence is given.
std::vector<std::vector<double>> masked_values(const at::Tensor& map, const std::string& letters, const std::string& sequence) {
  if (map.dim() != 2) throw Error("a logo needs a map of shape (letters, positions); got " + std::to_string(map.dim()) + " dimensions");
  const int64_t A = map.size(0), L = map.size(1);
  if (static_cast<int64_t>(letters.size()) != A) {
    throw Error("the map has " + std::to_string(A) + " letters per position but the alphabet '" + letters + "' has " +
                std::to_string(letters.size()));
  }
  if (!sequence.empty() && static_cast<int64_t>(sequence.size()) != L) {
    throw Error("the sequence has " + std::to_string(sequence.size()) + " letters but the map has " + std::to_string(L) + " positions");
  }
  at::Tensor m = map.to(torch::kCPU, torch::kDouble).contiguous();
  const double* p = m.data_ptr<double>();
  std::vector<std::vector<double>> v(static_cast<size_t>(A), std::vector<double>(static_cast<size_t>(L)));
  for (int64_t a = 0; a < A; ++a) {
    for (int64_t l = 0; l < L; ++l) {
      const bool keep = sequence.empty() || row_of(letters, sequence[static_cast<size_t>(l)]) == a;
      const double x = p[a * L + l];
      v[static_cast<size_t>(a)][static_cast<size_t>(l)] = keep && std::isfinite(x) ? x : 0.0;
    }
  }
  return v;
}

void draw_letter(RgbImage& img, char letter, int64_t x0, int64_t width, double top, double bottom) {
  if (bottom - top < 0.5) return;
  const Rgb color = letter_color(letter);
  for (int64_t py = static_cast<int64_t>(std::floor(top)); py < static_cast<int64_t>(std::ceil(bottom)); ++py) {
    const double v = (py + 0.5 - top) / (bottom - top);
    if (v < 0 || v > 1) continue;
    for (int64_t px = 0; px < width; ++px) {
      if (glyph_covers(letter, (px + 0.5) / width, v)) img.set(x0 + px, py, color);
    }
  }
}

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", x);
  return buf;
}

}  // namespace

int64_t strongest_window(const at::Tensor& map, const std::string& letters, const std::string& sequence, int64_t length) {
  const auto v = masked_values(map, letters, sequence);
  const int64_t L = map.size(1);
  if (length <= 0 || length > L) throw Error("window length " + std::to_string(length) + " does not fit " + std::to_string(L) + " positions");
  std::vector<double> column(static_cast<size_t>(L), 0.0);
  for (const auto& row : v) {
    for (int64_t l = 0; l < L; ++l) column[static_cast<size_t>(l)] += row[static_cast<size_t>(l)];
  }
  double sum = 0, best = -INFINITY;
  int64_t best_start = 0;
  for (int64_t l = 0; l < L; ++l) {
    sum += column[static_cast<size_t>(l)];
    if (l >= length) sum -= column[static_cast<size_t>(l - length)];
    if (l >= length - 1 && sum > best) {
      best = sum;
      best_start = l - length + 1;
    }
  }
  return best_start;
}

RgbImage render_logo(const at::Tensor& map, const LogoOptions& o) {
  const auto v = masked_values(map, o.letters, o.sequence);
  const int64_t A = map.size(0), L = map.size(1), ppp = std::max<int64_t>(2, o.pixels_per_position);
  double up = 0, down = 0;
  for (int64_t l = 0; l < L; ++l) {
    double pos = 0, neg = 0;
    for (int64_t a = 0; a < A; ++a) (v[a][l] > 0 ? pos : neg) += v[a][l];
    up = std::max(up, pos);
    down = std::max(down, -neg);
  }
  if (up + down == 0) up = 1;
  const int64_t left = 56, top = o.title.empty() ? 8 : 22, bottom_margin = 22;
  RgbImage img(left + L * ppp + 10, top + o.plot_height + bottom_margin);
  const double scale = o.plot_height / (up + down), zero = top + up * scale;
  if (o.highlight_length > 0 && o.highlight_length <= L) {
    const int64_t s = strongest_window(map, o.letters, o.sequence, o.highlight_length);
    img.fill_rect(left + s * ppp, top, left + (s + o.highlight_length) * ppp - 1, top + o.plot_height, {232, 232, 232});
  }
  for (int64_t l = 0; l < L; ++l) {
    std::vector<std::pair<double, int64_t>> letters;
    for (int64_t a = 0; a < A; ++a) letters.emplace_back(v[a][l], a);
    std::sort(letters.begin(), letters.end(), [](const auto& x, const auto& y) { return std::abs(x.first) < std::abs(y.first); });
    double above = zero, below = zero;  // the stacks grow outwards, smallest next to the line
    for (const auto& [value, a] : letters) {
      const double h = std::abs(value) * scale;
      const char letter = o.letters[static_cast<size_t>(a)];
      if (value > 0) {
        draw_letter(img, letter, left + l * ppp, ppp - 1, above - h, above);
        above -= h;
      } else if (value < 0) {
        draw_letter(img, letter, left + l * ppp, ppp - 1, below, below + h);
        below += h;
      }
    }
  }
  const Rgb ink{40, 40, 40};
  img.fill_rect(left, static_cast<int64_t>(zero), left + L * ppp - 1, static_cast<int64_t>(zero), ink);
  img.fill_rect(left - 2, top, left - 2, top + o.plot_height, ink);
  draw_text(img, 2, top, number_text(up), ink);
  if (down > 0.05 * up) draw_text(img, 2, top + o.plot_height - 7, number_text(-down), ink);
  const int64_t every = ppp >= 8 ? 10 : 20;
  for (int64_t l = 0; l < L; ++l) {
    const int64_t position = o.first_position + l;
    if (position % every != 0) continue;
    const int64_t x = left + l * ppp + ppp / 2;
    img.fill_rect(x, top + o.plot_height + 1, x, top + o.plot_height + 4, ink);
    const std::string label = std::to_string(position);
    draw_text(img, x - text_width(label) / 2, top + o.plot_height + 7, label, ink);
  }
  if (!o.title.empty()) draw_text(img, left, 6, o.title, ink);
  return img;
}

namespace {

FastaRecord fasta_record_at(const std::string& path, int64_t index) {
  FastaReader reader(path);
  FastaRecord r;
  for (int64_t i = 0; reader.next(r); ++i) {
    if (i == index) return r;
  }
  fail(path, "has no record " + std::to_string(index) + " (0-based); it has fewer records than the attribution file");
}

std::string default_alphabet(int64_t letters) {
  if (letters == 4) return "dna";
  if (letters == 20) return "protein";
  throw Error("cannot tell the alphabet of a map with " + std::to_string(letters) + " letters per position: give --alphabet");
}

}  // namespace

LogoResult plot_logo_file(const LogoRequest& request) {
  at::Tensor all = load_npy(request.attributions);
  if (all.dim() != 3) fail(request.attributions, "attributions must have shape (N, A, L); this file has " + std::to_string(all.dim()) + " dimensions");
  if (request.record < 0 || request.record >= all.size(0)) {
    fail(request.attributions, "has no record " + std::to_string(request.record) + " (it holds " + std::to_string(all.size(0)) + ")");
  }
  at::Tensor map = all[request.record];
  LogoOptions o;
  o.letters = Alphabet::from_name(request.alphabet.empty() ? default_alphabet(map.size(0)) : request.alphabet).letters();
  o.highlight_length = std::min<int64_t>(request.motif_length, map.size(1));
  o.pixels_per_position = request.pixels_per_position;
  LogoResult r;
  r.id = "record " + std::to_string(request.record);
  if (!request.fasta.empty()) {
    const FastaRecord rec = fasta_record_at(request.fasta, request.record);
    o.sequence = rec.sequence;
    r.id = rec.name;
    if (static_cast<int64_t>(o.sequence.size()) != map.size(1)) {
      fail(request.fasta + ":" + std::to_string(rec.line), "record " + rec.name + " has " + std::to_string(o.sequence.size()) +
                                                               " letters but its map has " + std::to_string(map.size(1)) + " positions");
    }
  }
  o.title = r.id;
  r.positions = map.size(1);
  if (request.flank >= 0 && o.highlight_length > 0) {  // crop around the strongest window
    const int64_t s = strongest_window(map, o.letters, o.sequence, o.highlight_length);
    const int64_t from = std::max<int64_t>(0, s - request.flank);
    const int64_t to = std::min<int64_t>(map.size(1), s + o.highlight_length + request.flank);
    map = map.slice(1, from, to);
    if (!o.sequence.empty()) o.sequence = o.sequence.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
    o.first_position = from + 1;
  }
  if (o.highlight_length > 0) {
    r.start = strongest_window(map, o.letters, o.sequence, o.highlight_length);
    const int64_t offset = o.first_position - 1;
    if (!o.sequence.empty()) r.motif = o.sequence.substr(static_cast<size_t>(r.start), static_cast<size_t>(o.highlight_length));
    const auto v = masked_values(map, o.letters, o.sequence);
    for (const auto& row : v) {
      for (int64_t l = r.start; l < r.start + o.highlight_length; ++l) r.sum += row[static_cast<size_t>(l)];
    }
    r.start += offset;
  }
  write_png(request.out, render_logo(map, o));
  return r;
}

}  // namespace seqnn
