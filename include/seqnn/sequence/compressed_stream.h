#pragma once
// Truncated compressed input must stop a run, not end it early with partial results (htslib
// reads a cut bgzip file up to the cut and then reports end of file, and asserts when an index
// points past the cut). Every reader that opens a file with htslib's BGZF calls these.
#include <string>

struct BGZF;
struct kstring_t;

namespace seqnn {

// Throws seqnn::Error naming the path when the file is bgzip-compressed but its end-of-file block
// is missing (a cut download or copy). Plain and plain-gzip files pass (gzip has no such block;
// its truncation shows when it is read: require_clean_end).
void require_complete_bgzf(BGZF* fp, const std::string& path);
// The same for a path (opens and closes it), e.g. before htslib's faidx reads it through an index.
void require_complete_bgzf_file(const std::string& path);

// At the end of reading (the reader saw end of file): throws seqnn::Error naming the path and what
// was read last ("line 51", "record 51") when the stream stopped on an error (a gzip member cut short, corrupt data).
void require_clean_end(BGZF* fp, const std::string& path, const std::string& last_read);

// A UTF-8 byte-order mark (editors on Windows write one) is not part of a file's first line: the
// line readers strip it, as htslib's own readers do not.
void strip_utf8_bom(kstring_t& line);
// True when the file's first bytes (as stored, not decompressed) are a UTF-8 byte-order mark:
// htslib's VCF reader and FASTA indexer do not skip one, so their errors are explained by it.
bool file_starts_with_utf8_bom(const std::string& path);

}  // namespace seqnn
