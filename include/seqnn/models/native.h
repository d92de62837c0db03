#pragma once
// Native seqnn models (CNN, recurrent, two-input and ensembles): the one API to create them, reach their
// networks and read their configs. Loading and saving go through seqnn::Model (Model::load reads
// any kind; Model::save writes a LibTorch archive holding the config JSON and the weights).
#include <cstdint>
#include <memory>
#include <string>

#include <vector>

#include "seqnn/models/cnn.h"
#include "seqnn/models/ensemble_net.h"
#include "seqnn/models/model.h"
#include "seqnn/models/pair_net.h"
#include "seqnn/models/rnn.h"

namespace seqnn {

// A freshly initialised model (PyTorch's default initialisation, seeded), in eval mode.
Model make_native_model(const CnnConfig& config, uint64_t seed = 0);
Model make_native_model(const RnnConfig& config, uint64_t seed = 0);
Model make_native_model(const PairConfig& config, uint64_t seed = 0);
Model make_native_model(const EnsembleConfig& config, uint64_t seed = 0);
// Any kind from config JSON, by its "type" ("cnn" when absent, "rnn", "pair" or "ensemble").
Model make_native_model_from_json(const std::string& config_json, const std::string& source, uint64_t seed = 0);
// Recurrent models under their former name.
inline Model make_rnn_model(const RnnConfig& config, uint64_t seed = 0) { return make_native_model(config, seed); }

// The network of a native model (shares weights with it). Each throws for other models.
CnnNet native_network(const Model& model);
RnnNet rnn_network(const Model& model);
PairNet pair_network(const Model& model);
EnsembleNet ensemble_network(const Model& model);
// The config of any native model as JSON (what its file embeds).
std::string native_config_json(const Model& model);
// One model averaging native models of one layout: their configs (without their metadata) and
// weights, and `metadata` (a JSON object) for the ensemble.
Model make_native_ensemble(const std::vector<Model>& members, const std::string& metadata = "{}");
// The trainable module behind any native model (CNN, RNN, two-input, ensemble); throws for TorchScript
// models.
std::shared_ptr<torch::nn::Module> native_module(const Model& model);
bool is_native_model(const Model& model);
// The output activation of a native model's config (as an enum, and by its config name, e.g.
// "sigmoid"); throws for TorchScript models.
Activation native_output_activation_of(const Model& model);
std::string native_output_activation(const Model& model);
// Copies the weights of a native model file into `model` (same architecture), e.g. to restore a
// training checkpoint; "path: cannot load checkpoint weights: ..." on a mismatch.
void load_native_weights(Model& model, const std::string& path);

// The "type" field of a native model config ("cnn" when absent).
std::string native_config_type(const std::string& json_text, const std::string& source);

}  // namespace seqnn
