#include "seqnn/util/zip_check.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

#include "seqnn/util/error.h"

namespace seqnn {
namespace {

uint64_t le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

struct ZipReader {
  std::ifstream in;
  uint64_t size = 0;
  std::string path, what;

  [[noreturn]] void damaged(const std::string& problem) const { fail(path, "damaged " + what + ": " + problem); }

  std::vector<unsigned char> read_at(uint64_t offset, uint64_t n) {
    if (offset > size || n > size - offset) damaged("the zip directory points past the end of the file");
    std::vector<unsigned char> buf(static_cast<size_t>(n));
    in.seekg(static_cast<std::streamoff>(offset));
    if (n && !in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n))) damaged("read error");
    return buf;
  }
};

struct CentralDirectory {
  uint64_t entries = 0, offset = 0, bytes = 0;
};

// The end-of-central-directory record (and its zip64 form); false when the file is no zip.
bool find_central_directory(ZipReader& z, CentralDirectory& cd) {
  if (z.size < 22) return false;
  const uint64_t tail = std::min<uint64_t>(z.size, 22 + 65535);
  const std::vector<unsigned char> t = z.read_at(z.size - tail, tail);
  for (size_t i = t.size() - 22 + 1; i-- > 0;) {
    if (std::memcmp(&t[i], "PK\x05\x06", 4) != 0) continue;
    const uint64_t eocd = z.size - tail + i;
    cd.entries = le(&t[i + 10], 2);
    cd.bytes = le(&t[i + 12], 4);
    cd.offset = le(&t[i + 16], 4);
    if ((cd.entries == 0xffff || cd.offset == 0xffffffff || cd.bytes == 0xffffffff) && eocd >= 20) {
      const std::vector<unsigned char> loc = z.read_at(eocd - 20, 20);
      if (std::memcmp(loc.data(), "PK\x06\x07", 4) != 0) z.damaged("zip64 locator missing");
      const std::vector<unsigned char> rec = z.read_at(le(&loc[8], 8), 56);
      if (std::memcmp(rec.data(), "PK\x06\x06", 4) != 0) z.damaged("zip64 end record missing");
      cd.entries = le(&rec[32], 8);
      cd.bytes = le(&rec[40], 8);
      cd.offset = le(&rec[48], 8);
    }
    return true;
  }
  return false;
}

// CRC-32 of an entry's data: as stored (method 0), or inflated (method 8, deflate).
void check_entry(ZipReader& z, const std::string& name, uint64_t method, uint64_t local, uint64_t bytes, uint32_t crc) {
  const std::vector<unsigned char> h = z.read_at(local, 30);
  if (std::memcmp(h.data(), "PK\x03\x04", 4) != 0) z.damaged("entry '" + name + "' has no local header");
  uint64_t at = local + 30 + le(&h[26], 2) + le(&h[28], 2);
  if (at > z.size || bytes > z.size - at) z.damaged("entry '" + name + "' runs past the end of the file (truncated?)");
  uLong sum = crc32(0L, Z_NULL, 0);
  std::vector<unsigned char> buf(1 << 20), out(method == 8 ? 1 << 20 : 0);
  z_stream zs{};
  if (method == 8 && inflateInit2(&zs, -MAX_WBITS) != Z_OK) z.damaged("cannot inflate");
  int status = Z_OK;
  z.in.seekg(static_cast<std::streamoff>(at));
  for (uint64_t left = bytes; left > 0 && status != Z_STREAM_END;) {
    const uint64_t n = std::min<uint64_t>(left, buf.size());
    if (!z.in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n))) z.damaged("read error");
    left -= n;
    if (method == 0) {
      sum = crc32(sum, buf.data(), static_cast<uInt>(n));
      continue;
    }
    zs.next_in = buf.data();
    zs.avail_in = static_cast<uInt>(n);
    do {
      zs.next_out = out.data();
      zs.avail_out = static_cast<uInt>(out.size());
      status = inflate(&zs, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) break;
      sum = crc32(sum, out.data(), static_cast<uInt>(out.size() - zs.avail_out));
    } while (zs.avail_out == 0 && status != Z_STREAM_END);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) break;
  }
  if (method == 8) {
    inflateEnd(&zs);
    if (status != Z_STREAM_END) z.damaged("entry '" + name + "' does not inflate (the file is corrupt)");
  }
  if (static_cast<uint32_t>(sum) != crc) z.damaged("entry '" + name + "' fails its CRC-32 check (the file is corrupt)");
}

}  // namespace

void require_intact_zip(const std::string& path, const std::string& what) {
  ZipReader z;
  z.path = path;
  z.what = what;
  z.in.open(path, std::ios::binary | std::ios::ate);
  if (!z.in) return;  // the loader reports unreadable files
  z.size = static_cast<uint64_t>(z.in.tellg());
  CentralDirectory cd;
  if (!find_central_directory(z, cd)) {
    // A zip's directory is its last part: a file that starts as a zip but has none was cut short.
    if (z.size >= 4 && std::memcmp(z.read_at(0, 4).data(), "PK\x03\x04", 4) == 0) {
      z.damaged("a zip archive without its directory at the end (a truncated file?)");
    }
    return;  // not a zip: the loader says what it is not
  }
  const std::vector<unsigned char> dir = z.read_at(cd.offset, cd.bytes);
  size_t p = 0;
  for (uint64_t e = 0; e < cd.entries; ++e) {
    if (p + 46 > dir.size() || std::memcmp(&dir[p], "PK\x01\x02", 4) != 0) z.damaged("zip directory entry " + std::to_string(e + 1) + " is malformed");
    const uint64_t method = le(&dir[p + 10], 2), name_len = le(&dir[p + 28], 2), extra_len = le(&dir[p + 30], 2),
                   comment_len = le(&dir[p + 32], 2);
    const uint32_t crc = static_cast<uint32_t>(le(&dir[p + 16], 4));
    uint64_t bytes = le(&dir[p + 20], 4), original = le(&dir[p + 24], 4), local = le(&dir[p + 42], 4);
    if (p + 46 + name_len + extra_len + comment_len > dir.size()) z.damaged("zip directory entry " + std::to_string(e + 1) + " is malformed");
    const std::string name(reinterpret_cast<const char*>(&dir[p + 46]), static_cast<size_t>(name_len));
    // Zip64 sizes and offset, in this order, for the fields that hold 0xffffffff.
    for (size_t x = p + 46 + name_len; x + 4 <= p + 46 + name_len + extra_len;) {
      const uint64_t id = le(&dir[x], 2), len = le(&dir[x + 2], 2);
      size_t f = x + 4;
      if (id == 1) {
        for (uint64_t* field : {&original, &bytes, &local}) {
          if (*field == 0xffffffff && f + 8 <= x + 4 + len) {
            *field = le(&dir[f], 8);
            f += 8;
          }
        }
      }
      x += 4 + len;
    }
    if (method == 0 || method == 8) check_entry(z, name, method, local, bytes, crc);
    p += 46 + name_len + extra_len + comment_len;
  }
}

}  // namespace seqnn
