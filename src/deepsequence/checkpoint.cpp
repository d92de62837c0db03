#include "seqnn/deepsequence/checkpoint.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "seqnn/deepsequence/trainer.h"
#include "seqnn/util/archive_file.h"
#include "seqnn/util/json_object.h"
#include "seqnn/util/error.h"

namespace seqnn::ds {
namespace {

at::Tensor text_tensor(const std::string& s) {
  return torch::from_blob(const_cast<char*>(s.data()), {static_cast<int64_t>(s.size())}, torch::kUInt8).clone();
}

std::string tensor_text(const at::Tensor& t) {
  at::Tensor c = t.contiguous();
  return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), static_cast<size_t>(c.numel()));
}

at::Tensor read(torch::serialize::InputArchive& in, const std::string& key, const std::string& path) {
  at::Tensor t;
  if (!in.try_read(key, t)) fail(path, "not a DeepSequence model (no '" + key + "' entry)");
  return t;
}

}  // namespace

void save_checkpoint(const std::string& path, const Vae& model, const FocusInfo& focus, const VaeTrainer* trainer,
                     bool optimizer_state) {
  nlohmann::json meta = {{"format", "seqnn-deepsequence-1"}, {"focus_name", focus.name}, {"focus_start", focus.start},
                         {"focus_sequence", focus.sequence}, {"positions", focus.positions}, {"neff", focus.neff},
                         {"steps", trainer ? trainer->steps_done() : 0}};
  torch::serialize::OutputArchive out;
  out.write("config", text_tensor(model.config().to_json()));
  out.write("meta", text_tensor(meta.dump()));
  // Always CPU tensors: a model trained on a GPU loads on a machine without one.
  out.write("encoder", model.encoder_params().cpu());
  out.write("decoder_mu", model.decoder_mu().cpu());
  out.write("decoder_log_sigma", model.decoder_log_sigma().cpu());
  if (trainer && optimizer_state) {
    std::vector<at::Tensor> adam = trainer->adam_state();
    for (size_t i = 0; i < adam.size(); ++i) out.write("adam" + std::to_string(i), adam[i].cpu());
    out.write("rng", trainer->rng_state());
  }
  save_archive_atomically(out, path, "DeepSequence checkpoint");
}

Checkpoint load_checkpoint(const std::string& path) {
  torch::serialize::InputArchive in;
  load_archive(in, path, "DeepSequence model");
  const VaeConfig config = VaeConfig::from_json(tensor_text(read(in, "config", path)), path);
  nlohmann::json meta = parse_json(tensor_text(read(in, "meta", path)), path + " (meta)");
  Checkpoint ck;
  ck.focus.name = meta.at("focus_name").get<std::string>();
  ck.focus.start = meta.at("focus_start").get<int64_t>();
  ck.focus.sequence = meta.at("focus_sequence").get<std::string>();
  ck.focus.positions = meta.at("positions").get<std::vector<int64_t>>();
  ck.focus.neff = meta.at("neff").get<double>();
  ck.steps = meta.at("steps").get<int64_t>();
  ck.model = std::make_unique<Vae>(config, static_cast<int64_t>(ck.focus.sequence.size()), 0);
  auto restore = [&](const std::string& key, at::Tensor& dst) {
    at::Tensor t = read(in, key, path);
    if (t.sizes() != dst.sizes()) fail(path, "'" + key + "' does not match the model's configuration");
    dst.copy_(t);
  };
  restore("encoder", ck.model->encoder_params());
  restore("decoder_mu", ck.model->decoder_mu());
  restore("decoder_log_sigma", ck.model->decoder_log_sigma());
  for (int i = 0; i < 6; ++i) {
    at::Tensor t;
    if (!in.try_read("adam" + std::to_string(i), t)) break;
    ck.adam.push_back(t);
  }
  in.try_read("rng", ck.rng_state);
  return ck;
}

}  // namespace seqnn::ds
