#include "seqnn/util/png.h"

#include <zlib.h>

#include <algorithm>

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
