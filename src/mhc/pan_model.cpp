#include "seqnn/mhc/pan_model.h"

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "seqnn/models/cnn_config.h"
#include "seqnn/models/native.h"
#include "seqnn/models/rnn_config.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"
#include "seqnn/util/json_object.h"

namespace seqnn::mhc {

using nlohmann::json;

namespace {

const char kModelTag[] = "seqnn mhc pan-allele";

std::string peptide_branch(const PanModelOptions& o) {
  if (o.arch == "lstm" || o.arch == "gru") {
    RnnConfig r;
    r.alphabet = "protein";
    r.embedding = o.embedding;
    r.cell = o.arch == "lstm" ? RnnCell::kLstm : RnnCell::kGru;
    r.hidden = o.hidden;
    r.bidirectional = true;
    r.outputs = o.peptide_features;
    r.output_activation = Activation::kRelu;
    return r.to_json();
  }
  if (o.arch != "cnn") throw Error("unknown --arch '" + o.arch + "' for the pan-allele model (lstm, gru or cnn)");
  CnnConfig c;
  c.alphabet = "protein";
  c.input_length = o.max_length;
  for (size_t i = 0; i < o.num_filters.size(); ++i) {
    ConvLayerConfig l;
    l.filters = o.num_filters[i];
    l.width = o.filter_width.empty() ? 3 : o.filter_width[std::min(i, o.filter_width.size() - 1)];
    l.padding = Padding::kSame;
    c.conv.push_back(l);
  }
  c.global_pool = GlobalPool::kFlatten;
  c.outputs = o.peptide_features;
  c.output_activation = Activation::kRelu;
  return c.to_json();
}

std::string allele_branch(const PanModelOptions& o, int64_t pseudo_length) {
  CnnConfig c;
  c.alphabet = "protein";
  c.input_length = pseudo_length;
  c.global_pool = GlobalPool::kFlatten;
  c.outputs = o.allele_features;
  c.output_activation = Activation::kRelu;
  return c.to_json();
}

}  // namespace

std::string PanMetadata::to_json() const {
  json q = json::object();
  for (const auto& [allele, values] : calibration.quantiles) q[allele] = values;
  json j = {{"model", kModelTag},
            {"peptide_lengths", {min_length, max_length}},
            {"pseudo_sequences_source", pseudo.source()},
            {"pseudo_sequences", pseudo.entries()},
            {"calibration",
             {{"peptides", calibration.peptides},
              {"lengths", {calibration.min_length, calibration.max_length}},
              {"seed", calibration.seed},
              {"quantiles", q}}}};
  return j.dump();
}

PanMetadata PanMetadata::from_json(const std::string& text, const std::string& source) {
  const json j = parse_json(text, source);
  if (!j.is_object() || j.value("model", "") != kModelTag) fail(source, "not a seqnn mhc pan-allele model (no pan-allele metadata)");
  PanMetadata m;
  try {
    const auto lengths = j.at("peptide_lengths").get<std::vector<int64_t>>();
    m.min_length = lengths.at(0);
    m.max_length = lengths.at(1);
    m.pseudo.set_source(source);
    for (const auto& [name, seq] : j.at("pseudo_sequences").items()) m.pseudo.add(name, seq.get<std::string>(), source);
    const json& c = j.at("calibration");
    m.calibration.peptides = c.at("peptides").get<int64_t>();
    m.calibration.min_length = c.at("lengths").at(0).get<int64_t>();
    m.calibration.max_length = c.at("lengths").at(1).get<int64_t>();
    m.calibration.seed = c.at("seed").get<uint64_t>();
    for (const auto& [allele, q] : c.at("quantiles").items()) m.calibration.quantiles[allele] = q.get<std::vector<double>>();
  } catch (const json::exception& e) {
    fail(source, std::string("pan-allele metadata: ") + e.what());
  }
  return m;
}

PairConfig pan_model_config(const PanModelOptions& o, const PseudoSequences& pseudo) {
  if (o.min_length < 1 || o.max_length < o.min_length) throw Error("peptide lengths must satisfy 1 <= min <= max");
  PairConfig c;
  c.first = peptide_branch(o);
  c.second = allele_branch(o, pseudo.length());
  c.combine = parse_enum(o.combine, pair_combine_names(), "--combine");
  for (int64_t units : o.dense_units) {
    DenseLayerConfig d;
    d.units = units;
    d.dropout = o.dropout;
    c.dense.push_back(d);
  }
  c.outputs = 1;
  c.output_activation = Activation::kSigmoid;
  c.output_names = {"meas"};
  PanMetadata m;
  m.pseudo = pseudo;
  m.min_length = o.min_length;
  m.max_length = o.max_length;
  c.metadata = m.to_json();
  // Through the reader, so the branches are validated as a loaded model's would be.
  return PairConfig::from_json(c.to_json(), "pan-allele model settings");
}

Model make_pan_model(const PanModelOptions& o, const PseudoSequences& pseudo, uint64_t seed) {
  return make_native_model(pan_model_config(o, pseudo), seed);
}

namespace {

bool is_ensemble(const Model& model) {
  return is_native_model(model) && native_config_type(native_config_json(model), "model") == "ensemble";
}

}  // namespace

PanMetadata pan_metadata(const Model& model) {
  const std::string source = model.info().source.empty() ? "model" : model.info().source;
  const std::string type = is_native_model(model) ? native_config_type(native_config_json(model), source) : "";
  if (type == "ensemble") return PanMetadata::from_json(ensemble_network(model)->config().metadata, source);
  if (type != "pair") fail(source, "not a seqnn mhc pan-allele model (not a native two-input model or ensemble)");
  return PanMetadata::from_json(pair_network(model)->config().metadata, source);
}

void set_pan_metadata(Model& model, const PanMetadata& metadata) {
  if (is_ensemble(model)) ensemble_network(model)->set_metadata(metadata.to_json());
  else pair_network(model)->set_metadata(metadata.to_json());
}

void check_peptide(const std::string& peptide, const PanMetadata& m, const std::string& where) {
  const Alphabet& protein = Alphabet::protein();
  for (size_t i = 0; i < peptide.size(); ++i) {
    if (protein.index(peptide[i]) < 0) {
      fail(where, "peptide '" + peptide + "' has '" + std::string(1, peptide[i]) + "' at position " + std::to_string(i + 1) +
                      ", not one of the 20 amino acids");
    }
  }
  const int64_t n = static_cast<int64_t>(peptide.size());
  if (n < m.min_length || n > m.max_length) {
    fail(where, "peptide '" + peptide + "' has " + std::to_string(n) + " residues; the model takes " +
                    std::to_string(m.min_length) + " to " + std::to_string(m.max_length));
  }
}

at::Tensor predict_pan(Model& model, const std::vector<std::string>& peptides, const std::vector<std::string>& pseudo,
                       const PredictOptions& options) {
  const Alphabet& protein = Alphabet::protein();
  EncodeOptions eo;
  eo.dtype = at::kFloat;
  const at::Tensor alleles = one_hot_encode(pseudo, protein, eo);
  const int64_t pad_to = model.info().input_length.value_or(0);
  at::Tensor out = torch::zeros({static_cast<int64_t>(peptides.size()), static_cast<int64_t>(pseudo.size())}, torch::kDouble);
  std::map<size_t, std::vector<int64_t>> by_length;
  for (size_t i = 0; i < peptides.size(); ++i) by_length[peptides[i].size()].push_back(static_cast<int64_t>(i));
  const int64_t total = out.numel();
  int64_t done = 0;
  for (const auto& [length, rows] : by_length) {
    std::vector<std::string> seqs;
    for (int64_t r : rows) seqs.push_back(peptides[static_cast<size_t>(r)]);
    const at::Tensor x = pad_one_hot(seqs, protein, pad_to, eo).x;
    PredictOptions group = options;
    if (options.progress) group.progress = [&](int64_t d, int64_t) { options.progress(done + d, total); };
    const at::Tensor y = predict_cross(model, x, {alleles}, group).tensor();  // (n, A, 1)
    done += y.numel();
    out.index_copy_(0, torch::tensor(rows, torch::kLong), y.reshape({x.size(0), alleles.size(0)}).to(torch::kDouble));
  }
  return out;
}

double ic50_of_target(double y) { return std::pow(50000.0, 1.0 - y); }

void calibrate_alleles(Model& model, PanMetadata& m, const std::vector<std::string>& alleles, const PredictOptions& options) {
  Calibration& c = m.calibration;
  if (c.peptides <= 0 || alleles.empty()) return;
  const std::vector<std::string> peptides = random_peptides(c.peptides, c.min_length, c.max_length, c.seed);
  std::vector<std::string> seqs;
  for (const std::string& a : alleles) seqs.push_back(m.pseudo.require(a, "calibration"));
  const at::Tensor y = predict_pan(model, peptides, seqs, options).contiguous();
  for (size_t k = 0; k < alleles.size(); ++k) {
    const at::Tensor column = y.select(1, static_cast<int64_t>(k)).contiguous();
    std::vector<double> scores(column.data_ptr<double>(), column.data_ptr<double>() + column.numel());
    std::vector<double> q = score_quantiles(std::move(scores));
    for (double& v : q) v = std::round(v * 1e6) / 1e6;  // 6 decimals keep the model file small
    c.quantiles[allele_key(alleles[k])] = std::move(q);
  }
}

const std::vector<double>* stored_calibration(const PanMetadata& m, const std::string& allele) {
  auto it = m.calibration.quantiles.find(allele_key(allele));
  return it == m.calibration.quantiles.end() ? nullptr : &it->second;
}

}  // namespace seqnn::mhc
