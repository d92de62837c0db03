#include "seqnn/models/ensemble_net.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "models/layer_config_json.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

using nlohmann::json;

namespace {

// What a member reports to the ensemble, read by its own reader.
struct MemberSummary {
  std::string alphabet;
  int64_t input_length = 0;
  bool skips_padding = false;
  int64_t outputs = 1;
  Activation activation = Activation::kNone;
  std::vector<std::string> output_names;
};

MemberSummary summarize_member(const std::string& text, const std::string& where) {
  const JsonObject j = JsonObject::parse(text, where);
  std::string type = "cnn";
  j.read("type", type);
  MemberSummary s;
  if (type == "cnn") {
    const CnnConfig c = CnnConfig::from_json(text, where);
    s = {c.alphabet, c.global_pool == GlobalPool::kFlatten ? c.input_length : 0, false, c.outputs, c.output_activation,
         c.output_names};
  } else if (type == "rnn") {
    const RnnConfig c = RnnConfig::from_json(text, where);
    s = {c.alphabet, c.input_length, true, c.outputs, c.output_activation, c.output_names};
  } else if (type == "pair") {
    const PairConfig c = PairConfig::from_json(text, where);
    s = {c.alphabet, c.input_length, PairConfig::branch_type(c.first) == "rnn", c.outputs, c.output_activation, c.output_names};
  } else {
    j.fail_key("type", "a member must be \"cnn\", \"rnn\" or \"pair\", got '" + type + "'");
  }
  return s;
}

}  // namespace

EnsembleConfig EnsembleConfig::from_json(const std::string& text, const std::string& source) {
  const JsonObject j = JsonObject::parse(text, source);
  j.allow_only({"type", "members", "metadata", "comment"});
  std::string type;
  j.read("type", type);
  if (type != "ensemble") j.fail_key("type", "unsupported model type '" + type + "' (this reader knows \"ensemble\")");
  const std::vector<JsonObject> members = j.read_objects("members");
  if (members.empty()) j.fail_key("members", "needs at least one member");
  EnsembleConfig c;
  c.skips_trailing_padding = true;
  for (size_t k = 0; k < members.size(); ++k) {
    const std::string member = members[k].json().dump();
    const MemberSummary s = summarize_member(member, members[k].where());
    if (k == 0) {
      c.alphabet = s.alphabet;
      c.input_length = s.input_length;
      c.outputs = s.outputs;
      c.output_activation = s.activation;
      c.output_names = s.output_names;
    } else if (s.alphabet != c.alphabet || s.outputs != c.outputs || s.activation != c.output_activation ||
               s.input_length != c.input_length) {
      fail(members[k].where(), "differs from members[0] in alphabet, input length, outputs or output activation");
    }
    c.skips_trailing_padding = c.skips_trailing_padding && s.skips_padding;
    c.members.push_back(member);
  }
  c.metadata = read_metadata(j);
  return c;
}

std::string EnsembleConfig::to_json() const {
  json j;
  j["type"] = "ensemble";
  j["members"] = json::array();
  for (const auto& m : members) j["members"].push_back(json::parse(m));
  j["metadata"] = json::parse(metadata);
  return j.dump(2);
}

torch::Tensor EnsembleNetImpl::Member::forward(const torch::Tensor& x, const std::vector<torch::Tensor>& args) {
  if (pair) {
    if (args.size() != 1) {
      throw Error("a two-input member takes one extra input, the second branch's (" + std::to_string(args.size()) + " given)");
    }
    return pair->forward(x, args[0]);
  }
  if (!args.empty()) throw Error("single-input members take no extra inputs (" + std::to_string(args.size()) + " given)");
  return cnn ? cnn->forward(x) : rnn->forward(x);
}

EnsembleNetImpl::EnsembleNetImpl(EnsembleConfig config) : config_(std::move(config)) {
  for (size_t k = 0; k < config_.members.size(); ++k) {
    const std::string& text = config_.members[k];
    const std::string name = "member" + std::to_string(k);
    const std::string type = json::parse(text).value("type", "cnn");
    Member m;
    if (type == "pair") m.pair = register_module(name, PairNet(PairConfig::from_json(text, name)));
    else if (type == "rnn") m.rnn = register_module(name, RnnNet(RnnConfig::from_json(text, name)));
    else m.cnn = register_module(name, CnnNet(CnnConfig::from_json(text, name)));
    members_.push_back(m);
  }
}

torch::Tensor EnsembleNetImpl::forward(const torch::Tensor& x, const std::vector<torch::Tensor>& args) {
  std::vector<torch::Tensor> outputs;
  for (auto& m : members_) outputs.push_back(m.forward(x, args));
  return torch::stack(outputs).mean(0);
}

void EnsembleNetImpl::set_metadata(const std::string& json_object) {
  config_.metadata = JsonObject::parse(json_object, "model metadata").json().dump();
}

std::shared_ptr<torch::nn::Module> EnsembleNetImpl::member(size_t k) const {
  const Member& m = members_.at(k);
  if (m.pair) return m.pair.ptr();
  if (m.rnn) return m.rnn.ptr();
  return m.cnn.ptr();
}

}  // namespace seqnn
