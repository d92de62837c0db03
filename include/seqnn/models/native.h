#pragma once
// Native seqnn models (CNN and recurrent): the one API to create them, reach their networks and
// read their configs. Loading and saving go through seqnn::Model (Model::load reads either kind;
// Model::save writes a LibTorch archive holding the config JSON and the weights).
#include <cstdint>
#include <memory>
#include <string>

#include "seqnn/models/cnn.h"
#include "seqnn/models/model.h"
#include "seqnn/models/rnn.h"

namespace seqnn {

// A freshly initialised model (PyTorch's default initialisation, seeded), in eval mode.
Model make_native_model(const CnnConfig& config, uint64_t seed = 0);
Model make_native_model(const RnnConfig& config, uint64_t seed = 0);
// Either kind from config JSON, by its "type" ("cnn" when absent, or "rnn").
Model make_native_model_from_json(const std::string& config_json, const std::string& source, uint64_t seed = 0);
// Recurrent models under their former name.
inline Model make_rnn_model(const RnnConfig& config, uint64_t seed = 0) { return make_native_model(config, seed); }

// The network of a native model (shares weights with it). Each throws for other models.
CnnNet native_network(const Model& model);
RnnNet rnn_network(const Model& model);
// The trainable module behind any native model (CNN or RNN); throws for TorchScript models.
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
