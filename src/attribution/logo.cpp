#include "seqnn/attribution/logo.h"

#include "attribution/logo_layout.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "seqnn/attribution/meme.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"

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
  Rgb c;
  logo::letter_rgb(letter, c.r, c.g, c.b);
  return c;
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

namespace logo {

void letter_rgb(char letter, uint8_t& r, uint8_t& g, uint8_t& b) {
  switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'A': r = 16, g = 150, b = 72; return;
    case 'C': r = 37, g = 92, b = 153; return;
    case 'G': r = 247, g = 179, b = 43; return;
    case 'T': case 'U': r = 214, g = 40, b = 57; return;
    default: r = 60, g = 60, b = 60; return;
  }
}

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", x);
  return buf;
}

Layout layout_logo(const at::Tensor& map, const LogoOptions& o) {
  const auto v = masked_values(map, o.letters, o.sequence);
  Layout g;
  const int64_t A = map.size(0), L = map.size(1);
  g.positions = L;
  g.pixels_per_position = std::max<int64_t>(2, o.pixels_per_position);
  g.plot_height = o.plot_height;
  double up = 0, down = 0;
  for (int64_t l = 0; l < L; ++l) {
    double pos = 0, neg = 0;
    for (int64_t a = 0; a < A; ++a) (v[a][l] > 0 ? pos : neg) += v[a][l];
    up = std::max(up, pos);
    down = std::max(down, -neg);
  }
  if (up + down == 0) up = 1;
  g.up = up;
  g.down = down;
  g.top = o.title.empty() ? 8 : 22;
  g.width = g.left + L * g.pixels_per_position + 10;
  g.height = g.top + g.plot_height + 22;
  g.scale = static_cast<double>(g.plot_height) / (up + down);
  g.zero = static_cast<double>(g.top) + up * g.scale;
  if (o.highlight_length > 0 && o.highlight_length <= L) {
    g.highlight_start = strongest_window(map, o.letters, o.sequence, o.highlight_length);
    g.highlight_length = o.highlight_length;
  }
  for (int64_t l = 0; l < L; ++l) {
    std::vector<std::pair<double, int64_t>> letters;
    for (int64_t a = 0; a < A; ++a) letters.emplace_back(v[a][l], a);
    std::sort(letters.begin(), letters.end(), [](const auto& x, const auto& y) { return std::abs(x.first) < std::abs(y.first); });
    double above = g.zero, below = g.zero;  // the stacks grow outwards, smallest next to the line
    for (const auto& [value, a] : letters) {
      const double h = std::abs(value) * g.scale;
      const char letter = o.letters[static_cast<size_t>(a)];
      if (value > 0) {
        g.glyphs.push_back({l, letter, value, above - h, above});
        above -= h;
      } else if (value < 0) {
        g.glyphs.push_back({l, letter, value, below, below + h});
        below += h;
      }
    }
  }
  return g;
}

}  // namespace logo

