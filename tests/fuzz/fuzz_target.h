#pragma once
// Fuzz targets for the parsers seqnn owns (docs/reliability.md). Each target takes arbitrary
// bytes, feeds them to one parser (through a file when the parser reads files) and checks what
// the parser promises: either it throws seqnn::Error (bad input, one line naming the problem) or
// what it returns holds its invariants. Anything else - another exception type, a failed
// invariant, a sanitizer report, a hang - is a finding.
//
// The same targets run under libFuzzer (libfuzzer_main.cpp, `make fuzz`) and in the test suite,
// which replays the committed corpora in tests/fuzz/corpus/<target>/ (test_fuzz_corpus.cpp).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "seqnn/util/error.h"

namespace seqnn::fuzz {

using FuzzFunction = void (*)(const uint8_t* data, size_t size);

struct FuzzTarget {
  const char* name;  // also the corpus folder name
  FuzzFunction run;
  const char* parsers;  // what it feeds, for --help and docs
};

const std::vector<FuzzTarget>& fuzz_targets();
const FuzzTarget* find_fuzz_target(const std::string& name);

// A broken invariant: not bad input but a wrong result, so never a seqnn::Error.
class FuzzFinding : public std::logic_error {
 public:
  explicit FuzzFinding(const std::string& what) : std::logic_error(what) {}
};
void require(bool condition, const std::string& what);

// f() for a step that must not fail on what the parser accepted (writing it back, reading that
// again): a seqnn::Error there is a finding, not bad input.
template <typename F>
auto must_succeed(const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    throw FuzzFinding(what + ": " + e.what());
  }
}

// Runs one input through a target: true when the parser accepted it, false when it refused it
// with a one-line seqnn::Error; throws FuzzFinding for everything else (a broken invariant,
// another exception type, a multi-line message), naming the target.
bool run_fuzz_input(const FuzzTarget& target, const uint8_t* data, size_t size);

// Writes the input to a file named `name` in this process's scratch folder (made once, removed at
// exit) and returns its path; every call with the same name reuses the file.
std::string write_input_file(const std::string& name, const uint8_t* data, size_t size);
std::string write_input_file(const std::string& name, const std::string& text);
std::string scratch_path(const std::string& name);
void remove_scratch_file(const std::string& name);

// Bytes as text, and the input split at its first byte: a selector (which parser or setting) and
// the rest.
std::string as_text(const uint8_t* data, size_t size);

// The targets (one per parser family).
void fuzz_fasta(const uint8_t* data, size_t size);
void fuzz_bed(const uint8_t* data, size_t size);
void fuzz_vcf(const uint8_t* data, size_t size);
void fuzz_alignment(const uint8_t* data, size_t size);
void fuzz_mutations(const uint8_t* data, size_t size);
void fuzz_table(const uint8_t* data, size_t size);
void fuzz_json(const uint8_t* data, size_t size);
void fuzz_structure(const uint8_t* data, size_t size);
void fuzz_npy(const uint8_t* data, size_t size);
void fuzz_model(const uint8_t* data, size_t size);
void fuzz_meme(const uint8_t* data, size_t size);
void fuzz_mhc(const uint8_t* data, size_t size);
void fuzz_archive(const uint8_t* data, size_t size);  // selector: 0 LM, 1 S1, 2 DeepSequence, 3 train state

}  // namespace seqnn::fuzz
