// Fuzz targets for sequence input: FASTA (streamed and indexed), BED intervals and VCF variants
// with the windows a model sees around them.
#include <algorithm>
#include <fstream>

#include "fuzz/fuzz_target.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/bed.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/variants/variant_windows.h"
#include "seqnn/variants/vcf.h"

namespace seqnn::fuzz {
namespace {

// A small genome the BED and VCF inputs are placed on: "20" long enough for the real chr20
// records of the seed corpus near its start, and a short "chrX" so windows run off both ends.
const IndexedFasta& fuzz_genome() {
  static const IndexedFasta genome = [] {
    const std::string path = scratch_path("genome.fa");
    std::ofstream out(path);
    uint64_t state = 12345;
    auto write_chrom = [&](const char* name, int64_t length) {
      out << '>' << name << '\n';
      for (int64_t i = 0; i < length; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        out << "ACGTacgtN"[(state >> 33) % 9];
        if (i % 60 == 59 || i + 1 == length) out << '\n';
      }
    };
    write_chrom("20", 1000000);
    write_chrom("chrX", 5000);
    out.close();
    return IndexedFasta(path);
  }();
  return genome;
}

void check_window(const std::string& seq, int64_t length, int64_t padded, const std::string& what) {
  require(static_cast<int64_t>(seq.size()) == length, what + ": window of " + std::to_string(seq.size()) +
                                                          " bases, not " + std::to_string(length));
  require(padded >= 0 && padded <= length, what + ": padded count out of range");
}

}  // namespace

void fuzz_fasta(const uint8_t* data, size_t size) {
  const std::string path = write_input_file("input.fa", data, size);
  remove_scratch_file("input.fa.fai");
  remove_scratch_file("input.fa.gzi");
  int64_t records = 0;
  {
    FastaReader reader(path);
    FastaRecord r;
    while (reader.next(r)) {
      ++records;
      require(!r.name.empty(), "FASTA record without a name");
      require(r.name.find_first_of(" \t\r\n\v\f") == std::string::npos, "FASTA name with white space: " + r.name);
      require(r.sequence.find_first_of("\r\n") == std::string::npos, "line break inside a FASTA sequence");
      try {
        check_sequence_letters(r.sequence, Alphabet::dna(), UnknownRule::kZero, r.name);
        const at::Tensor x = one_hot_encode(std::vector<std::string>{r.sequence}, Alphabet::dna());
        require(x.size(2) == static_cast<int64_t>(r.sequence.size()), "one-hot length differs from the sequence");
      } catch (const Error&) {
      }
    }
  }
  require(count_fasta_records(path) == records, "count_fasta_records differs from the records read");
  IndexedFasta indexed(path);
  for (const std::string& name : indexed.names()) {
    const int64_t length = indexed.length(name);
    require(length >= 0, "negative sequence length in the index");
    int64_t padded = 0;
    const int64_t end = std::min<int64_t>(length, 40) + 3;
    const std::string head = indexed.fetch(name, -3, end, 'N', &padded);
    require(static_cast<int64_t>(head.size()) == end + 3, "fetch returned the wrong length");
    require(padded == 3 + std::max<int64_t>(0, end - length), "fetch outside the sequence not counted as padding");
  }
}

void fuzz_bed(const uint8_t* data, size_t size) {
  const IndexedFasta& genome = fuzz_genome();
  const std::string path = write_input_file("input.bed", data, size);
  int64_t records = 0;
  {
    BedReader reader(path);
    BedInterval iv;
    while (reader.next(iv)) {
      ++records;
      require(iv.start >= 0 && iv.end >= iv.start, "BED interval with start < 0 or end < start accepted");
      require(iv.strand == '+' || iv.strand == '-' || iv.strand == '.', "strand not + - or .");
      const int64_t length = 1 + (records % 3) * 50;
      try {
        const Window w = make_window(genome, iv, length, records % 2 ? WindowCentre::kSummit : WindowCentre::kInterval);
        check_window(w.sequence, length, w.padded, "BED window");
        require(w.end - w.start == length, "BED window coordinates do not span its length");
      } catch (const Error&) {
      }
    }
  }
  require(count_bed_records(path) == records, "count_bed_records differs from the records read");
}

void fuzz_vcf(const uint8_t* data, size_t size) {
  const IndexedFasta& genome = fuzz_genome();
  const std::string path = write_input_file("input.vcf", data, size);
  VcfReader reader(path);
  (void)reader.header_text();
  Variant v;
  int64_t variants = 0;
  while (reader.next(v) && variants < 10000) {
    ++variants;
    require(v.alt_index >= 1 && v.alt_index <= v.n_alts, "ALT index outside the record's ALT alleles");
    if (!v.problem.empty()) continue;
    require(!v.ref.empty() && !v.alt.empty(), "a scorable variant without REF or ALT");
    try {
      const VariantWindows w = make_variant_windows(genome, v, 100);
      check_window(w.ref_seq, 100, w.padded, "reference window of " + v.key());
      check_window(w.alt_seq, 100, 0, "alternative window of " + v.key());
    } catch (const Error&) {
    }
  }
}

}  // namespace seqnn::fuzz
