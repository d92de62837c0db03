// seqnn score-variants: stream a VCF through a model, chunk by chunk: windows around each variant
// from the genome, REF checked, reference vs alternative predicted, scores written as they come.
#include <cstdio>
#include <map>

#include "cli/common_options.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/runtime_info.h"
#include "seqnn/util/strings.h"
#include "seqnn/variants/variant_writer.h"

namespace seqnn::cli {
namespace {

struct ScoreVariantsArgs {
  CommonOptions common;
  McCliOptions mc;
  std::string model, genome, vcf, out, rc = "none";
  std::vector<std::string> scores = {"diff"}, tasks;
  int64_t length = 0;
  int64_t batch_size = 64;
  int64_t chunk = 1024;
};

std::string output_stem(const std::string& out) {
  for (const char* ext : {".vcf.gz", ".vcf", ".tsv", ".npy"}) {
    if (ends_with(out, ext)) return out.substr(0, out.size() - std::string(ext).size());
  }
  return out;
}

// Skipped variants: counted by kind, the first few shown in the summary, all listed in a file.
class SkipLog {
 public:
  explicit SkipLog(std::string path) : path_(std::move(path)) {}
  void add(const std::vector<SkippedVariant>& skipped) {
    for (const auto& s : skipped) {
      if (!file_) {
        file_ = std::make_unique<AtomicFile>(path_);
        file_->write("chrom\tpos\tid\tref\talt\trecord\treason\n");
      }
      const Variant& v = s.variant;
      file_->write(join({v.chrom, std::to_string(v.pos), v.id, v.ref, v.alt, std::to_string(v.record), s.reason}) + "\n");
      ++counts_[kind(s.reason)];
      if (examples_.size() < 5) examples_.push_back(v.key() + " (record " + std::to_string(v.record) + "): " + s.reason);
      ++total_;
    }
  }
  void close() {
    if (file_) file_->commit();
  }
  void report() const {
    if (total_ == 0) return;
    std::string kinds;
    for (const auto& [k, n] : counts_) kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + k;
    std::fprintf(stderr, "seqnn score-variants: skipped %lld variants (%s), listed in %s:\n", static_cast<long long>(total_),
                 kinds.c_str(), path_.c_str());
    for (const auto& e : examples_) std::fprintf(stderr, "  %s\n", e.c_str());
    if (total_ > static_cast<int64_t>(examples_.size())) std::fprintf(stderr, "  ...\n");
  }
  int64_t total() const { return total_; }

 private:
  static std::string kind(const std::string& reason) {
    if (reason.rfind("REF ", 0) == 0) return "REF mismatch";
    if (reason.rfind("chromosome ", 0) == 0) return "unknown chromosome";
    return "unscorable allele";
  }
  std::string path_;
  std::unique_ptr<AtomicFile> file_;
  std::map<std::string, int64_t> counts_;
  std::vector<std::string> examples_;
  int64_t total_ = 0;
};

VariantScoringOptions scoring_options(const ScoreVariantsArgs& a, const ModelInfo& info, const std::string& device) {
  VariantScoringOptions o;
  o.length = a.length > 0 ? a.length : info.input_length.value_or(0);
  if (a.length > 0 && info.input_length && a.length != *info.input_length) {
    throw Error("--length " + std::to_string(a.length) + " does not match the model's input length " + std::to_string(*info.input_length));
  }
  if (o.length <= 0) throw Error("the model has no fixed input length: give --length");
  o.scores = a.scores;
  o.rc = parse_strand_combine(a.rc);
  o.tasks = a.tasks;
  o.predict.batch_size = a.batch_size;
  o.predict.device = device;
  o.mc = to_mc_options(a.mc);
  return o;
}

void run_score_variants(const ScoreVariantsArgs& a) {
  const std::string device = apply_common_options(a.common);
  if (a.batch_size <= 0 || a.chunk <= 0) throw Error("--batch-size and --chunk must be positive");
  Model model = Model::load(a.model);
  IndexedFasta genome(a.genome);
  VcfReader vcf(a.vcf);
  ModelStateGuard placement(model, device, std::nullopt);  // load onto the device once
  VariantScorer scorer(model, genome, scoring_options(a, model.info(), device));

  VariantOutputLayout layout{a.scores, scorer.task_names(), scorer.options().mc.enabled(), vcf.header_text()};
  auto writer = make_variant_writer(a.out, layout);
  SkipLog skipped(output_stem(a.out) + ".skipped.tsv");
  ProgressBar bar("score-variants", 0, "var", !a.common.quiet);
  int64_t read = 0, scored = 0, padded = 0;
  std::vector<Variant> chunk;
  Variant v;
  bool more = true;
  while (more) {
    chunk.clear();
    while (static_cast<int64_t>(chunk.size()) < a.chunk && (more = vcf.next(v))) chunk.push_back(v);
    if (chunk.empty()) break;
    ScoredChunk result = scorer.score(chunk);
    writer->write(result);
    skipped.add(result.skipped);
    read += static_cast<int64_t>(chunk.size());
    scored += static_cast<int64_t>(result.variants.size());
    for (int64_t p : result.padded) padded += p > 0;
    bar.update(read);
  }
  if (read == 0) throw Error(a.vcf + ": no variants");
  writer->close();
  skipped.close();
  bar.finish();
  const double secs = bar.elapsed_seconds();
  skipped.report();
  std::string files = join(writer->files(), ' ');
  std::fprintf(stderr,
               "seqnn score-variants: %lld variants read, %lld scored, %lld skipped, %lld windows padded at a "
               "chromosome end; %zu tasks%s on %s in %.1f s (%.0f variants/s); peak RSS %.0f MiB -> %s\n",
               static_cast<long long>(read), static_cast<long long>(scored), static_cast<long long>(skipped.total()),
               static_cast<long long>(padded), scorer.task_names().size(),
               layout.mc ? (", " + std::to_string(a.mc.samples) + " MC samples (" + a.mc.pairing + ")").c_str() : "",
               device.c_str(), secs, read / std::max(secs, 1e-9), peak_rss_mib(), files.c_str());
}

}  // namespace

void register_score_variants(CLI::App& app) {
  auto a = std::make_shared<ScoreVariantsArgs>();
  auto* cmd = add_command(app, "score-variants", "score the effect of VCF variants with a sequence model");
  cmd->add_option("--model,-m", a->model, "model file (TorchScript or native seqnn)")->required();
  cmd->add_option("--genome,-g", a->genome, "reference FASTA with .fai (bgzip also needs .gzi)")->required();
  cmd->add_option("--vcf,-v", a->vcf, "variants: VCF, bgzip VCF or BCF")->required();
  cmd->add_option("--out,-o", a->out, "output: .tsv, .vcf, .vcf.gz or .npy")->required();
  cmd->add_option("--length,-l", a->length, "window length (default: the model's input length)");
  cmd->add_option("--scores", a->scores, "scores: ref alt diff abs_diff logit_diff log2fc")->capture_default_str();
  cmd->add_option("--rc", a->rc, "reverse complement: none, mean or max of both strands")->capture_default_str();
  cmd->add_option("--tasks", a->tasks, "output columns to keep, by index or name (default: all)");
  cmd->add_option("--batch-size", a->batch_size, "windows per forward pass")->capture_default_str();
  cmd->add_option("--chunk", a->chunk, "variants read and scored at a time (bounds memory)")->capture_default_str();
  add_mc_options(cmd, a->mc, /*with_pairing=*/true);
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_score_variants(*a); });
}

}  // namespace seqnn::cli
