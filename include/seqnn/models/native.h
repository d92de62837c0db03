#pragma once
// Native seqnn models: create one from a config, or reach its network (for training, weight
// surgery or tests).
#include <cstdint>

#include "seqnn/models/cnn.h"
#include "seqnn/models/model.h"

namespace seqnn {

// A freshly initialised model (PyTorch's default initialisation, seeded), in eval mode.
Model make_native_model(const CnnConfig& config, uint64_t seed = 0);
// The network of a native model (shares weights with it). Throws for other models.
CnnNet native_network(const Model& model);

}  // namespace seqnn
