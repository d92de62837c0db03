// Sequence logos as SVG (vector letters that stay sharp at any size, for papers), information
// content maps of PWMs, and grids of logos for the seqlet report.
#include <torch/torch.h>

#include <cctype>
#include <cmath>
#include <cstdio>

#include "attribution/logo_layout.h"
#include "seqnn/attribution/logo.h"
#include "seqnn/util/error.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

// The nucleotide glyphs in a unit box (x right, y down), the same shapes as the PNG's: A an
// inverted V with its bar (the triangle above the bar is a hole: even-odd fill), C and G rings
// open to the right, T a bar and stem, U a horseshoe (non-zero fill).
const char* glyph_path(char letter) {
  switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'A': return "M0 1L0.4 0H0.6L1 1H0.76L0.66 0.74H0.34L0.24 1ZM0.41 0.58H0.59L0.5 0.3Z";
    case 'C': return "M0.883 0.179A0.5 0.5 0 1 0 0.883 0.821L0.73 0.693A0.3 0.3 0 1 1 0.73 0.307Z";
    case 'G': return "M0.854 0.146A0.5 0.5 0 1 0 1 0.5H0.8A0.3 0.3 0 1 1 0.712 0.288ZM0.55 0.5V0.64H1V0.5Z";  // the bar runs the way the ring does: their overlap stays filled
    case 'T': return "M0 0H1V0.2H0.6V1H0.4V0.2H0Z";
    case 'U': return "M0 0H0.2V0.5A0.3 0.3 0 0 0 0.8 0.5V0H1V0.5A0.5 0.5 0 0 1 0 0.5Z";
    default: return nullptr;
  }
}

std::string rgb_text(char letter) {
  uint8_t r, g, b;
  logo::letter_rgb(letter, r, g, b);
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

void add_text(std::string& svg, double x, double y, const std::string& text, const char* anchor = "start", int size = 10,
              const std::string& extra = "") {
  svg += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + std::to_string(size) + "\" text-anchor=\"" + anchor + "\"" +
         extra + ">" + xml_escape(text) + "</text>\n";
}

void add_line(std::string& svg, double x0, double y0, double x1, double y1) {
  svg += "<line x1=\"" + num(x0) + "\" y1=\"" + num(y0) + "\" x2=\"" + num(x1) + "\" y2=\"" + num(y1) + "\"/>\n";
}

// One letter stretched over [x, x + w] x [top, bottom].
void add_glyph(std::string& svg, const logo::Glyph& g, double x, double w) {
  const double h = g.bottom - g.top;
  const std::string attrs = " class=\"letter\" data-letter=\"" + xml_escape(std::string(1, g.letter)) + "\" data-value=\"" + num(g.value) +
                            "\" fill=\"" + rgb_text(g.letter) + "\"";
  if (const char* d = glyph_path(g.letter)) {
    const char* rule = std::toupper(static_cast<unsigned char>(g.letter)) == 'A' ? "evenodd" : "nonzero";
    svg += "<path" + attrs + " fill-rule=\"" + rule + "\" transform=\"translate(" + num(x) + " " + num(g.top) + ") scale(" + num(w) + " " +
           num(h) + ")\" d=\"" + d + "\"/>\n";
    return;
  }
  // Other letters: the font's glyph, its cap height (about 0.72 em) stretched to the box.
  svg += "<text" + attrs + " font-family=\"DejaVu Sans Mono, monospace\" font-size=\"1\" text-anchor=\"middle\" transform=\"translate(" +
         num(x + w / 2) + " " + num(g.bottom) + ") scale(" + num(w / 0.62) + " " + num(h / 0.72) + ")\">" +
         xml_escape(std::string(1, g.letter)) + "</text>\n";
}

// The logo's elements, drawn with its top-left corner at (ox, oy); returns its size.
std::pair<double, double> add_logo(std::string& svg, const at::Tensor& map, const LogoOptions& o, double ox, double oy) {
  const logo::Layout g = logo::layout_logo(map, o);
  const double ppp = static_cast<double>(g.pixels_per_position), left = static_cast<double>(g.left);
  const double top = static_cast<double>(g.top), bottom = top + static_cast<double>(g.plot_height);
  svg += "<g transform=\"translate(" + num(ox) + " " + num(oy) + ")\">\n";
  if (g.highlight_length > 0) {
    svg += "<rect x=\"" + num(left + static_cast<double>(g.highlight_start) * ppp) + "\" y=\"" + num(top) + "\" width=\"" +
           num(static_cast<double>(g.highlight_length) * ppp) + "\" height=\"" + num(bottom - top) + "\" fill=\"#e8e8e8\"/>\n";
  }
  for (const logo::Glyph& glyph : g.glyphs) add_glyph(svg, glyph, left + static_cast<double>(glyph.position) * ppp, ppp - 1);
  svg += "<g stroke=\"#282828\" stroke-width=\"1\">\n";
  add_line(svg, left, g.zero, left + static_cast<double>(g.positions) * ppp, g.zero);
  add_line(svg, left - 2, top, left - 2, bottom);
  add_line(svg, left - 5, top, left - 2, top);
  if (g.down > 0) add_line(svg, left - 5, bottom, left - 2, bottom);
  const int64_t every = g.pixels_per_position >= 8 ? 10 : 20;
  for (int64_t l = 0; l < g.positions; ++l) {
    if ((o.first_position + l) % every != 0) continue;
    const double x = left + static_cast<double>(l) * ppp + ppp / 2;
    add_line(svg, x, bottom + 1, x, bottom + 4);
  }
  svg += "</g>\n<g fill=\"#282828\" font-family=\"DejaVu Sans, sans-serif\">\n";
  add_text(svg, left - 7, top + 4, logo::number_text(g.up), "end");
  if (g.down > 0) add_text(svg, left - 7, bottom + 3, logo::number_text(-g.down), "end");
  if (g.zero - top > 12 && bottom - g.zero > 12) add_text(svg, left - 7, g.zero + 3, "0", "end");
  if (g.down == 0) add_text(svg, left - 7, bottom + 3, "0", "end");
  for (int64_t l = 0; l < g.positions; ++l) {
    const int64_t position = o.first_position + l;
    if (position % every != 0) continue;
    add_text(svg, left + static_cast<double>(l) * ppp + ppp / 2, bottom + 14, std::to_string(position), "middle");
  }
  if (!o.y_label.empty()) {
    const double y = (top + bottom) / 2;
    add_text(svg, 12, y, o.y_label, "middle", 10, " transform=\"rotate(-90 12 " + num(y) + ")\"");
  }
  if (!o.title.empty()) add_text(svg, left, 14, o.title, "start", 11);
  svg += "</g>\n</g>\n";
  // The title may be wider than the letters (about 6.5 units per character at size 11).
  const double title_width = left + 6.5 * static_cast<double>(o.title.size());
  return {std::max(static_cast<double>(g.width), title_width), static_cast<double>(g.height)};
}

std::string document(double width, double height, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) +
         "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" +
         body + "</svg>\n";
}

}  // namespace

