#pragma once
// The trained models that ship with seqnn (the repository's models/ folder, installed to
// <prefix>/share/seqnn/models), found by name: `--model rbp/pum2` is models/rbp/pum2.pt.
//
// Each model is a file beside its model card, models/FAMILY/NAME.md, whose first lines are a
// front matter block that the listing reads:
//   ---
//   task: RNA-binding protein site (binary)
//   input: RNA, 200 nt
//   outputs: label = P(bound)
//   metrics: test auROC 0.943
//   file: pum2.pt            (optional; default NAME.pt)
//   ---
// No central index: a model is shipped by adding its file and card.
#include <string>
#include <vector>

namespace seqnn {

struct ShippedModel {
  std::string name;     // "family/name", e.g. "rbp/pum2"
  std::string task, input, outputs, metrics;
  std::string path;     // the model file
  std::string card;     // the model card (.md)
};

// Where the shipped models are, first match wins: $SEQNN_MODELS; beside the running binary
// (../share/seqnn/models for an installed or relocated prefix, ../models for the build tree);
// the configured install prefix; the source tree this library was built from. Empty when none
// exists.
std::string shipped_models_directory();

// Every model card under the directory (sorted by name). Throws seqnn::Error naming the card when
// its front matter is malformed or its model file is missing.
std::vector<ShippedModel> shipped_models(const std::string& directory = shipped_models_directory());

// A path to a model file from what a user gave --model: an existing file as it is, else a
// shipped model's name. Throws seqnn::Error naming the argument and listing the shipped names
// when it is neither.
std::string resolve_model_path(const std::string& path_or_name);

}  // namespace seqnn
