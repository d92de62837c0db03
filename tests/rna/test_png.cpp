// The PNG writer, checked by decoding the file independently: chunk CRCs with zlib's crc32 and
// the pixel rows with zlib's uncompress.
#include <gtest/gtest.h>
#include <zlib.h>

#include "seqnn/util/error.h"
#include "seqnn/util/png.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

uint32_t be32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<uint8_t>(s[at + k]);
  return v;
}

TEST(RnaPng, DecodesToTheSamePixels) {
  RgbImage img(5, 3, {10, 20, 30});
  img.set(4, 2, {255, 0, 7});
  img.draw_rect(0, 0, 2, 2, {1, 2, 3});
  seqnn::test::TempDir dir;
  write_png(dir.file("a.png"), img);
  const std::string png = seqnn::test::read_text(dir.file("a.png"));
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n"));
  std::string idat;
  size_t at = 8;
  std::vector<std::string> types;
  while (at < png.size()) {
    const uint32_t len = be32(png, at);
    const std::string body = png.substr(at + 4, 4 + len);
    EXPECT_EQ(be32(png, at + 8 + len), crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
    types.push_back(body.substr(0, 4));
    if (types.back() == "IHDR") {
      EXPECT_EQ(be32(body, 4), 5u);
      EXPECT_EQ(be32(body, 8), 3u);
      EXPECT_EQ(body[12], 8);  // bit depth
      EXPECT_EQ(body[13], 2);  // RGB
    }
    if (types.back() == "IDAT") idat += body.substr(4);
    at += 12 + len;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"IHDR", "IDAT", "IEND"}));
  std::string raw(3 * (1 + 5 * 3), '\0');
  uLongf size = raw.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(raw.data()), &size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()), Z_OK);
  ASSERT_EQ(size, raw.size());
  for (int64_t y = 0; y < 3; ++y) {
    EXPECT_EQ(raw[static_cast<size_t>(y * 16)], 0);  // filter: none
    for (int64_t x = 0; x < 5; ++x) {
      const Rgb c = img.get(x, y);
      const size_t k = static_cast<size_t>(y * 16 + 1 + x * 3);
      EXPECT_EQ(static_cast<uint8_t>(raw[k]), c.r);
      EXPECT_EQ(static_cast<uint8_t>(raw[k + 2]), c.b);
    }
  }
  EXPECT_EQ(img.get(4, 2).b, 7);
  EXPECT_EQ(img.get(1, 1).r, 10);  // inside the outline: untouched
  EXPECT_EQ(img.get(2, 1).r, 1);
  EXPECT_FALSE(seqnn::test::exists(dir.file("a.png.partial")));
}

TEST(RnaPng, RejectsBadImages) {
  EXPECT_THROW(RgbImage(0, 3), Error);
  RgbImage img(2, 2);
  img.pixels.pop_back();
  EXPECT_THROW(encode_png(img), Error);
  EXPECT_THROW(write_png("/nonexistent-dir/x.png", RgbImage(1, 1)), Error);
}

// The font: '1' and '.' at scale 1 and 2 against their hand-drawn 5 x 7 patterns.
TEST(RnaPng, DrawTextRendersTheGlyphPatterns) {
  const char* one[] = {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."};
  const char* dot[] = {".....", ".....", ".....", ".....", ".....", ".##..", ".##.."};
  for (int64_t scale : {1, 2}) {
    RgbImage img(20 * scale, 9 * scale);
    EXPECT_EQ(draw_text(img, scale, scale, "1.", Rgb{0, 0, 0}, scale), 11 * scale);
    for (int64_t y = 0; y < 9 * scale; ++y) {
      for (int64_t x = 0; x < 20 * scale; ++x) {
        const int64_t gx = (x - scale) / scale, gy = (y - scale) / scale;  // glyph cell (pen at scale, scale)
        bool on = false;
        if (x >= scale && y >= scale && gy < 7) {
          if (gx < 5) on = one[gy][gx] == '#';
          if (gx >= 6 && gx < 11) on = dot[gy][gx - 6] == '#';
        }
        EXPECT_EQ(img.get(x, y).r == 0, on) << "scale " << scale << " at " << x << "," << y;
      }
    }
  }
  EXPECT_EQ(text_width("Val"), 17);
  RgbImage a(30, 10), b(30, 10);
  draw_text(a, 0, 0, "Val", Rgb{0, 0, 0});
  draw_text(b, 0, 0, "val", Rgb{0, 0, 0});
  EXPECT_EQ(a.pixels, b.pixels);  // upper case drawn as lower case
  RgbImage c(10, 10);
  draw_text(c, 0, 0, "#", Rgb{0, 0, 0});  // no glyph: an outlined box
  EXPECT_EQ(c.get(0, 0).r, 0);
  EXPECT_EQ(c.get(2, 3).r, 255);
}

}  // namespace
}  // namespace seqnn
