// seqnn rna predict: S1 boxes -> proposals -> exact assembly; structures, box table, pictures.
#include <torch/torch.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/common_options.h"
#include "cli/rna_commands.h"
#include "seqnn/rna/evaluation.h"
#include "seqnn/rna/predict_structures.h"
#include "seqnn/sequence/fasta.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"
#include "seqnn/util/runtime_info.h"
#include "seqnn/util/strings.h"

namespace seqnn::cli {
namespace {

struct RnaPredictArgs {
  CommonOptions common;
  std::string model, fasta, out, png_dir, truth;
  rna::PredictStructureOptions opts;
};

std::vector<rna::RnaRecord> read_fasta_records(const std::string& path) {
  FastaReader reader(path);
  FastaRecord rec;
  std::vector<rna::RnaRecord> out;
  while (reader.next(rec)) {
    rna::RnaRecord r;
    r.where = path + ":" + std::to_string(rec.line);
    r.id = rec.name;
    r.sequence = rna::normalise_rna(rec.sequence, r.where);
    out.push_back(std::move(r));
  }
  if (out.empty()) fail(path, "no sequences");
  return out;
}

// OUT.tsv -> OUT.boxes.tsv
std::string boxes_path(const std::string& out) {
  const size_t dot = out.rfind('.');
  return dot == std::string::npos ? out + ".boxes.tsv" : out.substr(0, dot) + ".boxes" + out.substr(dot);
}

std::string file_name(const std::string& id) {
  std::string s = id;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return s;
}

void run_rna_predict(const RnaPredictArgs& a) {
  const std::string device = apply_common_options(a.common);
  auto records = read_fasta_records(a.fasta);
  std::map<std::string, rna::Structure> truth;
  if (!a.truth.empty()) {
    for (auto& r : rna::read_structures(a.truth)) truth[r.id] = r.structure;
  }
  rna::S1Model model = rna::S1Model::load(a.model);
  model.to(at::Device(device));
  ProgressBar bar("rna predict", static_cast<int64_t>(records.size()), "seq", !a.common.quiet);
  rna::PredictStructureOptions opts = a.opts;
  opts.progress = [&](int64_t done) { bar.update(done); };
  const auto preds = rna::predict_structures(model, records, opts);
  bar.finish();
  rna::write_predictions(a.out, boxes_path(a.out), preds);
  if (!a.png_dir.empty()) {
    std::filesystem::create_directories(a.png_dir);
    for (const auto& p : preds) {
      auto t = truth.find(p.id);
      write_png(a.png_dir + "/" + file_name(p.id) + ".png", rna::draw_pairing_map(p, t == truth.end() ? rna::Structure() : t->second));
    }
  }
  int64_t pairs = 0, boxes = 0, scored = 0;
  double f1 = 0;
  for (const auto& p : preds) {
    pairs += p.structure.num_pairs();
    boxes += static_cast<int64_t>(p.boxes.size());
    auto t = truth.find(p.id);
    if (t != truth.end() && t->second.length() == p.structure.length()) {
      f1 += rna::pair_scores(t->second, p.structure).f1;
      ++scored;
    }
  }
  std::fprintf(stderr, "seqnn rna predict: %zu sequences on %s in %.1f s; %lld boxes kept, %lld pairs assembled", preds.size(),
               device.c_str(), bar.elapsed_seconds(), static_cast<long long>(boxes), static_cast<long long>(pairs));
  if (scored > 0) std::fprintf(stderr, "; mean base-pair F1 %.4f over %lld with --truth", f1 / static_cast<double>(scored), static_cast<long long>(scored));
  std::fprintf(stderr, " -> %s, %s%s%s\n", a.out.c_str(), boxes_path(a.out).c_str(), a.png_dir.empty() ? "" : ", ", a.png_dir.c_str());
}

}  // namespace

void register_rna_predict(CLI::App& rna) {
  auto a = std::make_shared<RnaPredictArgs>();
  auto* cmd = rna.add_subcommand("predict", "predict structures with an S1 model (exact stem assembly)");
  cmd->add_option("--model,-m", a->model, "S1 model file from `seqnn rna train`")->required();
  cmd->add_option("--fasta,-f", a->fasta, "RNA sequences (FASTA, plain or gzip)")->required();
  cmd->add_option("--out,-o", a->out, "structures (.tsv); the box table goes beside it as <out>.boxes.tsv")->required();
  cmd->add_option("--png", a->png_dir, "directory for one pairing-map picture per sequence");
  cmd->add_option("--truth", a->truth, "known structures (table or dot-bracket FASTA, by id): drawn in pictures, F1 in the summary");
  cmd->add_option("--batch-size", a->opts.batch_size, "sequences per forward pass")->capture_default_str();
  cmd->add_option("--min-pixel-prob", a->opts.proposals.min_pixel_prob, "pixels with p_on above this propose boxes")->capture_default_str();
  cmd->add_option("--min-norm", a->opts.proposals.min_norm, "keep boxes with n_proposal_norm >= this (hairpins: half)")->capture_default_str();
  cmd->add_option("--min-prob", a->opts.proposals.min_prob, "keep boxes whose mean p_on >= this")->capture_default_str();
  cmd->add_option("--min-hloop", a->opts.proposals.min_hloop, "fewest unpaired bases in a hairpin")->capture_default_str();
  add_common_options(cmd, a->common);
  cmd->callback([a] { run_rna_predict(*a); });
}

}  // namespace seqnn::cli
