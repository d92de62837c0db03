// Bad input, end to end (issue 15, part 3): the real seqnn binary against the inputs users get
// wrong — missing, empty, directory, garbage and truncated files; FASTA, VCF, BED, JSON and model
// content; bad flag values; bad output paths. Every probe is a row of a table below.
//
// A refusal is exit status 1 (not a signal, not CLI11's 105), exactly one line on stderr that
// names the offending file (and its line where there is one), and nothing left in the probe's
// output directory: no output, no *.partial, no training directory. Input that is only spelled
// another way (CRLF line ends, a UTF-8 byte-order mark) gives the clean file's output byte for
// byte. Each run gets its own output directory, so the rows run side by side (kParallel at a
// time) and the whole battery stays within a few dozen seconds.
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <thread>

#include "deepsequence/toy_data.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/npy.h"
#include "test_helpers.h"

namespace seqnn::test {
namespace {

namespace fs = std::filesystem;

// Two runs per core: a failing run spends most of its time loading LibTorch, not computing.
constexpr int kParallel = 4;

struct CliRun {
  int exit_code = -1;
  std::string err;  // stderr alone
};

// The command line under the real binary, stdout discarded. SEQNN_RUNTIME_ENV=1 skips the
// binary's restart with tuned OpenMP/OpenBLAS variables (speed only), which halves its start-up.
// `shell_prefix` runs first in the same shell (a ulimit).
CliRun run_seqnn(const std::string& args, const std::string& shell_prefix = "") {
  const CliResult r =
      run_shell(shell_prefix + "SEQNN_RUNTIME_ENV=1 " + std::string(SEQNN_CLI_PATH) + " " + args + " 2>&1 >/dev/null");
  return {r.exit_code, r.output};
}

// Every command line, kParallel at a time; results in the order given.
std::vector<CliRun> run_all(const std::vector<std::string>& commands, const std::vector<std::string>& prefixes = {}) {
  std::vector<CliRun> out(commands.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < kParallel; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < commands.size(); i = next++) out[i] = run_seqnn(commands[i], i < prefixes.size() ? prefixes[i] : "");
    });
  }
  for (auto& t : pool) t.join();
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::string contents_of(const std::string& dir) {
  std::string names;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) names += e.path().filename().string() + " ";
  return names;
}

// One probe: `args` is the command line after "seqnn", with {o} for the probe's own (empty)
// output directory. A refusal must hold every needle in its one line.
struct Probe {
  std::string args;
  std::vector<std::string> needles;
  std::string shell_prefix = "";  // e.g. "ulimit -v N; "
};

