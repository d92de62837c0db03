// The fuzz target registry and the scratch files targets feed to file-reading parsers.
#include "fuzz/fuzz_target.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <typeinfo>

namespace seqnn::fuzz {

const std::vector<FuzzTarget>& fuzz_targets() {
  static const std::vector<FuzzTarget> targets = {
      {"fasta", fuzz_fasta, "FASTA records (plain/gzip), sequence letters, .fai building and fetching"},
      {"bed", fuzz_bed, "BED / narrowPeak lines and the model windows around them"},
      {"vcf", fuzz_vcf, "VCF records through htslib into reference/alternative windows"},
      {"alignment", fuzz_alignment, "a2m / a3m / aligned FASTA alignments and their focus columns"},
      {"mutations", fuzz_mutations, "mutation CSVs and mutant strings (A42G:C55T) on a focus sequence"},
      {"table", fuzz_table, "the TSV/CSV table reader: RFC 4180 quoting, CRLF, BOM, gzip"},
      {"json", fuzz_json, "every JSON config: CNN, RNN, pair, ensemble, VAE, char-LM, S1, MHC metadata, training"},
      {"structure", fuzz_structure, "RNA structures: dot-bracket (pseudoknots), pair lists, structure files, energy evaluation"},
      {"npy", fuzz_npy, ".npy arrays"},
      {"model", fuzz_model, "model files: TorchScript zips and native archives"},
      {"meme", fuzz_meme, "MEME motif files (and their round trip)"},
      {"mhc", fuzz_mhc, "MHC pseudo-sequence tables, allele names and peptide lists"},
      {"archive", fuzz_archive, "the other archive loaders: char-LM, S1 model, DeepSequence checkpoint, training state"},
  };
  return targets;
}

const FuzzTarget* find_fuzz_target(const std::string& name) {
  for (const FuzzTarget& t : fuzz_targets()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

bool run_fuzz_input(const FuzzTarget& target, const uint8_t* data, size_t size) {
  const std::string prefix = std::string(target.name) + ": ";
  try {
    target.run(data, size);
    return true;
  } catch (const FuzzFinding& f) {
    throw FuzzFinding(prefix + f.what());
  } catch (const Error& e) {
    const std::string message = e.what();
    if (message.empty() || message.find('\n') != std::string::npos) {
      throw FuzzFinding(prefix + "a refusal that is not one line: '" + message + "'");
    }
    return false;
  } catch (const std::exception& e) {
    throw FuzzFinding(prefix + "escaped as " + typeid(e).name() + " instead of seqnn::Error: " + e.what());
  } catch (...) {
    throw FuzzFinding(prefix + "a non-standard exception escaped");
  }
}

void require(bool condition, const std::string& what) {
  if (!condition) throw FuzzFinding(what);
}

namespace {

// One folder per process, so parallel fuzzers (and the test suite) never share files.
const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/seqnn_fuzz_XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("seqnn fuzz: mkdtemp");
      std::abort();
    }
    static std::string removed_at_exit = pattern;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(removed_at_exit, ec);
    });
    return pattern;
  }();
  return dir;
}

}  // namespace

std::string scratch_path(const std::string& name) { return scratch_dir() + "/" + name; }

std::string write_input_file(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratch_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "seqnn fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

std::string write_input_file(const std::string& name, const std::string& text) {
  return write_input_file(name, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

void remove_scratch_file(const std::string& name) {
  std::error_code ec;
  std::filesystem::remove(scratch_path(name), ec);
}

std::string as_text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

}  // namespace seqnn::fuzz
