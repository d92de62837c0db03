#include "seqnn/deepsequence/vae_config.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/json_object.h"

namespace seqnn::ds {
namespace {

using nlohmann::json;

// Inverse error function by Newton's method on std::erf (double precision; only used once).
double erfinv(double y) {
  double x = 0.0;
  for (int i = 0; i < 100; ++i) {
    const double err = std::erf(x) - y;
    x -= err / (2.0 / std::sqrt(M_PI) * std::exp(-x * x));
    if (std::fabs(err) < 1e-16) break;
  }
  return x;
}


}  // namespace

double VaeConfig::sparsity_prior_mean() const { return std::sqrt(2.0) * sparsity_sigma * erfinv(2.0 * logit_p - 1.0); }

const std::vector<EnumName<AdamVariant>>& adam_variant_names() {
  static const std::vector<EnumName<AdamVariant>> names = {{AdamVariant::kOriginal, "original"},
                                                           {AdamVariant::kStandard, "standard"}};
  return names;
}

void VaeConfig::validate(const std::string& where) const {
  auto bad = [&](const std::string& key, const std::string& what) { fail(where + ": " + key, what); };
  if (encoder.empty()) bad("encoder", "needs at least one layer");
  if (decoder.empty()) bad("decoder", "needs at least one layer");
  for (int64_t w : encoder) if (w <= 0) bad("encoder", "widths must be positive");
  for (int64_t w : decoder) if (w <= 0) bad("decoder", "widths must be positive");
  if (latent <= 0) bad("latent", "must be positive");
  // Sizes past any real VAE (a typo) are refused here, before anything is allocated.
  auto too_large = [&](const std::string& key, int64_t v) {
    if (v > kMaxConfigSize) bad(key, std::to_string(v) + " is too large (at most " + std::to_string(kMaxConfigSize) + ")");
  };
  for (int64_t w : encoder) too_large("encoder", w);
  for (int64_t w : decoder) too_large("decoder", w);
  too_large("latent", latent);
  too_large("dictionary", dictionary);
  too_large("batch_size", batch_size);
  if (sparsity && (sparsity_tiles <= 0 || decoder.back() % sparsity_tiles != 0)) {
    bad("sparsity_tiles", std::to_string(sparsity_tiles) + " must divide the last decoder width (" +
                              std::to_string(decoder.back()) + ")");
  }
  if (!(logit_p > 0 && logit_p < 1)) bad("logit_p", "must be in (0, 1)");
  if (!(sparsity_sigma > 0)) bad("sparsity_sigma", "must be positive");
  if (!(prior_sigma > 0)) bad("prior_sigma", "must be positive");
  if (dictionary < 0) bad("dictionary", "must be >= 0 (0 = off)");
  if (batch_size <= 0) bad("batch_size", "must be positive");
  if (!(learning_rate > 0)) bad("learning_rate", "must be positive");
  if (!(theta >= 0 && theta < 1)) bad("theta", "must be in [0, 1)");
}

VaeConfig VaeConfig::from_json(const std::string& text, const std::string& where) {
  const JsonObject j = JsonObject::parse(text, where);
  j.allow_only({"encoder", "latent", "decoder", "sparsity", "sparsity_tiles", "logit_p", "sparsity_sigma", "dictionary",
                "temperature", "log_sigma_init", "prior_sigma", "batch_size", "learning_rate", "beta1", "beta2",
                "adam_epsilon", "adam", "theta", "type"});
  VaeConfig c;
  j.read("encoder", c.encoder);
  j.read("latent", c.latent);
  j.read("decoder", c.decoder);
  j.read("sparsity", c.sparsity);
  j.read("sparsity_tiles", c.sparsity_tiles);
  j.read("logit_p", c.logit_p);
  j.read("sparsity_sigma", c.sparsity_sigma);
  j.read("dictionary", c.dictionary);
  j.read("temperature", c.temperature);
  j.read("log_sigma_init", c.log_sigma_init);
  j.read("prior_sigma", c.prior_sigma);
  j.read("batch_size", c.batch_size);
  j.read("learning_rate", c.learning_rate);
  j.read("beta1", c.beta1);
  j.read("beta2", c.beta2);
  j.read("adam_epsilon", c.adam_epsilon);
  j.read_enum("adam", c.adam, adam_variant_names());
  j.read("theta", c.theta);
  c.validate(where);
  return c;
}

VaeConfig VaeConfig::from_file(const std::string& path) { return from_json(read_text_file(path, "VAE config"), path); }

std::string VaeConfig::to_json() const {
  json j = {{"type", "deepsequence"}, {"encoder", encoder}, {"latent", latent}, {"decoder", decoder},
            {"sparsity", sparsity}, {"sparsity_tiles", sparsity_tiles}, {"logit_p", logit_p},
            {"sparsity_sigma", sparsity_sigma}, {"dictionary", dictionary}, {"temperature", temperature},
            {"log_sigma_init", log_sigma_init}, {"prior_sigma", prior_sigma}, {"batch_size", batch_size},
            {"learning_rate", learning_rate}, {"beta1", beta1}, {"beta2", beta2}, {"adam_epsilon", adam_epsilon},
            {"adam", enum_name(adam, adam_variant_names())}, {"theta", theta}};
  return j.dump(2);
}

}  // namespace seqnn::ds