// Runs refusal probes and checks each: exit 1, one stderr line "seqnn ...: error: ..." holding
// the needles, an empty output directory.
void expect_all_refused(const std::string& root, const std::vector<Probe>& probes) {
  std::vector<std::string> commands, prefixes;
  for (size_t i = 0; i < probes.size(); ++i) {
    const std::string out = root + "/refused" + std::to_string(i);
    fs::create_directories(out);
    std::string args = probes[i].args;
    replace_all(args, "{o}", out);
    commands.push_back(args);
    prefixes.push_back(probes[i].shell_prefix);
  }
  const std::vector<CliRun> runs = run_all(commands, prefixes);
  for (size_t i = 0; i < probes.size(); ++i) {
    SCOPED_TRACE("seqnn " + commands[i]);
    const CliRun& r = runs[i];
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(!r.err.empty() && r.err.find('\n') == r.err.size() - 1) << "not exactly one line on stderr:\n" << r.err;
    EXPECT_EQ(r.err.rfind("seqnn ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(": error: "), std::string::npos) << r.err;
    const std::string out = root + "/refused" + std::to_string(i);
    for (std::string needle : probes[i].needles) {
      replace_all(needle, "{o}", out);
      EXPECT_NE(r.err.find(needle), std::string::npos) << "no '" << needle << "' in: " << r.err;
    }
    EXPECT_EQ(contents_of(out), "") << "left in the output directory after: " << r.err;
  }
}

// A pair of runs that must both succeed and write the same bytes to the file `output` (relative
// to the run's output directory): the clean input, and the same input spelled another way.
struct SameResult {
  std::string clean_args, variant_args;  // {o} as in Probe
  std::string output;
};

void expect_same_results(const std::string& root, const std::vector<SameResult>& pairs) {
  std::vector<std::string> commands, outs;
  for (size_t i = 0; i < pairs.size(); ++i) {
    for (const std::string* args : {&pairs[i].clean_args, &pairs[i].variant_args}) {
      const std::string out = root + "/same" + std::to_string(outs.size());
      fs::create_directories(out);
      std::string a = *args;
      replace_all(a, "{o}", out);
      commands.push_back(a);
      outs.push_back(out);
    }
  }
  const std::vector<CliRun> runs = run_all(commands);
  for (size_t i = 0; i < pairs.size(); ++i) {
    SCOPED_TRACE("seqnn " + commands[2 * i + 1]);
    ASSERT_EQ(runs[2 * i].exit_code, 0) << commands[2 * i] << ": " << runs[2 * i].err;
    EXPECT_EQ(runs[2 * i + 1].exit_code, 0) << runs[2 * i + 1].err;
    const std::string clean = read_text(outs[2 * i] + "/" + pairs[i].output);
    EXPECT_FALSE(clean.empty()) << outs[2 * i] + "/" + pairs[i].output;
    EXPECT_EQ(read_text(outs[2 * i + 1] + "/" + pairs[i].output), clean) << "the variant's " << pairs[i].output << " differs";
  }
}

// ------------------------------------------------------------------------------ the inputs

std::string fasta_text(const std::vector<std::pair<std::string, std::string>>& records) {
  std::string text;
  for (const auto& [name, seq] : records) text += ">" + name + "\n" + seq + "\n";
  return text;
}

std::string windows_text(const std::string& text) {  // CRLF line ends and a byte-order mark
  std::string out = "\xEF\xBB\xBF";
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

// gzip of `text`, cut after two thirds of its bytes: a download that stopped.
void write_truncated_gzip(const std::string& path, const std::string& text) {
  write_gzip(path, text);
  const std::string whole = read_text(path);
  write_text(path, whole.substr(0, whole.size() * 2 / 3));
}

// The shared inputs: valid files of every format, and their broken variants. Models that the
// probes need (a language model, an S1 model, a DeepSequence VAE, a pan-allele MHC model) are
// trained for one epoch by the binary itself.
class Inputs {
 public:
  Inputs() {
    const auto dna = random_sequences(40, 200, Alphabet::dna(), 5);
    std::vector<std::pair<std::string, std::string>> recs;
    std::string labels = "name\ty\n";
    for (size_t i = 0; i < dna.size(); ++i) {
      recs.emplace_back("s" + std::to_string(i), dna[i]);
      labels += "s" + std::to_string(i) + "\t" + std::to_string(i % 2) + "\n";
    }
    write_text(f("dna.fa"), fasta_text({recs.begin(), recs.begin() + 4}));
    write_text(f("labels.tsv"), "name\ty\ns0\t0\ns1\t1\ns2\t0\ns3\t1\n");
    write_text(f("big.fa"), fasta_text(recs));
    write_text(f("big.tsv"), labels);
    write_truncated_gzip(f("cut.fa.gz"), fasta_text(recs));
    write_truncated_gzip(f("cut.tsv.gz"), labels);
    const auto rna = random_sequences(8, 200, Alphabet::rna(), 6);
    write_text(f("pos.fa"), fasta_text({{"p0", rna[0]}, {"p1", rna[1]}, {"p2", rna[2]}, {"p3", rna[3]}}));
    write_text(f("neg.fa"), fasta_text({{"n0", rna[4]}, {"n1", rna[5]}, {"n2", rna[6]}, {"n3", rna[7]}}));
    genome_and_intervals();
    write_text(f("empty"), "");
    fs::create_directories(f("a_directory"));
    std::mt19937 rng(15);
    std::string garbage;
    for (int i = 0; i < 2048; ++i) garbage += static_cast<char>(rng() & 0xff);
    write_text(f("garbage.bin"), garbage);
    const std::string model = read_text(fixture("deepsea_small.pt"));
    write_text(f("cut.pt"), model.substr(0, model.size() / 2));
    write_text(f("cut.json"), read_text(fixture("deepsea_small.json")).substr(0, 120));
    save_npy(f("attr.npy"), torch::randn({4, 4, 200}, torch::TensorOptions().dtype(torch::kFloat32)));
    const std::string npy = read_text(f("attr.npy"));
    write_text(f("cut.npy"), npy.substr(0, npy.size() / 2));
    write_text(f("metrics.csv"), "loss,tv,epoch\n0.7,train,1\n0.6,val,1\n0.5,train,2\n0.55,val,2\n");
    std::string metrics = "loss,tv,epoch\n";
    for (int e = 1; e <= 200; ++e) metrics += "0." + std::to_string(500 + e) + ",train," + std::to_string(e) + "\n";
    write_truncated_gzip(f("cut.csv.gz"), metrics);
    const std::string meme = read_text(fixture("motifs/rbp_iupac.meme"));
    write_text(f("cut.meme"), meme.substr(0, meme.size() / 2));
    deepsequence_inputs();
    rna_inputs();
    mhc_inputs();
    train_models();
  }
  ~Inputs() = default;
  std::string f(const std::string& name) const { return dir_.file(name); }
  const std::string& root() const { return dir_.path(); }
  const std::string& chrom() const { return chrom_; }

 private:
  void genome_and_intervals() {
    chrom_ = random_sequences(1, 1000, Alphabet::dna(), 7)[0];
    std::string g = ">chr1\n";
    for (size_t i = 0; i < chrom_.size(); i += 60) g += chrom_.substr(i, 60) + "\n";
    write_text(f("g.fa"), g);
    write_bgzip(f("cut_genome.fa.gz"), g);
    const std::string whole = read_text(f("cut_genome.fa.gz"));
    write_text(f("cut_genome.fa.gz"), whole.substr(0, whole.size() * 2 / 3));
    write_text(f("w.bed"), "chr1\t400\t600\nchr1\t100\t300\n");
    std::string bed;
    for (int s = 0; s < 800; s += 4) bed += "chr1\t" + std::to_string(s) + "\t" + std::to_string(s + 200) + "\n";
    write_truncated_gzip(f("cut.bed.gz"), bed);
    std::string vcf = vcf_header();
    for (int64_t pos = 101; pos < 900; pos += 3) vcf += snv(pos, "v" + std::to_string(pos));
    write_text(f("v.vcf"), vcf_header() + snv(500, "ok"));
    write_truncated_gzip(f("cut.vcf.gz"), vcf);
  }

  void deepsequence_inputs() {
    write_text(f("toy.a2m"), ds::test_data::toy_alignment());
    write_text(f("toy.json"), ds::test_data::toy_config());
    write_text(f("muts.csv"), "mutant,fit\nA6C,0.5\nC7D,-1\n");
    const std::string focus = "ACDEFGHIKLMN", aa = "ACDEFGHIKLMNPQRSTVWY";
    std::string muts = "mutant,fit\n";
    for (size_t p = 0; p < focus.size(); ++p) {
      for (char a : aa) {
        if (a != focus[p]) muts += std::string(1, focus[p]) + std::to_string(6 + p) + a + ",0.1\n";
      }
    }
    write_truncated_gzip(f("cut_muts.csv.gz"), muts);
    write_truncated_gzip(f("cut.a2m.gz"), ds::test_data::toy_alignment());
  }

  void rna_inputs() {
    // Hairpins GG...CC with a known structure, 24 nt each.
    const auto body = random_sequences(60, 20, Alphabet::rna(), 8);
    std::string table = "id\tsequence\tstructure\n", fa;
    for (size_t k = 0; k < body.size(); ++k) {
      const std::string seq = "GG" + body[k] + "CC", db = "((" + std::string(20, '.') + "))";
      table += "r" + std::to_string(k) + "\t" + seq + "\t" + db + "\n";
      if (k < 12) fa += ">r" + std::to_string(k) + "\n" + seq + "\n";
    }
    write_text(f("rna.tsv"), table.substr(0, table.find("r12\t")));
    write_text(f("rna.fa"), fa);
    write_truncated_gzip(f("cut_rna.tsv.gz"), table);
  }

  void mhc_inputs() {
    write_text(f("p.dat"), "HLA-A02:01 YFAMYGEKVAHTHVDTLYVRYHYYTWAVLAYTWY\nHLA-B07:02 YYSEYRNIYAQTDESNLYLSYDYYTWAERAYEWY\n");
    const auto peps = random_sequences(300, 9, Alphabet::protein(), 9);
    std::string table = "species\tmhc\tsequence\tmeas\n", list;
    for (size_t i = 0; i < peps.size(); ++i) {
      table += std::string("human\t") + (i % 2 ? "HLA-A*02:01" : "HLA-B*07:02") + "\t" + peps[i] + "\t" +
               std::to_string(10 + 130 * i) + "\n";
      list += peps[i] + "\n";
    }
    write_text(f("mhc.tsv"), table.substr(0, table.rfind('\n', table.find("\t" + peps[30] + "\t")) + 1));  // 30 rows
    write_truncated_gzip(f("cut_mhc.tsv.gz"), table);
    write_text(f("peps.txt"), "SIINFEKL\nGILGFVFTL\n");
    write_truncated_gzip(f("cut_peps.txt.gz"), list);
    std::string pseudo;
    for (int a = 1; a < 99; ++a) pseudo += "HLA-A" + std::to_string(100 + a).substr(1) + ":01 YFAMYGEKVAHTHVDTLYVRYHYYTWAVLAYTWY\n";
    write_truncated_gzip(f("cut_p.dat.gz"), pseudo);
  }

  void train_models() {
    const std::vector<std::string> commands = {
        "train-lm -q --threads 1 -f " + f("dna.fa") + " --epochs 1 -o " + f("lm"),
        "rna train -q --threads 1 --data " + f("rna.tsv") + " --num-filters 4 --filter-width 3 --epochs 1 -o " + f("s1"),
        "deepseq train -q --threads 1 -a " + f("toy.a2m") + " -c " + f("toy.json") + " --updates 2 -o " + f("ds"),
        "mhc train -q --threads 1 --table " + f("mhc.tsv") + " --pseudo-sequences " + f("p.dat") + " --epochs 1 --calibration-peptides 0 -o " + f("mhc")};
    const std::vector<CliRun> runs = run_all(commands);
    for (size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].exit_code != 0) ADD_FAILURE() << commands[i] << ": " << runs[i].err;
    }
  }

  std::string vcf_header() const {
    return "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  }

 public:
  char base(int64_t pos1) const { return chrom_[static_cast<size_t>(pos1 - 1)]; }
  char other(int64_t pos1) const { return base(pos1) == 'A' ? 'C' : 'A'; }
  std::string vcf_line(int64_t pos, const std::string& ref, const std::string& alt, const std::string& id) const {
    return "chr1\t" + std::to_string(pos) + "\t" + id + "\t" + ref + "\t" + alt + "\t.\tPASS\t.\n";
  }
  std::string snv(int64_t pos, const std::string& id) const {
    return vcf_line(pos, std::string(1, base(pos)), std::string(1, other(pos)), id);
  }
  void write_vcf(const std::string& name, const std::string& body) const { write_text(f(name), vcf_header() + body); }

 private:
  TempDir dir_;
  std::string chrom_;
};

class CliBadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { inputs_ = new Inputs(); }
  static void TearDownTestSuite() {
    delete inputs_;
    inputs_ = nullptr;
  }
  static const Inputs& in() { return *inputs_; }
  static std::string f(const std::string& name) { return inputs_->f(name); }
  static std::string model() { return fixture("deepsea_small.pt"); }

 private:
  static Inputs* inputs_;
};

Inputs* CliBadInput::inputs_ = nullptr;

// ------------------------------------------------------------------------------ file kinds

// Each input of each command, with X for the file probed and the valid file's truncated form.
struct InputUse {
  std::string args;       // " X " = the probed file, {o} = the output directory
  std::string truncated;  // a cut-short version of a valid file of this format
  std::string cut_needle = "truncated";
  std::string dir = "";   // where garbage.bin, empty, a_directory live (set by the test)
};

// Which broken forms of a file a row probes: random bytes always; a missing file, a directory
// and an empty file for the first use of each reader (the others share its open check); the
// truncated form for every FASTA command and the first use of each other format.
enum Kinds { kGarbage = 1, kCut = 2, kBasic = 4 };

std::vector<Probe> broken_file_probes(const InputUse& use, int kinds) {
  auto with = [&](const std::string& file, std::vector<std::string> needles) {
    std::string args = use.args;
    replace_all(args, " X ", " " + file + " ");  // the token only: a temporary directory's name may hold an X
    needles.insert(needles.begin(), file);
    return Probe{args, needles};
  };
  const std::string D = use.dir;
  std::vector<Probe> probes = {with(D + "/garbage.bin", {})};
  if (kinds & kBasic) {
    probes.push_back(with(D + "/no_such_file", {"No such file"}));
    probes.push_back(with(D + "/a_directory", {"directory"}));
    probes.push_back(with(D + "/empty", {}));
  }
  if ((kinds & kCut) && !use.truncated.empty()) probes.push_back(with(use.truncated, {use.cut_needle}));
  return probes;
}

TEST_F(CliBadInput, BrokenFilesAreOneLineNamingTheFile) {
  const std::string M = model(), S1 = f("s1/model_best.pt"), MHC = f("mhc/model_best.pt");
  const int all = kGarbage | kCut | kBasic, cut = kGarbage | kCut, garbage = kGarbage;
  struct Row {
    InputUse use;
    int kinds;
  };
  const std::vector<Row> rows = {
      // FASTA: every command that reads it; the truncated form for each of its three readers
      // (the streaming one, the training data sets', the RNA commands').
      {{"predict -q -m " + M + " -f X -o {o}/p.tsv", f("cut.fa.gz")}, all},
      {{"ism -q -m " + M + " -f X -o {o}/i.npy --start 0 --end 2", ""}, garbage},
      {{"attribute -q -m " + M + " -f X -o {o}/a.npy", ""}, garbage},
      {{"evaluate -q -m rbp/pum2 --positives X --negatives " + f("neg.fa") + " -o {o}/e.tsv", ""}, garbage},
      {{"train -q -f X --labels " + f("big.tsv") + " --epochs 1 -o {o}/run", f("cut.fa.gz")}, cut},
      {{"train-lm -q -f X --epochs 1 -o {o}/lm", ""}, garbage},
      {{"plot-logo --attributions " + f("attr.npy") + " -f X -o {o}/l.png", ""}, garbage},
      {{"seqlets -q --attributions " + f("attr.npy") + " -f X -o {o}/s.tsv", ""}, garbage},
      {{"rna fold -q -f X -o {o}/f.txt", f("cut.fa.gz")}, cut},
      {{"rna predict -q -m " + S1 + " -f X -o {o}/r.tsv", ""}, garbage},
      // Genomes (indexed FASTA), BED, VCF.
      {{"predict -q -m " + M + " -b " + f("w.bed") + " -g X -o {o}/p.tsv", f("cut_genome.fa.gz")}, cut},
      {{"predict -q -m " + M + " -b X -g " + f("g.fa") + " -o {o}/p.tsv", f("cut.bed.gz")}, cut},
      {{"score-variants -q -m " + M + " -g " + f("g.fa") + " -v X -o {o}/s.tsv", f("cut.vcf.gz")}, all},
      // JSON configs (plain text: the truncated form is cut mid-object).
      {{"init-model -c X -o {o}/m.pt", f("cut.json"), "invalid JSON"}, cut},
      // Tables, one per command that reads one.
      {{"train -q -f " + f("big.fa") + " --labels X --epochs 1 -o {o}/run", f("cut.tsv.gz")}, all},
      {{"plot-metrics X -o {o}/c.svg", ""}, garbage},
      {{"deepseq score -q -m " + f("ds/model_best.pt") + " -a " + f("toy.a2m") + " --mutations X -o {o}/s.csv", ""}, garbage},
      {{"rna train -q --data X --num-filters 4 --filter-width 3 --epochs 1 -o {o}/s1", ""}, garbage},
      {{"rna eval -q --truth " + f("rna.tsv") + " --pred X -o {o}/e.tsv", ""}, garbage},
      {{"mhc train -q --table X --pseudo-sequences " + f("p.dat") + " --epochs 1 -o {o}/mhc", ""}, garbage},
      {{"mhc train -q --table " + f("mhc.tsv") + " --pseudo-sequences X --epochs 1 -o {o}/mhc", f("cut_p.dat.gz")}, cut},
      {{"mhc predict -q -m " + MHC + " --alleles HLA-A*02:01 --peptides X -o {o}/r.tsv", ""}, garbage},
      // Alignments, .npy maps, MEME motifs.
      {{"deepseq train -q -a X -o {o}/ds --updates 2", f("cut.a2m.gz")}, cut},
      {{"plot-logo --attributions X -f " + f("dna.fa") + " -o {o}/l.png", f("cut.npy"), "cut.npy"}, cut},
      {{"seqlets -q --attributions " + f("attr.npy") + " -f " + f("dna.fa") + " --motifs X -o {o}/s.tsv", f("cut.meme"), "cut.meme"}, cut},
      // Models: random bytes and a file cut in half, for each loader (TorchScript or native; the
      // LM, S1, VAE and MHC archives).
      {{"predict -q -m X -f " + f("dna.fa") + " -o {o}/p.tsv", f("cut.pt")}, all},
      {{"generate -q -m X --n 2 -o {o}/g.fa", f("cut.pt")}, all},
      {{"rna predict -q -m X -f " + f("rna.fa") + " -o {o}/r.tsv", f("cut.pt")}, cut},
      {{"deepseq score -q -m X -a " + f("toy.a2m") + " --mutations " + f("muts.csv") + " -o {o}/s.csv", f("cut.pt")}, cut},
      {{"mhc predict -q -m X --alleles HLA-A*02:01 --peptides " + f("peps.txt") + " -o {o}/r.tsv", f("cut.pt")}, cut},
  };
  std::vector<Probe> probes;
  for (Row row : rows) {
    row.use.dir = in().root();
    for (Probe& p : broken_file_probes(row.use, row.kinds)) probes.push_back(std::move(p));
  }
  expect_all_refused(in().root() + "/files", probes);
}

// Runs probes that must succeed and write `output` (relative to their output directory); the
// output must exist and be non-empty. Returns stderr of each.
std::vector<CliRun> expect_all_accepted(const std::string& root, const std::vector<std::pair<std::string, std::string>>& probes) {
  std::vector<std::string> commands;
  for (size_t i = 0; i < probes.size(); ++i) {
    const std::string out = root + "/accepted" + std::to_string(i);
    fs::create_directories(out);
    std::string args = probes[i].first;
    replace_all(args, "{o}", out);
    commands.push_back(args);
  }
  const std::vector<CliRun> runs = run_all(commands);
  for (size_t i = 0; i < probes.size(); ++i) {
    SCOPED_TRACE("seqnn " + commands[i]);
    EXPECT_EQ(runs[i].exit_code, 0) << runs[i].err;
    EXPECT_FALSE(read_text(root + "/accepted" + std::to_string(i) + "/" + probes[i].second).empty());
  }
  return runs;
}

TEST_F(CliBadInput, FastaRecordsAreCheckedByEveryCommandThatReadsThem) {
  const std::string M = model();
  const auto dna = random_sequences(5, 200, Alphabet::dna(), 21);
  std::vector<std::pair<std::string, std::string>> ok = {{"s0", dna[0]}, {"s1", dna[1]}, {"s2", dna[2]}, {"s3", dna[3]}};
  const std::string D = in().root();
  write_text(D + "/no_header.fa", dna[4] + "\n" + fasta_text(ok));
  auto with = [&](std::pair<std::string, std::string> extra) {
    auto r = ok;
    r.insert(r.begin() + 2, std::move(extra));  // line 5
    return fasta_text(r);
  };
  write_text(D + "/duplicate.fa", with({"s1", dna[4]}));
  write_text(D + "/zero.fa", with({"z", ""}));
  write_text(D + "/short.fa", with({"short", dna[4].substr(0, 150)}));
  write_text(D + "/nul.fa", with({std::string("na\0me", 5), dna[4]}));
  std::string iupac = dna[4];
  iupac.replace(50, 11, "RYKMSWBDHVN");
  write_text(D + "/iupac.fa", with({"iupac", iupac}));
  const auto rna = random_sequences(2, 200, Alphabet::rna(), 22);
  write_text(D + "/rna_zero.fa", fasta_text({{"p0", rna[0]}, {"p1", rna[1]}, {"z", ""}}));
  const std::string labels = f("dup_labels.tsv");
  write_text(labels, "name\ty\ns0\t0\ns1\t1\ns2\t0\ns3\t1\nz\t0\nshort\t1\n");
  const std::string train = " --labels " + labels + " --epochs 1 --threads 1 -o {o}/run";
  const std::string logo = "seqlets -q --attributions " + f("attr.npy") + " -o {o}/s.tsv -f ";
  expect_all_refused(D + "/fasta", {
      {"predict -q -m " + M + " -o {o}/p.tsv -f " + D + "/no_header.fa", {D + "/no_header.fa:1", "header"}},
      {"train -q -f " + D + "/no_header.fa" + train, {D + "/no_header.fa:1", "header"}},
      // Names join labels: they must be unique.
      {"train -q -f " + D + "/duplicate.fa" + train, {D + "/duplicate.fa:5", "duplicate record name 's1'"}},
      // Zero-length records.
      {"predict -q -m " + M + " -o {o}/p.tsv -f " + D + "/zero.fa", {D + "/zero.fa:5", "length 0"}},
      {"train -q -f " + D + "/zero.fa" + train, {D + "/zero.fa:5", "empty sequence"}},
      {"evaluate -q -m rbp/pum2 --negatives " + f("neg.fa") + " --positives " + D + "/rna_zero.fa", {D + "/rna_zero.fa:5", "empty sequence"}},
      {"rna fold -q -o {o}/f.txt -f " + D + "/zero.fa", {D + "/zero.fa:5", "empty sequence"}},
      {logo + D + "/zero.fa", {D + "/zero.fa:5"}},
      // The wrong length for the model.
      {"predict -q -m " + M + " -o {o}/p.tsv -f " + D + "/short.fa", {D + "/short.fa:5", "length 150"}},
      {logo + D + "/short.fa", {D + "/short.fa:5", "150"}},
      // A NUL in a name would be copied into every output that names the record.
      {"predict -q -m " + M + " -o {o}/p.tsv -f " + D + "/nul.fa", {D + "/nul.fa:5", "control character \\x00"}},
  });
  // IUPAC codes are unknown bases (all-zero columns, docs/sequences.md), not errors.
  expect_all_accepted(D + "/fasta_ok", {{"predict -q -m " + M + " -o {o}/p.tsv -f " + D + "/iupac.fa", "p.tsv"},
                                        {"rna fold -q -o {o}/f.txt -f " + D + "/iupac.fa", "f.txt"}});
}

TEST_F(CliBadInput, CrlfLineEndsAndAByteOrderMarkReadAsTheCleanFile) {
  const std::string M = model(), D = in().root();
  auto windows = [&](const std::string& name) {
    write_text(D + "/win_" + name, windows_text(read_text(f(name))));
    return D + "/win_" + name;
  };
  auto crlf = [&](const std::string& name) {  // htslib reads CRLF in VCFs and genomes, not a BOM
    write_text(D + "/crlf_" + name, windows_text(read_text(f(name))).substr(3));
    return D + "/crlf_" + name;
  };
  const std::string predict = "predict -q --threads 1 -m " + M + " -o {o}/p.tsv ";
  const std::string train = "train -q --threads 1 --epochs 1 -f " + f("dna.fa") + " -o {o}/run --labels ";
  const std::string weights = "deepseq weights -q --threads 1 -o {o}/w.tsv -a ";
  const std::string mhc = "mhc predict -q --threads 1 -m " + f("mhc/model_best.pt") + " --alleles HLA-A*02:01 -o {o}/r.tsv --peptides ";
  const std::string sv = "score-variants -q --threads 1 -m " + M + " -g " + f("g.fa") + " -o {o}/s.tsv -v ";
  expect_same_results(D + "/windows", {
      {predict + "-f " + f("dna.fa"), predict + "-f " + windows("dna.fa"), "p.tsv"},
      {predict + "-g " + f("g.fa") + " -b " + f("w.bed"), predict + "-g " + f("g.fa") + " -b " + windows("w.bed"), "p.tsv"},
      {sv + f("v.vcf"), sv + crlf("v.vcf"), "s.tsv"},
      {"rna fold -q -o {o}/f.txt -f " + f("rna.fa"), "rna fold -q -o {o}/f.txt -f " + windows("rna.fa"), "f.txt"},
      {train + f("labels.tsv"), train + windows("labels.tsv"), "run/metrics.csv"},
      {weights + f("toy.a2m"), weights + windows("toy.a2m"), "w.tsv"},
      {mhc + f("peps.txt"), mhc + windows("peps.txt"), "r.tsv"},
  });
  // htslib cannot skip a byte-order mark in a VCF or an indexed genome: refused, and said why.
  expect_all_refused(D + "/bom", {
      {predict + "-b " + f("w.bed") + " -g " + windows("g.fa"), {D + "/win_g.fa", "byte-order mark"}},
      {sv + windows("v.vcf"), {D + "/win_v.vcf", "byte-order mark"}},
  });
}

TEST_F(CliBadInput, VcfRecordsThatCannotBeScoredAreSkippedAndListed) {
  const Inputs& g = in();
  const std::string D = g.root();
  // docs/variants.md: such variants are skipped, counted and listed in OUT.skipped.tsv; the run goes on.
  g.write_vcf("bad.vcf", g.vcf_line(0, "A", "C", "pos0") + g.vcf_line(1500, "A", "C", "past_end") +
                             g.vcf_line(510, std::string(1, g.other(510)), "G", "ref_mismatch") +
                             g.vcf_line(520, std::string(1, g.base(520)), "<DEL>", "symbolic") +
                             g.vcf_line(530, std::string(1, g.base(530)), "*", "star") +
                             g.vcf_line(300, g.chrom().substr(299, 250), std::string(1, g.base(300)), "long_deletion") +
                             g.vcf_line(310, std::string(1, g.base(310)), std::string(1, g.base(310)) + std::string(250, 'A'), "long_insertion") +
                             g.snv(500, "ok"));
  g.write_vcf("unsorted.vcf", g.snv(500, "second") + g.snv(400, "first"));
  g.write_vcf("malformed.vcf", "chr1\tabc\tx\tA\tC\t.\tPASS\t.\n");
  const std::string sv = "score-variants -q --threads 1 -m " + model() + " -g " + f("g.fa") + " -o {o}/s.tsv -v ";
  expect_all_accepted(D + "/vcf", {{sv + f("bad.vcf"), "s.tsv"}, {sv + f("unsorted.vcf"), "s.tsv"}});
  const std::string out = D + "/vcf/accepted0/";
  const std::string scored = read_text(out + "s.tsv"), skipped = read_text(out + "s.skipped.tsv");
  EXPECT_NE(scored.find("\tok\t"), std::string::npos) << scored;
  EXPECT_EQ(std::count(scored.begin(), scored.end(), '\n'), 2) << scored;
  for (const char* reason : {"pos0\tA\tC\t1\tPOS 0", "past_end\tA\tC\t2\tPOS 1500", "ref_mismatch", "REF ", "symbolic\t", "<DEL>",
                             "star\t", "spanning deletion", "long_deletion", "an allele of 250 bases is longer than the window (200)",
                             "long_insertion", "an allele of 251 bases"}) {
    EXPECT_NE(skipped.find(reason), std::string::npos) << reason << " not in\n" << skipped;
  }
  // Unsorted records are scored in the order given.
  const std::string unsorted = read_text(D + "/vcf/accepted1/s.tsv");
  EXPECT_LT(unsorted.find("\tsecond\t"), unsorted.find("\tfirst\t")) << unsorted;
  expect_all_refused(D + "/vcf_bad", {{sv + f("malformed.vcf"), {f("malformed.vcf"), "record 1"}}});
}

TEST_F(CliBadInput, BedIntervalsMustLieOnTheChromosome) {
  const std::string D = in().root();
  write_text(f("reversed.bed"), "chr1\t100\t300\nchr1\t600\t400\n");
  write_text(f("past_end.bed"), "chr1\t1200\t1400\n");
  write_text(f("straddling.bed"), "chr1\t900\t1100\n");
  const std::string predict = "predict -q --threads 1 -m " + model() + " -g " + f("g.fa") + " -o {o}/p.tsv -b ";
  expect_all_refused(D + "/bed", {
      {predict + f("reversed.bed"), {f("reversed.bed") + ":2", "end (400) < start (600)"}},
      {predict + f("past_end.bed"), {f("past_end.bed") + ":1", "past the end of the chromosome"}},
      {"rna make-dataset -q -g " + f("g.fa") + " -o {o}/d.tsv --bed " + f("reversed.bed"), {f("reversed.bed") + ":2"}},
  });
  // A window running off the end is padded with N and says how much (docs/sequences.md).
  expect_all_accepted(D + "/bed_ok", {{predict + f("straddling.bed"), "p.tsv"}});
  const std::string rows = read_text(D + "/bed_ok/accepted0/p.tsv");
  EXPECT_NE(rows.find("chr1:900-1100\tchr1\t900\t1100\t100\t"), std::string::npos) << rows;
}

TEST_F(CliBadInput, AbsurdModelSizesAreRefusedBeforeAnythingIsAllocated) {
  const std::string D = in().root();
  auto config = [&](const std::string& name, const std::string& json) {
    write_text(D + "/" + name, json);
    return D + "/" + name;
  };
  const std::string cnn = R"({"type": "cnn", "alphabet": "dna", "input_length": 200, "outputs": 2, "conv": [)";
  const std::string filters = config("filters.json", cnn + R"({"filters": 1000000000000, "width": 8}]})");
  const std::string product = config("product.json", cnn + R"({"filters": 100000, "width": 8}, {"filters": 100000, "width": 8}]})");
  const std::string length = config("length.json", R"({"type": "cnn", "input_length": 100000000000, "global_pool": "flatten", "conv": [{"filters": 4, "width": 3}]})");
  const std::string names = config("names.json", cnn + R"({"filters": 4, "width": 3}], "output_names": ["p", "p"]})");
  const std::string big = "1000000000000";
  const std::string data = " -f " + f("dna.fa") + " --labels " + f("labels.tsv") + " --epochs 1 -o {o}/run";
  std::vector<Probe> probes = {
      {"init-model -c " + filters + " -o {o}/m.pt", {filters + ": conv[0]: filters: 1000000000000 is too large"}},
      {"init-model -c " + product + " -o {o}/m.pt", {product + ": conv[1]: brings the model to 8e+10 weights"}},
      {"init-model -c " + length + " -o {o}/m.pt", {length + ": input_length: 100000000000 is too large"}},
      {"init-model -c " + names + " -o {o}/m.pt", {names + ": output_names: 'p' names two outputs"}},
      {"train -q --num-filters " + big + data, {"filters: 1000000000000 is too large"}},
      {"train-lm -q -f " + f("dna.fa") + " --hidden " + big + " -o {o}/lm", {"hidden: 1000000000000 is too large"}},
      {"rna train -q --data " + f("rna.tsv") + " --num-filters " + big + " --filter-width 3 -o {o}/s1", {"filter count 1000000000000 is too large"}},
      {"mhc train -q --arch cnn --table " + f("mhc.tsv") + " --pseudo-sequences " + f("p.dat") + " --num-filters " + big + " -o {o}/mhc", {"1000000000000 is too large"}},
  };
  // Under a 3 GB address-space limit (LibTorch's start-up reserves about 1 GB): a refusal from
  // the config check, never an allocation of the weights first.
  for (Probe& p : probes) p.shell_prefix = "ulimit -v 3000000; ";
  expect_all_refused(D + "/absurd", probes);
}

TEST_F(CliBadInput, FlagValuesTheLibraryChecksNameTheFlag) {
  const std::string M = model(), D = in().root();
  const std::string predict = "predict -q -m " + M + " -f " + f("dna.fa") + " -o {o}/p.tsv";
  const std::string ism = "ism -q -m " + M + " -f " + f("dna.fa") + " -o {o}/i.npy";
  const std::string sv = "score-variants -q -m " + M + " -g " + f("g.fa") + " -v " + f("v.vcf") + " -o {o}/s.tsv";
  expect_all_refused(D + "/flags", {
      {ism + " --start 10 --end 5", {"--start 10 --end 5", "--start must be below --end"}},
      {ism + " --start 0 --end 500", {"--end 500", "past the sequence length 200"}},
      {predict + " --device tpu", {"--device tpu", "unknown device"}},
      {"rna fold -q -f " + f("rna.fa") + " -o {o}/f.txt --device cuda:x", {"--device cuda:x"}},
      {ism + " --start 0 --end 2 --target nosuch", {"--target", "'nosuch'"}},
  });
}

// CLI11 rejects these values while parsing; main() prints them as every other error,
// "seqnn <command>: error: <flag>: <problem>", and returns 1 (not CLI11's 105 and second line).
TEST_F(CliBadInput, FlagValuesTheParserRejectsAreOneLineAndExitOne) {
  const std::string M = model(), D = in().root();
  const std::string fa = " -f " + f("dna.fa");
  expect_all_refused(D + "/parse", {
      {"predict -q -m " + M + fa + " -o {o}/p.tsv --batch-size 0", {"--batch-size"}},
      {"score-variants -q -m " + M + " -g " + f("g.fa") + " -v " + f("v.vcf") + " -o {o}/s.tsv --batch-size 0", {"--batch-size"}},
      {"rna fold -q -f " + f("rna.fa") + " -o {o}/f.txt --threads -1", {"--threads"}},
      {"ism -q -m " + M + fa + " -o {o}/i.npy --start -5 --end 5", {"--start"}},
  });
}

TEST_F(CliBadInput, BadOutputPathsAreRefusedAndInputsKept) {
  const std::string M = model(), D = in().root();
  // Outputs that name an input: each input is a copy in a directory of its own, checked after.
  const std::string keep = D + "/kept";
  fs::create_directories(keep);
  const std::vector<std::pair<std::string, std::string>> copies = {
      {"dna.tsv", "dna.fa"}, {"v.vcf", "v.vcf"}, {"rna.tsv", "rna.tsv"}, {"peps.tsv", "peps.txt"}};
  for (const auto& [copy, from] : copies) fs::copy_file(f(from), keep + "/" + copy, fs::copy_options::overwrite_existing);
  auto k = [&](const std::string& name) { return keep + "/" + name; };
  const std::string sv = "score-variants -q -m " + M + " -g " + f("g.fa") + " -v ";
  const std::string mhc = "mhc predict -q -m " + f("mhc/model_best.pt") + " --alleles HLA-A*02:01 ";
  expect_all_refused(D + "/outputs", {
      // A directory that does not exist.
      {"predict -q -m " + M + " -f " + f("dna.fa") + " -o {o}/missing/p.tsv", {"{o}/missing/p.tsv"}},
      {"rna fold -q -f " + f("rna.fa") + " -o {o}/missing/f.txt", {"{o}/missing/f.txt"}},
      // An output that is an input of the run (B4).
      {"predict -q -m " + M + " -f " + k("dna.tsv") + " -o " + k("dna.tsv"), {k("dna.tsv"), "is an input of this run"}},
      {sv + k("v.vcf") + " -o " + k("v.vcf"), {k("v.vcf"), "is an input of this run"}},
      {"rna eval -q --truth " + k("rna.tsv") + " --pred " + f("rna.tsv") + " -o " + k("rna.tsv"), {k("rna.tsv"), "is an input"}},
      {mhc + "--peptides " + k("peps.tsv") + " -o " + k("peps.tsv"), {k("peps.tsv"), "is an input"}},
      // A full disk (B5, B7): /dev/full is refused as an output that is not a regular file.
      {"predict -q -m " + M + " -f " + f("dna.fa") + " -o /dev/full", {"/dev/full"}},
      {sv + f("v.vcf") + " -o /dev/full", {"/dev/full"}},
      {"generate -q -m " + f("lm/model_best.pt") + " --n 2 -o /dev/full", {"/dev/full"}},
      {"init-model -c " + fixture("deepsea_small.json") + " -o /dev/full", {"/dev/full"}},
  });
  for (const auto& [copy, from] : copies) EXPECT_EQ(read_text(k(copy)), read_text(f(from))) << copy << " was changed";
}

TEST_F(CliBadInput, ModelsWhoseOutputsCannotBeNamedAreRefusedAtLoad) {
  const std::string D = in().root(), short_fa = D + "/ten.fa";
  write_text(short_fa, ">a\nACGTACGTAC\n>b\nACGTACGTAA\n");
  write_text(D + "/thirteen.fa", ">a\nACGTACGTACGTA\n");
  const std::string predict = "predict -q -o {o}/p.tsv -f " + short_fa + " -m ";
  expect_all_refused(D + "/models", {
      {predict + fixture("bad_models/empty_dict.pt"), {fixture("bad_models/empty_dict.pt"), "empty dict"}},
      {predict + fixture("bad_models/duplicate_keys.pt"), {fixture("bad_models/duplicate_keys.pt"), "'score' twice"}},
      {predict + fixture("bad_models/duplicate_names.pt"), {fixture("bad_models/duplicate_names.pt"), "'p' twice"}},
      // A forward that fails inside TorchScript says why (the shapes), not only that it failed.
      {"predict -q -o {o}/p.tsv -f " + D + "/thirteen.fa -m " + fixture("multi_tuple.pt"),
       {fixture("multi_tuple.pt"), "forward failed", "mat1 and mat2 shapes cannot be multiplied"}},
  });
}

TEST_F(CliBadInput, TrainersNeitherInventAValidationScoreNorMixWithAnEarlierRun) {
  const std::string D = in().root();
  // train-lm with no validation sequence chooses its best epoch on the training set, and says so.
  write_text(D + "/two.fa", ">a\nACGTACGTAC\n>b\nACGTTTGTAC\n");
  const std::vector<CliRun> lm = expect_all_accepted(D + "/lm0", {{"train-lm -q --threads 1 -f " + D + "/two.fa --epochs 1 -o {o}/lm", "lm/model_best.pt"}});
  EXPECT_NE(lm[0].err.find("no validation sequences, so best epoch 1 by training perplexity"), std::string::npos) << lm[0].err;
  EXPECT_EQ(lm[0].err.find("validation perplexity"), std::string::npos) << lm[0].err;
  // A fresh run into a directory holding an earlier run's files is refused before it reads
  // anything (docs/cli.md): a model_best.pt without a checkpoint, a member's checkpoint.
  fs::create_directories(D + "/old_run");
  write_text(D + "/old_run/model_best.pt", "earlier");
  fs::create_directories(D + "/old_ensemble/member1");
  write_text(D + "/old_ensemble/member1/checkpoint_3.pt", "earlier");
  expect_all_refused(D + "/stale", {
      {"train -q -f " + f("dna.fa") + " --labels " + f("labels.tsv") + " --epochs 1 -o " + D + "/old_run",
       {D + "/old_run/model_best.pt", "a file of an earlier run"}},
      {"mhc train -q --table " + f("mhc.tsv") + " --pseudo-sequences " + f("p.dat") + " --ensemble 2 --epochs 1 -o " + D + "/old_ensemble",
       {D + "/old_ensemble/member1/checkpoint_3.pt", "a checkpoint of an earlier run"}},
  });
  EXPECT_EQ(read_text(D + "/old_run/model_best.pt"), "earlier");
  EXPECT_EQ(contents_of(D + "/old_ensemble"), "member1 checkpoint_3.pt ");
}

// The command named in an error is the one that ran ("seqnn rna fold: error: ..."), not its
// group ("seqnn rna: error:").
TEST_F(CliBadInput, ErrorsNameTheSubcommand) {
  const std::string D = in().root();
  const std::vector<CliRun> runs = run_all({"rna fold -q -f " + D + "/no_such_file -o " + D + "/x.txt",
                                         "deepseq weights -q -a " + D + "/no_such_file -o " + D + "/x.tsv",
                                         "mhc predict -q -m " + D + "/no_such_file --alleles HLA-A*02:01 --peptides " + f("peps.txt") + " -o " + D + "/x.tsv"});
  EXPECT_EQ(runs[0].err.rfind("seqnn rna fold: error: ", 0), 0u) << runs[0].err;
  EXPECT_EQ(runs[1].err.rfind("seqnn deepseq weights: error: ", 0), 0u) << runs[1].err;
  EXPECT_EQ(runs[2].err.rfind("seqnn mhc predict: error: ", 0), 0u) << runs[2].err;
}

}  // namespace
}  // namespace seqnn::test
