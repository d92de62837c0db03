#pragma once
// Small file-system primitives every module uses, so each failure reads the same way:
// "PATH: cannot open WHAT: No such file or directory".
#include <string>

namespace seqnn {

// Throws seqnn::Error naming the path and `what` ("model config", "mutation table") unless the
// path is a readable regular file (or a readable non-directory such as /dev/stdin).
void require_readable(const std::string& path, const std::string& what);

// The whole file as text (bytes unchanged); errors as require_readable.
std::string read_text_file(const std::string& path, const std::string& what);

// Creates the directory and its parents when absent. An existing directory is fine; an existing
// non-directory or a failure to create is an error naming the path and the reason.
void ensure_directory(const std::string& path);

// The files a run reads (the CLI registers every existing file given to an input flag), so an
// output path naming one of them is refused: a run never overwrites its own input.
void register_input_file(const std::string& path);

// Throws seqnn::Error naming the path unless it may be written as an output: not one of the
// registered inputs (compared by device and inode, so another spelling of the path is caught),
// and not an existing FIFO, device, socket or directory (an output is renamed into place, which
// would replace such a file with a regular one).
void check_output_target(const std::string& path);

// OUT without its output extension (.vcf.gz, .vcf, .tsv, .npy): the stem side files are named
// after (OUT.skipped.tsv, OUT.sd.tsv, OUT.shard.json's files).
std::string output_stem(const std::string& out);

}  // namespace seqnn
