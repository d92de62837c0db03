#include "seqnn/deepsequence/vae_config.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "seqnn/util/error.h"
#include "util/json_fields.h"

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

void VaeConfig::validate(const std::string& where) const {
  auto bad = [&](const std::string& what) { fail(where, what); };
  if (encoder.empty() || decoder.empty()) bad("\"encoder\" and \"decoder\" need at least one layer");
  for (int64_t w : encoder) if (w <= 0) bad("\"encoder\" widths must be positive");
  for (int64_t w : decoder) if (w <= 0) bad("\"decoder\" widths must be positive");
  if (latent <= 0) bad("\"latent\" must be positive");
  if (sparsity && (sparsity_tiles <= 0 || decoder.back() % sparsity_tiles != 0)) {
    bad("\"sparsity_tiles\" (" + std::to_string(sparsity_tiles) + ") must divide the last decoder width (" +
        std::to_string(decoder.back()) + ")");
  }
  if (!(logit_p > 0 && logit_p < 1)) bad("\"logit_p\" must be in (0, 1)");
  if (!(sparsity_sigma > 0) || !(prior_sigma > 0)) bad("prior sigmas must be positive");
  if (dictionary < 0) bad("\"dictionary\" must be >= 0 (0 = off)");
  if (batch_size <= 0) bad("\"batch_size\" must be positive");
  if (!(learning_rate > 0)) bad("\"learning_rate\" must be positive");
  if (adam != "original" && adam != "standard") bad("\"adam\" must be \"original\" or \"standard\"");
  if (!(theta >= 0 && theta < 1)) bad("\"theta\" must be in [0, 1)");
}

VaeConfig VaeConfig::from_json(const std::string& text, const std::string& where) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    fail(where, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object()) fail(where, "expected a JSON object");
  static const std::set<std::string> known = {
      "encoder", "latent", "decoder", "sparsity", "sparsity_tiles", "logit_p", "sparsity_sigma", "dictionary",
      "temperature", "log_sigma_init", "prior_sigma", "batch_size", "learning_rate", "beta1", "beta2",
      "adam_epsilon", "adam", "theta", "type"};
  for (const auto& item : j.items()) {
    if (!known.count(item.key())) fail(where, "unknown field \"" + item.key() + "\"");
  }
  VaeConfig c;
  read_json_field(j, "encoder", c.encoder, where);
  read_json_field(j, "latent", c.latent, where);
  read_json_field(j, "decoder", c.decoder, where);
  read_json_field(j, "sparsity", c.sparsity, where);
  read_json_field(j, "sparsity_tiles", c.sparsity_tiles, where);
  read_json_field(j, "logit_p", c.logit_p, where);
  read_json_field(j, "sparsity_sigma", c.sparsity_sigma, where);
  read_json_field(j, "dictionary", c.dictionary, where);
  read_json_field(j, "temperature", c.temperature, where);
  read_json_field(j, "log_sigma_init", c.log_sigma_init, where);
  read_json_field(j, "prior_sigma", c.prior_sigma, where);
  read_json_field(j, "batch_size", c.batch_size, where);
  read_json_field(j, "learning_rate", c.learning_rate, where);
  read_json_field(j, "beta1", c.beta1, where);
  read_json_field(j, "beta2", c.beta2, where);
  read_json_field(j, "adam_epsilon", c.adam_epsilon, where);
  read_json_field(j, "adam", c.adam, where);
  read_json_field(j, "theta", c.theta, where);
  c.validate(where);
  return c;
}

VaeConfig VaeConfig::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path);
}

std::string VaeConfig::to_json() const {
  json j = {{"type", "deepsequence"}, {"encoder", encoder}, {"latent", latent}, {"decoder", decoder},
            {"sparsity", sparsity}, {"sparsity_tiles", sparsity_tiles}, {"logit_p", logit_p},
            {"sparsity_sigma", sparsity_sigma}, {"dictionary", dictionary}, {"temperature", temperature},
            {"log_sigma_init", log_sigma_init}, {"prior_sigma", prior_sigma}, {"batch_size", batch_size},
            {"learning_rate", learning_rate}, {"beta1", beta1}, {"beta2", beta2}, {"adam_epsilon", adam_epsilon},
            {"adam", adam}, {"theta", theta}};
  return j.dump(2);
}

}  // namespace seqnn::ds