std::string render_logo_svg(const at::Tensor& map, const LogoOptions& options) {
  std::string body;
  const auto [w, h] = add_logo(body, map, options, 0, 0);
  return document(w, h, body);
}

std::string render_logo_grid_svg(const std::vector<std::vector<LogoPanel>>& rows, const std::string& title) {
  // Columns line up: each starts after the widest panel of the column before it.
  std::vector<double> column_width;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      std::string scratch;
      const double w = add_logo(scratch, row[c].map, row[c].options, 0, 0).first;
      if (column_width.size() <= c) column_width.push_back(0);
      column_width[c] = std::max(column_width[c], w);
    }
  }
  std::string body;
  const double gap = 16, title_height = title.empty() ? 0 : 24;
  double y = title_height, width = 0;
  for (const auto& row : rows) {
    double x = 0, row_height = 0;
    for (size_t c = 0; c < row.size(); ++c) {
      row_height = std::max(row_height, add_logo(body, row[c].map, row[c].options, x, y).second);
      x += column_width[c] + gap;
    }
    width = std::max(width, x);
    y += row_height + gap;
  }
  if (!title.empty()) add_text(body, 8, 16, title, "start", 13, " font-family=\"DejaVu Sans, sans-serif\" fill=\"#282828\"");
  return document(std::max(width, 200.0), std::max(y, 40.0), body);
}

at::Tensor information_content_map(const std::vector<std::vector<double>>& columns) {
  if (columns.empty()) throw Error("a motif logo needs at least one column");
  const int64_t A = static_cast<int64_t>(columns[0].size()), W = static_cast<int64_t>(columns.size());
  at::Tensor out = torch::zeros({A, W}, torch::kDouble);
  auto acc = out.accessor<double, 2>();
  for (int64_t w = 0; w < W; ++w) {
    const auto& col = columns[static_cast<size_t>(w)];
    if (static_cast<int64_t>(col.size()) != A) throw Error("a motif logo needs columns of one size");
    double total = 0, entropy = 0;
    for (double p : col) total += p;
    if (total <= 0) continue;
    for (double p : col) {
      if (p > 0) entropy -= (p / total) * std::log2(p / total);
    }
    const double ic = std::max(0.0, std::log2(static_cast<double>(A)) - entropy);
    for (int64_t a = 0; a < A; ++a) acc[a][w] = col[static_cast<size_t>(a)] / total * ic;
  }
  return out;
}

}  // namespace seqnn
