#include "seqnn/rna/s1_model.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <sstream>

#include "seqnn/util/archive_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"
#include "seqnn/util/strings.h"

namespace seqnn::rna {
namespace {

namespace F = torch::nn::functional;
const char kConfigKey[] = "seqnn_s1_config";

// Output channels of each type's head: on, location x, location y, size x [, size y], scalar
// x [, scalar y].
int64_t head_channels(int type) {
  return type == static_cast<int>(BoxType::kIloop) ? 1 + 2 * kLocationClasses + 2 * kSizeClasses + 2
                                                   : 1 + 2 * kLocationClasses + kSizeClasses + 1;
}

// Layer sizes past any real S1 model (a typo: --num-filters 1000000000000) are refused naming
// the setting before the network is allocated, with the limits of the native model configs.
void check_sizes(const S1Config& c, const std::string& where) {
  auto too_large = [&](const char* what, int64_t v) {
    fail(where, std::string(what) + " " + std::to_string(v) + " is too large (at most " + std::to_string(kMaxConfigSize) + ")");
  };
  for (auto f : c.filters) if (f > kMaxConfigSize) too_large("filter count", f);
  for (auto w : c.widths) if (w > kMaxConfigSize) too_large("filter width", w);
  for (auto h : c.hidden) if (h > kMaxConfigSize) too_large("hidden size", h);
  double weights = 0, in = static_cast<double>(c.input_channels());
  for (size_t k = 0; k < c.filters.size() && k < c.widths.size(); ++k) {
    const double w = static_cast<double>(c.widths[k]), f = static_cast<double>(c.filters[k]);
    weights += in * f * w * w + 3 * f;
    in = f;
  }
  for (auto h : c.hidden) {
    weights += in * static_cast<double>(h);
    in = static_cast<double>(h);
  }
  if (weights > kMaxConfigWeights) {
    fail(where, "the layers would hold " + std::to_string(static_cast<long long>(weights)) + " weights, more than the " +
                    std::to_string(static_cast<long long>(kMaxConfigWeights)) + " seqnn builds");
  }
}

class S1NetImpl : public torch::nn::Module {
 public:
  explicit S1NetImpl(const S1Config& cfg) : config(cfg) {
    int64_t in = cfg.input_channels();
    for (size_t k = 0; k < cfg.filters.size(); ++k) {
      const auto n = std::to_string(k);
      convs.push_back(register_module("conv" + n, torch::nn::Conv2d(torch::nn::Conv2dOptions(in, cfg.filters[k], cfg.widths[k]))));
      bns.push_back(register_module("conv" + n + "_bn", torch::nn::BatchNorm2d(cfg.filters[k])));
      in = cfg.filters[k];
    }
    for (size_t k = 0; k < cfg.hidden.size(); ++k) {
      hidden.push_back(register_module("hidden" + std::to_string(k), torch::nn::Conv2d(torch::nn::Conv2dOptions(in, cfg.hidden[k], 1))));
      in = cfg.hidden[k];
    }
    for (int t = 0; t < kNumBoxTypes; ++t) {
      heads.push_back(register_module(std::string("head_") + box_type_name(static_cast<BoxType>(t)),
                                      torch::nn::Conv2d(torch::nn::Conv2dOptions(in, head_channels(t), 1))));
    }
  }

  torch::Tensor trunk(torch::Tensor x) {
    const int64_t before = config.total_padding() / 2, after = config.total_padding() - before;
    x = F::pad(x, F::PadFuncOptions({before, after, before, after}));
    for (size_t k = 0; k < convs.size(); ++k) x = torch::relu(bns[k]->forward(convs[k]->forward(x)));
    for (auto& h : hidden) x = torch::relu(h->forward(x));
    return x;
  }