RgbImage render_logo(const at::Tensor& map, const LogoOptions& o) {
  const logo::Layout g = logo::layout_logo(map, o);
  const int64_t ppp = g.pixels_per_position, left = g.left, top = g.top, L = g.positions;
  RgbImage img(g.width, g.height);
  if (g.highlight_length > 0) {
    img.fill_rect(left + g.highlight_start * ppp, top, left + (g.highlight_start + g.highlight_length) * ppp - 1, top + g.plot_height,
                  {232, 232, 232});
  }
  for (const logo::Glyph& glyph : g.glyphs) draw_letter(img, glyph.letter, left + glyph.position * ppp, ppp - 1, glyph.top, glyph.bottom);
  const Rgb ink{40, 40, 40};
  img.fill_rect(left, static_cast<int64_t>(g.zero), left + L * ppp - 1, static_cast<int64_t>(g.zero), ink);
  img.fill_rect(left - 2, top, left - 2, top + g.plot_height, ink);
  draw_text(img, 2, top, logo::number_text(g.up), ink);
  if (g.down > 0.05 * g.up) draw_text(img, 2, top + g.plot_height - 7, logo::number_text(-g.down), ink);
  const int64_t every = ppp >= 8 ? 10 : 20;
  for (int64_t l = 0; l < L; ++l) {
    const int64_t position = o.first_position + l;
    if (position % every != 0) continue;
    const int64_t x = left + l * ppp + ppp / 2;
    img.fill_rect(x, top + g.plot_height + 1, x, top + g.plot_height + 4, ink);
    const std::string label = std::to_string(position);
    draw_text(img, x - text_width(label) / 2, top + g.plot_height + 7, label, ink);
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

namespace {

// The information-content logo of MEME_FILE:ID.
LogoResult motif_logo(const std::string& spec, int64_t pixels_per_position, LogoPanel& panel) {
  const size_t colon = spec.rfind(':');
  if (colon == std::string::npos) throw Error("--motif " + spec + ": give MEME_FILE:ID");
  const std::string path = spec.substr(0, colon), id = spec.substr(colon + 1);
  const MotifFile file = read_meme(path);
  for (const Motif& m : file.motifs) {
    if (m.id != id && m.name != id) continue;
    panel.map = information_content_map(m.columns);
    LogoOptions& o = panel.options;
    o.letters = file.letters;
    o.title = m.name.empty() ? m.id : m.id + " " + m.name;
    o.y_label = "bits";
    // A motif has few positions: wider letters and a lower plot than a whole sequence's map.
    o.pixels_per_position = 3 * pixels_per_position;
    o.plot_height = 120;
    LogoResult r;
    r.id = m.id;
    r.positions = m.width();
    r.motif = motif_consensus(m, file.letters);
    r.sum = panel.map.sum().item<double>();
    return r;
  }
  throw Error("--motif " + spec + ": " + path + " has no motif with id or name '" + id + "'");
}

void write_logo(const std::string& out, const at::Tensor& map, const LogoOptions& o) {
  if (!ends_with(out, ".svg")) return write_png(out, render_logo(map, o));
  AtomicFile file(out);
  file.write(render_logo_svg(map, o));
  file.commit();
}

}  // namespace

LogoResult plot_logo_file(const LogoRequest& request) {
  if (request.attributions.empty() == request.motifs.empty()) throw Error("give --attributions or --motif (one of them)");
  LogoOptions o;
  o.pixels_per_position = request.pixels_per_position;
  if (!request.motifs.empty()) {
    if (request.motifs.size() > 1 && !ends_with(request.out, ".svg")) throw Error("several motifs are drawn into an .svg output, one under another");
    std::vector<std::vector<LogoPanel>> rows;
    LogoResult first;
    for (const std::string& spec : request.motifs) {
      LogoPanel panel;
      const LogoResult r = motif_logo(spec, request.pixels_per_position, panel);
      if (rows.empty()) first = r;
      rows.push_back({panel});
    }
    if (rows.size() == 1) {
      write_logo(request.out, rows[0][0].map, rows[0][0].options);
    } else {
      AtomicFile file(request.out);
      file.write(render_logo_grid_svg(rows, ""));
      file.commit();
    }
    return first;
  }
  at::Tensor all = load_npy(request.attributions);
  if (all.dim() != 3) fail(request.attributions, "attributions must have shape (N, A, L); this file has " + std::to_string(all.dim()) + " dimensions");
  if (request.record < 0 || request.record >= all.size(0)) {
    fail(request.attributions, "has no record " + std::to_string(request.record) + " (it holds " + std::to_string(all.size(0)) + ")");
  }
  at::Tensor map = all[request.record];
  o.letters = Alphabet::from_name(request.alphabet.empty() ? default_alphabet(map.size(0)) : request.alphabet).letters();
  o.highlight_length = std::min<int64_t>(request.motif_length, map.size(1));
  o.y_label = "attribution";
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
  write_logo(request.out, map, o);
  return r;
}

}  // namespace seqnn
