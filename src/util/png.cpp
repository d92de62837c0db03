#include "seqnn/util/png.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// A chunk: length, type, data, CRC-32 of type + data (zlib's crc32 is the PNG one).
void put_chunk(std::string& out, const char type[5], const std::string& data) {
  put_u32(out, static_cast<uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  out += body;
  put_u32(out, static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

std::string compress_rows(const RgbImage& image) {
  // Each scanline starts with filter type 0 (none); compression does the rest.
  const size_t row = static_cast<size_t>(image.width) * 3;
  std::string raw;
  raw.reserve((row + 1) * static_cast<size_t>(image.height));
  for (int64_t y = 0; y < image.height; ++y) {
    raw.push_back('\0');
    raw.append(reinterpret_cast<const char*>(image.pixels.data()) + static_cast<size_t>(y) * row, row);
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 6) != Z_OK) {
    throw Error("png: zlib compression failed");
  }
  out.resize(size);
  return out;
}


// 5 x 7 pixel glyphs (bit 4 = leftmost column), lower case, digits and the punctuation of metric
// names and numbers; upper case is drawn as lower case, anything else as an outlined box.
const std::array<uint8_t, 7>* glyph(char c) {
  static const std::map<char, std::array<uint8_t, 7>> font = {
    {'0', {0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e}},
    {'1', {0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e}},
    {'2', {0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f}},
    {'3', {0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e}},
    {'4', {0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02}},
    {'5', {0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e}},
    {'6', {0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e}},
    {'7', {0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e}},
    {'9', {0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c}},
    {'a', {0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f}},
    {'b', {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e}},
    {'c', {0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e}},
    {'d', {0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f}},
    {'e', {0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e}},
    {'f', {0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08}},
    {'g', {0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x0e}},
    {'h', {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11}},
    {'i', {0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e}},
    {'j', {0x02, 0x00, 0x06, 0x02, 0x02, 0x12, 0x0c}},
    {'k', {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12}},
    {'l', {0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e}},
    {'m', {0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11}},
    {'n', {0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11}},
    {'o', {0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e}},
    {'p', {0x00, 0x00, 0x1e, 0x11, 0x1e, 0x10, 0x10}},
    {'q', {0x00, 0x00, 0x0d, 0x13, 0x0f, 0x01, 0x01}},
    {'r', {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10}},
    {'s', {0x00, 0x00, 0x0e, 0x10, 0x0e, 0x01, 0x1e}},
    {'t', {0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06}},
    {'u', {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d}},
    {'v', {0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04}},
    {'w', {0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a}},
    {'x', {0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11}},
    {'y', {0x00, 0x00, 0x11, 0x11, 0x0f, 0x01, 0x0e}},
    {'z', {0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c}},
    {'-', {0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00}},
    {'_', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f}},
    {'+', {0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00}},
    {':', {0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00}},
    {'/', {0x01, 0x02, 0x02, 0x04, 0x08, 0x08, 0x10}},
    {',', {0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08}},
    {'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    {')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},
    {'=', {0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00}},
    {' ', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
  };
  const auto it = font.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return it == font.end() ? nullptr : &it->second;
}

}  // namespace

RgbImage::RgbImage(int64_t w, int64_t h, Rgb fill) : width(w), height(h) {
  if (w <= 0 || h <= 0) throw Error("png: image size must be positive");
  pixels.resize(static_cast<size_t>(w * h) * 3);
  for (size_t k = 0; k < pixels.size(); k += 3) {
    pixels[k] = fill.r;
    pixels[k + 1] = fill.g;
    pixels[k + 2] = fill.b;
  }
}

void RgbImage::set(int64_t x, int64_t y, Rgb c) {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const size_t k = static_cast<size_t>(y * width + x) * 3;
  pixels[k] = c.r;
  pixels[k + 1] = c.g;
  pixels[k + 2] = c.b;
}

Rgb RgbImage::get(int64_t x, int64_t y) const {
  const size_t k = static_cast<size_t>(y * width + x) * 3;
  return {pixels.at(k), pixels.at(k + 1), pixels.at(k + 2)};
}

void RgbImage::fill_rect(int64_t x0, int64_t y0, int64_t x1, int64_t y1, Rgb c) {
  for (int64_t y = std::max<int64_t>(y0, 0); y <= std::min(y1, height - 1); ++y) {
    for (int64_t x = std::max<int64_t>(x0, 0); x <= std::min(x1, width - 1); ++x) set(x, y, c);
  }
}

void RgbImage::draw_rect(int64_t x0, int64_t y0, int64_t x1, int64_t y1, Rgb c) {
  fill_rect(x0, y0, x1, y0, c);
  fill_rect(x0, y1, x1, y1, c);
  fill_rect(x0, y0, x0, y1, c);
  fill_rect(x1, y0, x1, y1, c);
}

std::string encode_png(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0 || image.pixels.size() != static_cast<size_t>(image.width * image.height) * 3) {
    throw Error("png: image size does not match its pixel buffer");
  }
  std::string out = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  put_u32(ihdr, static_cast<uint32_t>(image.width));
  put_u32(ihdr, static_cast<uint32_t>(image.height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit, RGB, deflate, filter 0, no interlace
  put_chunk(out, "IHDR", ihdr);
  put_chunk(out, "IDAT", compress_rows(image));
  put_chunk(out, "IEND", "");
  return out;
}

void write_png(const std::string& path, const RgbImage& image) {
  const std::string bytes = encode_png(image);
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

}  // namespace seqnn

namespace seqnn {

bool font_pixel(char c, int64_t col, int64_t row) {
  if (col < 0 || col > 4 || row < 0 || row > 6) return false;
  const std::array<uint8_t, 7>* g = glyph(c);
  if (!g) return col == 0 || col == 4 || row == 0 || row == 6;
  return ((*g)[static_cast<size_t>(row)] >> (4 - col)) & 1;
}

int64_t draw_text(RgbImage& image, int64_t x, int64_t y, const std::string& text, Rgb color, int64_t scale) {
  for (size_t i = 0; i < text.size(); ++i) {
    const int64_t left = x + static_cast<int64_t>(i) * 6 * scale;
    const std::array<uint8_t, 7>* g = glyph(text[i]);
    if (!g) {
      image.draw_rect(left, y, left + 5 * scale - 1, y + 7 * scale - 1, color);
      continue;
    }
    for (int64_t row = 0; row < 7; ++row) {
      for (int64_t col = 0; col < 5; ++col) {
        if (((*g)[static_cast<size_t>(row)] >> (4 - col)) & 1) {
          image.fill_rect(left + col * scale, y + row * scale, left + (col + 1) * scale - 1, y + (row + 1) * scale - 1, color);
        }
      }
    }
  }
  return text_width(text, scale);
}

int64_t text_width(const std::string& text, int64_t scale) {
  return text.empty() ? 0 : (static_cast<int64_t>(text.size()) * 6 - 1) * scale;
}

}  // namespace seqnn