  S1Config config;
  std::vector<torch::nn::Conv2d> convs;
  std::vector<torch::nn::BatchNorm2d> bns;
  std::vector<torch::nn::Conv2d> hidden;
  std::vector<torch::nn::Conv2d> heads;
};
TORCH_MODULE(S1Net);

void split_head(const torch::Tensor& h, int t, S1Output& out) {
  int64_t at = 0;
  auto take = [&](int64_t n) {
    torch::Tensor part = h.narrow(1, at, n);
    at += n;
    return part;
  };
  out.on[t] = take(1).squeeze(1);
  out.loc_x[t] = take(kLocationClasses);
  out.loc_y[t] = take(kLocationClasses);
  out.size_x[t] = take(kSizeClasses);
  const bool two_sizes = t == static_cast<int>(BoxType::kIloop);
  out.size_y[t] = two_sizes ? take(kSizeClasses) : out.size_x[t];
  out.scalar_x[t] = take(1).squeeze(1);
  out.scalar_y[t] = two_sizes ? take(1).squeeze(1) : out.scalar_x[t];
}

torch::Tensor masked_mean(const torch::Tensor& values, const torch::Tensor& mask) {
  const torch::Tensor m = mask.to(values.scalar_type());
  return (values * m).sum() / m.sum().clamp_min(1.0);
}

torch::Tensor masked_nll(const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& mask) {
  const torch::Tensor nll = -torch::log_softmax(logits, 1).gather(1, target.unsqueeze(1)).squeeze(1);
  return masked_mean(nll, mask);
}

}  // namespace

void S1Config::validate(const std::string& where) const {
  if (filters.empty()) fail(where, "--num-filters needs at least one layer");
  if (filters.size() != widths.size()) {
    fail(where, std::to_string(filters.size()) + " filter counts but " + std::to_string(widths.size()) + " filter widths");
  }
  for (auto f : filters) {
    if (f <= 0) fail(where, "filter counts must be positive");
  }
  for (auto w : widths) {
    if (w <= 0) fail(where, "filter widths must be positive");
  }
  for (auto h : hidden) {
    if (h <= 0) fail(where, "hidden sizes must be positive");
  }
  check_sizes(*this, where);
}

int64_t S1Config::total_padding() const {
  int64_t p = 0;
  for (auto w : widths) p += w - 1;
  return p;
}

std::string S1Config::to_json() const {
  nlohmann::json j{{"type", "rna_s1"}, {"filters", filters}, {"widths", widths}, {"hidden", hidden}};
  // Sequence-only models keep the JSON (and so the files) of the models made before the key.
  if (inputs != S1Inputs::kSequence) j["inputs"] = s1_inputs_name(inputs);
  return j.dump();
}

S1Config S1Config::from_json(const std::string& text, const std::string& where) {
  S1Config c;
  try {
    auto j = nlohmann::json::parse(text);
    if (j.value("type", "") != "rna_s1") fail(where, "not an S1 config (type is not \"rna_s1\")");
    c.filters = j.at("filters").get<std::vector<int64_t>>();
    c.widths = j.at("widths").get<std::vector<int64_t>>();
    c.hidden = j.at("hidden").get<std::vector<int64_t>>();
    if (j.contains("inputs")) c.inputs = parse_s1_inputs(j.at("inputs").get<std::string>(), where);
  } catch (const nlohmann::json::exception& e) {
    fail(where, std::string("bad S1 config: ") + e.what());
  }
  c.validate(where);
  return c;
}

struct S1Model::Impl {
  explicit Impl(const S1Config& c) : net(c) {}
  S1Net net;
};

S1Model S1Model::create(const S1Config& config, uint64_t seed) {
  config.validate();
  torch::manual_seed(seed);
  S1Model m;
  m.impl_ = std::make_shared<Impl>(config);
  return m;
}

S1Model S1Model::load(const std::string& path) {
  torch::serialize::InputArchive archive;
  load_archive(archive, path, "S1 model");
  c10::IValue text;
  if (!archive.try_read(kConfigKey, text) || !text.isString()) fail(path, "not an S1 model file (no S1 config inside)");
  S1Model m;
  m.impl_ = std::make_shared<Impl>(S1Config::from_json(text.toStringRef(), path));
  try {
    m.impl_->net->load(archive);
  } catch (const c10::Error& e) {
    fail(path, "weights do not match the embedded config: " + first_line(e.what_without_backtrace()));
  }
  m.impl_->net->eval();
  return m;
}

void S1Model::load_weights(const std::string& path) {
  const S1Model saved = load(path);
  if (saved.config().to_json() != config().to_json()) fail(path, "S1 settings differ from the run being resumed");
  torch::NoGradGuard no_grad;
  auto params = saved.impl_->net->named_parameters();
  for (auto& p : impl_->net->named_parameters()) p.value().copy_(params[p.key()]);
  auto buffers = saved.impl_->net->named_buffers();
  for (auto& b : impl_->net->named_buffers()) b.value().copy_(buffers[b.key()]);
}

void S1Model::save(const std::string& path) const {
  torch::serialize::OutputArchive archive;
  archive.write(kConfigKey, c10::IValue(config().to_json()));
  impl_->net->save(archive);
  save_archive_atomically(archive, path, "S1 model");
}

S1Output S1Model::forward(const at::Tensor& x) {
  const int64_t channels = config().input_channels();
  if (x.dim() != 4 || x.size(1) != channels || x.size(2) != x.size(3)) {
    throw Error("S1 input must be (N, " + std::to_string(channels) + ", L, L)");
  }
  const torch::Tensor h = impl_->net->trunk(x.to(device(), torch::kFloat));
  S1Output out;
  for (int t = 0; t < kNumBoxTypes; ++t) split_head(impl_->net->heads[static_cast<size_t>(t)]->forward(h), t, out);
  return out;
}

at::Tensor S1Model::input_batch(const std::vector<std::string>& sequences, const std::vector<const ThermoFeatures*>& thermo,
                                int64_t pad_to) const {
  return s1_input_batch(sequences, config().inputs, thermo, pad_to);
}

void S1Model::train(bool on) { impl_->net->train(on); }
void S1Model::to(const at::Device& device) { impl_->net->to(device); }
at::Device S1Model::device() const { return impl_->net->parameters().front().device(); }
std::vector<at::Tensor> S1Model::parameters() const { return impl_->net->parameters(); }
std::vector<at::Tensor> S1Model::buffers() const { return impl_->net->buffers(); }
const S1Config& S1Model::config() const { return impl_->net->config; }

int64_t S1Model::num_parameters() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

S1LossWeights S1LossWeights::parse(const std::string& text, const std::string& option) {
  S1LossWeights w;
  for (const std::string& item : split(text, ',')) {
    if (item.empty()) continue;  // "" = the defaults
    const size_t eq = item.find('=');
    const std::string key = eq == std::string::npos ? item : item.substr(0, eq);
    double* slot = key == "on" ? &w.on : key == "location" ? &w.location : key == "sm_size" ? &w.sm_size
                 : key == "sl_size" ? &w.sl_size : nullptr;
    if (!slot || eq == std::string::npos) {
      throw Error(option + " '" + item + "': expected KIND=WEIGHT with KIND on, location, sm_size or sl_size");
    }
    try {
      size_t used = 0;
      *slot = std::stod(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw Error(option + " '" + item + "': the weight is not a number");
    }
    if (!(*slot >= 0) || !std::isfinite(*slot)) throw Error(option + " '" + item + "': weights must be finite and >= 0");
  }
  return w;
}

std::string S1LossWeights::to_string() const {
  std::ostringstream s;
  s << "on=" << on << ",location=" << location << ",sm_size=" << sm_size << ",sl_size=" << sl_size;
  return s.str();
}

at::Tensor s1_loss(const S1Output& out, const S1Targets& t, std::vector<std::pair<std::string, double>>* parts,
                   const S1LossWeights& w) {
  torch::Tensor total;
  auto add = [&](const std::string& name, const torch::Tensor& loss) {
    const double weight = ends_with(name, "_on") ? w.on : name.find("_location_") != std::string::npos ? w.location
                        : name.find("_sm_size") != std::string::npos ? w.sm_size : w.sl_size;
    total = total.defined() ? total + weight * loss : weight * loss;
    if (parts) parts->emplace_back(name, loss.item<double>());
  };
  for (int k = 0; k < kNumBoxTypes; ++k) {
    const std::string type = box_type_name(static_cast<BoxType>(k));
    const torch::Tensor on_mask = t.on_mask.select(1, k), inside = t.inside.select(1, k);
    const torch::Tensor bce = F::binary_cross_entropy_with_logits(
        out.on[k], t.on.select(1, k), F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
    add(type + "_on", masked_mean(bce, on_mask));
    add(type + "_location_x", masked_nll(out.loc_x[k], t.loc_x.select(1, k), inside));
    add(type + "_location_y", masked_nll(out.loc_y[k], t.loc_y.select(1, k), inside));
    const bool two = k == static_cast<int>(BoxType::kIloop);
    add(type + (two ? "_sm_size_x" : "_sm_size"), masked_nll(out.size_x[k], t.size_x_cls.select(1, k), inside));
    if (two) add(type + "_sm_size_y", masked_nll(out.size_y[k], t.size_y_cls.select(1, k), inside));
    add(type + (two ? "_sl_size_x" : "_sl_size"), masked_mean((out.scalar_x[k] - t.size_x.select(1, k)).abs(), inside));
    if (two) add(type + "_sl_size_y", masked_mean((out.scalar_y[k] - t.size_y.select(1, k)).abs(), inside));
  }
  return total;
}

}  // namespace seqnn::rna
