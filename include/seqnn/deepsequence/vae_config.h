#pragma once
// Configuration of the DeepSequence VAE, read from JSON. Defaults are the paper's configuration
// (Riesselman et al. 2018, run_svi.py); every field is optional:
//   {"encoder": [1500, 1500], "latent": 30, "decoder": [100, 2000],
//    "sparsity": true, "sparsity_tiles": 4, "logit_p": 0.001, "sparsity_sigma": 4.0,
//    "dictionary": 40, "temperature": true, "log_sigma_init": -5.0,
//    "batch_size": 100, "learning_rate": 0.001, "adam": "original", "theta": 0.2}
// "dictionary": 0 switches the dictionary off (W_out maps straight to the 20 amino acids);
// "adam": "original" (no bias correction, as the Theano code) or "standard" (Kingma & Ba).
#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/util/enum_names.h"

namespace seqnn::ds {

// Adam as the Theano code runs it (no bias correction) or as Kingma & Ba write it.
enum class AdamVariant { kOriginal, kStandard };
const std::vector<EnumName<AdamVariant>>& adam_variant_names();  // "original", "standard"

struct VaeConfig {
  std::vector<int64_t> encoder{1500, 1500};  // ReLU layers
  int64_t latent = 30;
  std::vector<int64_t> decoder{100, 2000};   // ReLU layers, the last one sigmoid
  bool sparsity = true;
  int64_t sparsity_tiles = 4;  // S has (H / tiles) rows, tiled `tiles` times along H
  double logit_p = 0.001;      // prior mean of S: sqrt(2) * sigma * erfinv(2 p - 1)
  double sparsity_sigma = 4.0;
  int64_t dictionary = 40;     // C; 0 = off
  bool temperature = true;     // logits times softplus(lambda)
  double log_sigma_init = -5.0;
  double prior_sigma = 1.0;    // N(0, prior_sigma^2) on every other decoder parameter
  // Training.
  int64_t batch_size = 100;
  double learning_rate = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, adam_epsilon = 1e-8;
  AdamVariant adam = AdamVariant::kOriginal;
  double theta = 0.2;  // sequence-weight identity threshold

  double sparsity_prior_mean() const;
  // Throws seqnn::Error "where: key: problem" for unknown keys, wrong types or bad values.
  static VaeConfig from_json(const std::string& text, const std::string& where);
  static VaeConfig from_file(const std::string& path);
  std::string to_json() const;
  void validate(const std::string& where) const;
};

}  // namespace seqnn::ds
