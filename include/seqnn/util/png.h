#pragma once
// A minimal PNG writer (8-bit RGB, no interlace, zlib-compressed) for plots and pairing maps,
// so seqnn needs no image library. Files are written atomically (util/atomic_file.h).
#include <cstdint>
#include <string>
#include <vector>

namespace seqnn {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

struct RgbImage {
  int64_t width = 0, height = 0;
  std::vector<uint8_t> pixels;  // row-major, 3 bytes per pixel

  RgbImage() = default;
  RgbImage(int64_t w, int64_t h, Rgb fill = {255, 255, 255});
  void set(int64_t x, int64_t y, Rgb c);  // ignores points outside the image
  Rgb get(int64_t x, int64_t y) const;
  void fill_rect(int64_t x0, int64_t y0, int64_t x1, int64_t y1, Rgb c);  // inclusive corners
  void draw_rect(int64_t x0, int64_t y0, int64_t x1, int64_t y1, Rgb c);  // 1-pixel outline
};

// Draws text with a built-in 5 x 7 pixel font (6 pixels per character, times scale), top-left
// corner at (x, y), so plots carry labels without a font library. Returns the width drawn.
int64_t draw_text(RgbImage& image, int64_t x, int64_t y, const std::string& text, Rgb color, int64_t scale = 1);
int64_t text_width(const std::string& text, int64_t scale = 1);
// Whether pixel (col 0-4, row 0-6) of the built-in font's glyph for c is set (unknown: a box).
bool font_pixel(char c, int64_t col, int64_t row);

// The PNG bytes of an image (signature, IHDR, one IDAT, IEND).
std::string encode_png(const RgbImage& image);
// Throws seqnn::Error naming the path when it cannot be written.
void write_png(const std::string& path, const RgbImage& image);

}  // namespace seqnn
