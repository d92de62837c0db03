#pragma once
// Where a logo's letters go, shared by the PNG and SVG renderers (logo.cpp, logo_svg.cpp): the
// stacks of each position (largest magnitude outermost, positive above the zero line), the value
// range, the margins, in pixels of the PNG (the SVG uses the same units).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/attribution/logo.h"

namespace seqnn::logo {

struct Glyph {
  int64_t position = 0;  // column of the map
  char letter = 'A';
  double value = 0;
  double top = 0, bottom = 0;  // pixel rows, top < bottom
};

struct Layout {
  int64_t positions = 0, pixels_per_position = 12;
  int64_t left = 56, top = 8, plot_height = 160, width = 0, height = 0;
  double up = 1, down = 0;    // the largest stack above and below the zero line
  double scale = 1, zero = 0;  // pixels per unit, the zero line's row
  int64_t highlight_start = -1, highlight_length = 0;
  std::vector<Glyph> glyphs;
};

// Throws seqnn::Error when letters or sequence do not fit the map.
Layout layout_logo(const at::Tensor& map, const LogoOptions& options);

// "0.53", "-1.2e+03": the axis labels.
std::string number_text(double x);

// The fill colour of a letter (nucleotides in the usual colours; others dark grey), as r, g, b.
void letter_rgb(char letter, uint8_t& r, uint8_t& g, uint8_t& b);

}  // namespace seqnn::logo
