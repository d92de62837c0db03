#include "seqnn/sequence/compressed_stream.h"

#include <htslib/bgzf.h>
#include <htslib/hts.h>  // enum htsCompression
#include <htslib/kstring.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "seqnn/util/error.h"

namespace seqnn {

void require_complete_bgzf(BGZF* fp, const std::string& path) {
  if (bgzf_compression(fp) != bgzf) return;
  if (bgzf_check_EOF(fp) == 0) {
    fail(path, "truncated bgzip file: its end-of-file block is missing (an interrupted download or copy?)");
  }
}

void require_complete_bgzf_file(const std::string& path) {
  BGZF* fp = bgzf_open(path.c_str(), "r");
  if (!fp) fail(path, std::string("cannot open: ") + std::strerror(errno));
  try {
    require_complete_bgzf(fp, path);
  } catch (...) {
    bgzf_close(fp);
    throw;
  }
  bgzf_close(fp);
}

void require_clean_end(BGZF* fp, const std::string& path, const std::string& last_read) {
  if (fp->errcode == 0) return;
  fail(path, "the compressed data end early or are corrupt after " + last_read +
                 " (a truncated or damaged gzip/bgzip file)");
}

void strip_utf8_bom(kstring_t& line) {
  if (line.l >= 3 && std::memcmp(line.s, "\xEF\xBB\xBF", 3) == 0) {
    std::memmove(line.s, line.s + 3, line.l - 3 + 1);
    line.l -= 3;
  }
}

bool file_starts_with_utf8_bom(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[3] = {0, 0, 0};
  in.read(head, 3);
  return in.gcount() == 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0;
}

}  // namespace seqnn
