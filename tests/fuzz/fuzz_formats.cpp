// Fuzz targets for seqnn's other file formats: tables, JSON configs, .npy arrays, model files,
// MEME motifs and the MHC inputs.
#include <torch/torch.h>

#include <algorithm>

#include "fuzz/fuzz_target.h"
#include "seqnn/attribution/meme.h"
#include "seqnn/deepsequence/vae_config.h"
#include "seqnn/mhc/alleles.h"
#include "seqnn/mhc/pan_model.h"
#include "seqnn/mhc/predict_run.h"
#include "seqnn/models/cnn_config.h"
#include "seqnn/models/ensemble_net.h"
#include "seqnn/models/model.h"
#include "seqnn/models/pair_config.h"
#include "seqnn/models/rnn_config.h"
#include "seqnn/rna/s1_model.h"
#include "seqnn/training/char_lm.h"
#include "seqnn/training/train_job.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/table.h"

namespace seqnn::fuzz {
namespace {

// A config read back from its own JSON must be read without error and write the same JSON.
template <typename Config>
void check_config_round_trip(const std::string& text, const char* what) {
  const Config config = Config::from_json(text, "input.json");
  const std::string written = config.to_json();
  const std::string again =
      must_succeed(std::string(what) + ": its own JSON", [&] { return Config::from_json(written, "written").to_json(); });
  require(again == written, std::string(what) + ": JSON round trip changed the config");
}

void check_first_line_only(const std::string& message) {
  require(message.find('\n') == std::string::npos, "multi-line error message: " + message);
}

}  // namespace

void fuzz_table(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const uint8_t selector = data[0];
  const std::string path = write_input_file(selector & 2 ? "input.csv" : "input.tsv", data + 1, size - 1);
  TableReadOptions options;
  options.header = (selector & 1) == 0;
  TableReader table(path, options);
  std::vector<std::string> fields;
  int64_t last_line = table.header_line();
  for (int n = 0; n < 100000 && table.next(fields); ++n) {
    require(table.line() > last_line, "record lines do not increase");
    last_line = table.line();
    if (options.header) require(fields.size() == table.header().size(), "record with another field count accepted");
    if (table.format() == TableFormat::kTsv) {
      for (const std::string& f : fields) require(f.find_first_of("\t\n") == std::string::npos, "TSV field holds a tab or line break");
    }
  }
  TextLineReader lines(path);
  std::string line;
  while (lines.next(line)) require(line.find('\n') == std::string::npos, "a line holds a line break");
}

void fuzz_json(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const std::string text = as_text(data + 1, size - 1);
  try {
    switch (data[0] % 9) {
      case 0: check_config_round_trip<CnnConfig>(text, "CNN config"); break;
      case 1: check_config_round_trip<RnnConfig>(text, "RNN config"); break;
      case 2: check_config_round_trip<PairConfig>(text, "pair config"); break;
      case 3: check_config_round_trip<EnsembleConfig>(text, "ensemble config"); break;
      case 4: check_config_round_trip<ds::VaeConfig>(text, "VAE config"); break;
      case 5: check_config_round_trip<CharLmConfig>(text, "char-LM config"); break;
      case 6: check_config_round_trip<rna::S1Config>(text, "S1 config"); break;
      case 7: check_config_round_trip<mhc::PanMetadata>(text, "MHC model metadata"); break;
      default: {
        const std::string effective = effective_train_config(text, "input.json");
        const std::string again = must_succeed("the effective training config", [&] { return effective_train_config(effective, "effective"); });
        require(again == effective, "training config not a fixed point");
      }
    }
  } catch (const Error& e) {
    check_first_line_only(e.what());
    throw;
  }
}

void fuzz_npy(const uint8_t* data, size_t size) {
  const std::string path = write_input_file("input.npy", data, size);
  const at::Tensor t = load_npy(path);
  const std::string copy = scratch_path("copy.npy");
  const at::Tensor again = must_succeed("the array written back", [&] {
    save_npy(copy, t);
    return load_npy(copy);
  });
  // save_npy writes a 0-d array as shape (1,), by design (npy.h).
  const std::vector<int64_t> shape = t.dim() == 0 ? std::vector<int64_t>{1} : t.sizes().vec();
  require(again.sizes().vec() == shape && again.scalar_type() == t.scalar_type(), ".npy round trip changed the array's shape or dtype");
  require(torch::equal(again, t.reshape(shape)) || (t.is_floating_point() && torch::isnan(t).any().item<bool>()), ".npy round trip changed values");
}

void fuzz_model(const uint8_t* data, size_t size) {
  const std::string path = write_input_file("model.pt", data, size);
  Model model = Model::load(path);
  const ModelInfo info = model.info();
  require(info.parameters >= 0, "negative parameter count");
  if (!info.input_length || *info.input_length <= 0 || *info.input_length > 2000 || info.parameters > 5000000) return;
  model.eval();
  torch::NoGradGuard no_grad;
  const int64_t letters = info.alphabet == "protein" ? 20 : 4;
  const ModelOutput out = model.forward(torch::zeros({2, letters, *info.input_length}));
  for (const at::Tensor& t : out.tensors) require(t.defined(), "model output tensor undefined");
}

void fuzz_meme(const uint8_t* data, size_t size) {
  const MotifFile file = parse_meme(as_text(data, size), "input.meme");
  require(!file.motifs.empty(), "MEME file without motifs accepted");
  require(file.background.size() == file.letters.size(), "one background frequency per letter");
  const MotifFile again = must_succeed("the MEME file written back", [&] { return parse_meme(format_meme(file), "written.meme"); });
  require(again.motifs.size() == file.motifs.size(), "MEME round trip changed the number of motifs");
  for (size_t m = 0; m < file.motifs.size(); ++m) {
    require(again.motifs[m].id == file.motifs[m].id, "MEME round trip changed a motif id");
    require(again.motifs[m].width() == file.motifs[m].width(), "MEME round trip changed a motif width");
  }
}

void fuzz_mhc(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const std::string text = as_text(data + 1, size - 1);
  const std::vector<std::string> names = split(text, '\n');
  for (size_t n = 0; n < std::min<size_t>(names.size(), 100); ++n) {
    require(mhc::allele_key(mhc::display_allele(names[n])) == mhc::allele_key(names[n]),
            "display_allele names another allele: '" + names[n] + "'");
  }
  const std::string path = write_input_file("input.txt", data + 1, size - 1);
  if (data[0] % 2) {
    for (const std::string& p : mhc::read_peptides(path)) require(!p.empty(), "an empty peptide accepted");
    return;
  }
  const mhc::PseudoSequences table = mhc::PseudoSequences::read(path);
  for (const auto& [name, sequence] : table.entries()) {
    require(static_cast<int64_t>(sequence.size()) == table.length(), "pseudo-sequences of different lengths");
    const std::string* found = table.find(mhc::display_allele(name));
    require(found && *found == sequence, "an allele is not found under its IMGT spelling: " + name);
  }
}

}  // namespace seqnn::fuzz
