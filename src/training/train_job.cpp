#include "seqnn/training/train_job.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "seqnn/models/native.h"
#include "seqnn/models/rnn.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/training/train_dir.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/json_object.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

using nlohmann::json;

std::string str(const json& c, const char* k) { return c.at(k).get<std::string>(); }
int64_t num(const json& c, const char* k) { return c.at(k).get<int64_t>(); }
double real(const json& c, const char* k) { return c.at(k).get<double>(); }
std::vector<int64_t> ints(const json& c, const char* k) { return c.at(k).get<std::vector<int64_t>>(); }
int64_t nth(const std::vector<int64_t>& v, size_t i, int64_t fallback) {
  if (v.empty()) return fallback;
  return v[std::min(i, v.size() - 1)];
}

Dataset load_data_settings(const json& c, const std::string& prefix) {
  auto get = [&](const std::string& k) { return c.contains(prefix + k) ? str(c, (prefix + k).c_str()) : std::string(); };
  const std::vector<std::string> label_cols = c.at("label_columns").get<std::vector<std::string>>();
  if (!get("fasta").empty()) {
    if (get("labels").empty()) throw Error("--" + prefix + "fasta needs --" + prefix + "labels");
    return load_fasta_with_labels(get("fasta"), get("labels"), label_cols);
  }
  if (!get("positives").empty() || !get("negatives").empty()) {
    if (get("positives").empty() || get("negatives").empty()) throw Error("give both --positives and --negatives");
    return load_class_fastas({get("negatives"), get("positives")}, "label");
  }
  if (!get("table").empty()) {
    TableOptions t;
    t.sequence_column = str(c, "sequence_column");
    t.id_column = str(c, "id_column");
    t.target_columns = c.at("target_columns").get<std::vector<std::string>>();
    t.transform = str(c, "target_transform");
    t.split_column = prefix.empty() ? str(c, "split_column") : "";
    for (const auto& f : c.at("filter").get<std::vector<std::string>>()) {
      const size_t eq = f.find('=');
      if (eq == std::string::npos) throw Error("--filter '" + f + "' is not column=value");
      t.filters.emplace_back(f.substr(0, eq), f.substr(eq + 1));
    }
    return load_sequence_table(get("table"), t);
  }
  if (!prefix.empty()) return Dataset{};
  const auto classes = c.at("class_fasta").get<std::vector<std::string>>();
  if (!classes.empty()) return load_class_fastas(classes, "class");
  if (!str(c, "bed").empty()) return load_bed_with_labels(str(c, "bed"), str(c, "genome"), num(c, "max_length"), label_cols);
  throw Error("no training data: give --fasta/--labels, --positives/--negatives, --class-fasta, --bed or --table");
}

// The "task" setting; checked before any data is read too, so a wrong value fails at once.
HeadTask head_task_setting(const json& c, const std::string& source) {
  return parse_enum(str(c, "task"), head_task_names(), source + ": task");
}

// Checked before any data is read, so a wrong --arch fails at once.
void check_arch(const json& c) {
  const std::string arch = str(c, "arch");
  for (const char* known : {"cnn", "lstm", "gru", "cnn-lstm", "cnn-gru"}) {
    if (arch == known) return;
  }
  throw Error("unknown --arch '" + arch + "' (cnn, lstm, gru, cnn-lstm, cnn-gru; RNA structure boxes: seqnn rna train)");
}

std::vector<ConvLayerConfig> conv_layers(const json& c) {
  std::vector<ConvLayerConfig> layers;
  const auto filters = ints(c, "num_filters"), widths = ints(c, "filter_width"), pools = ints(c, "pool");
  for (size_t i = 0; i < filters.size(); ++i) {
    ConvLayerConfig l;
    l.filters = filters[i];
    l.width = nth(widths, i, 9);
    l.pool = nth(pools, i, 1);
    l.padding = parse_enum(str(c, "padding"), padding_names(), "setting 'padding'");
    l.batch_norm = c.at("batch_norm").get<bool>();
    l.dropout = real(c, "conv_dropout");
    layers.push_back(l);
  }
  return layers;
}

std::vector<DenseLayerConfig> dense_layers(const json& c) {
  std::vector<DenseLayerConfig> layers;
  for (int64_t units : ints(c, "dense_units")) {
    DenseLayerConfig d;
    d.units = units;
    d.batch_norm = c.at("batch_norm").get<bool>();
    d.dropout = real(c, "dropout");
    layers.push_back(d);
  }
  return layers;
}

std::vector<std::string> output_names(const std::vector<HeadSpec>& heads) {
  std::vector<std::string> names;
  for (const auto& h : heads) {
    if (h.kind != HeadKind::kMulticlass) names.push_back(h.name);
    for (int64_t k = 0; h.kind == HeadKind::kMulticlass && k < h.classes; ++k) names.push_back(h.name + "." + std::to_string(k));
  }
  return names;
}

// The model: from a config file (its outputs set to what the heads need) or from the flags.
Model build_model(const json& c, const std::vector<HeadSpec>& heads, uint64_t seed, int64_t* pad_to) {
  const std::string file = str(c, "model_config");
  const std::string arch = str(c, "arch");
  json m;
  if (!file.empty()) {
    m = parse_json(read_text_file(file, "model config"), file);
  } else if (arch == "cnn") {
    CnnConfig cnn;
    cnn.alphabet = str(c, "alphabet");
    cnn.input_length = num(c, "max_length");
    cnn.conv = conv_layers(c);
    cnn.global_pool = parse_enum(str(c, "global_pool"), global_pool_names(), "setting 'global_pool'");
    cnn.dense = dense_layers(c);
    m = json::parse(cnn.to_json());
  } else if (arch == "lstm" || arch == "gru" || arch == "cnn-lstm" || arch == "cnn-gru") {
    RnnConfig rnn;
    rnn.alphabet = str(c, "alphabet");
    rnn.input_length = num(c, "max_length");
    rnn.embedding = num(c, "embedding");
    if (arch.rfind("cnn-", 0) == 0) rnn.conv = conv_layers(c);
    rnn.cell = arch == "lstm" || arch == "cnn-lstm" ? RnnCell::kLstm : RnnCell::kGru;
    rnn.hidden = num(c, "hidden");
    rnn.layers = num(c, "layers");
    rnn.bidirectional = c.at("bidirectional").get<bool>();
    rnn.rnn_dropout = real(c, "dropout");
    rnn.pool = parse_enum(str(c, "rnn_pool"), sequence_pool_names(), "setting 'rnn_pool'");
    rnn.dense = dense_layers(c);
    m = json::parse(rnn.to_json());
  } else {
    check_arch(c);
  }
  m["outputs"] = total_outputs(heads);
  m["output_activation"] = name_of(output_activation_for(heads));
  m["output_names"] = output_names(heads);
  const std::string where = file.empty() ? "model settings" : file;
  if (native_config_type(m.dump(), where) == "rnn") {
    *pad_to = 0;  // recurrent models pack sequences of their own lengths
    return make_rnn_model(RnnConfig::from_json(m.dump(), where), seed);
  }
  CnnConfig cnn = CnnConfig::from_json(m.dump(), where);
  *pad_to = cnn.global_pool == GlobalPool::kFlatten ? cnn.input_length : num(c, "max_length");
  return make_native_model(cnn, seed);
}

std::string prediction_text(double v) {
  std::string s;
  append_number(s, v);
  return s;
}

}  // namespace

void write_predictions_table(const std::string& path, const Dataset& data, const std::vector<int64_t>& rows,
                            const std::vector<HeadSpec>& heads, const at::Tensor& output, Activation activation) {
  std::vector<std::string> header = {"id"};
  for (const auto& h : heads) {
    header.push_back(h.name + ".target");
    if (h.kind == HeadKind::kMulticlass) {
      for (int64_t k = 0; k < h.classes; ++k) header.push_back(h.name + ".p" + std::to_string(k));
    } else {
      header.push_back(h.name + ".prediction");
    }
  }
  std::vector<at::Tensor> preds;
  int64_t offset = 0;
  for (const auto& h : heads) {
    at::Tensor p = head_predictions(h, offset, output, activation).to(at::kDouble).contiguous();
    preds.push_back(p.dim() == 1 ? p.unsqueeze(1) : p);
    offset += h.outputs();
  }
  std::string out = join(header) + "\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const Example& ex = data.examples.at(static_cast<size_t>(rows[r]));
    std::vector<std::string> f = {ex.id};
    for (size_t i = 0; i < heads.size(); ++i) {
      const size_t t = static_cast<size_t>(heads[i].target);
      f.push_back(ex.mask[t] == 0 ? "nan" : prediction_text(ex.target[t]));
      for (int64_t k = 0; k < preds[i].size(1); ++k) f.push_back(prediction_text(preds[i][static_cast<int64_t>(r)][k].item<double>()));
    }
    out += join(f) + "\n";
  }
  AtomicFile file(path);
  file.write(out);
  file.commit();
}


Dataset load_train_data(const std::string& effective_config_json, const std::string& prefix) {
  return load_data_settings(json::parse(effective_config_json), prefix);
}

std::vector<HeadSpec> heads_of_settings(const Dataset& data, const std::string& effective_config_json,
                                        const std::string& source) {
  const json c = json::parse(effective_config_json);
  std::vector<HeadSpec> heads = default_heads(data, head_task_setting(c, source));
  if (!c.at("auc_threshold").is_null()) {
    for (auto& h : heads) h.auc_threshold = real(c, "auc_threshold");
  }
  return heads;
}

TrainJob prepare_train_job(const std::string& config_json, const std::string& source) {
  const json c = json::parse(effective_train_config(config_json, source));
  if (str(c, "model_config").empty()) check_arch(c);
  head_task_setting(c, source);
  return prepare_train_job(config_json, source, load_data_settings(c, ""), load_data_settings(c, "test_"));
}

TrainJob prepare_train_job(const std::string& config_json, const std::string& source, Dataset data, Dataset test) {
  const json c = json::parse(effective_train_config(config_json, source));
  TrainJob job;
  job.config_json = c.dump(2);
  job.data = std::move(data);
  job.test = std::move(test);
  job.heads = heads_of_settings(job.data, job.config_json, source);
  SplitOptions so;
  so.val_fraction = real(c, "val_fraction");
  so.test_fraction = job.test.size() > 0 ? 0.0 : real(c, "test_fraction");
  so.split_seed = c.at("split_seed").get<uint64_t>();
  so.use_split_column = !str(c, "split_column").empty();
  so.folds = num(c, "folds");
  so.fold = num(c, "fold");
  so.fold_file = str(c, "fold_file");
  job.split = make_split(job.data, so);

  TrainOptions& o = job.options;
  o.epochs = num(c, "epochs");
  o.batch_size = num(c, "batch_size");
  o.optimizer = parse_enum(str(c, "optimizer"), optimizer_names(), source + ": optimizer");
  o.lr = real(c, "lr");
  o.weight_decay = real(c, "weight_decay");
  o.momentum = real(c, "momentum");
  o.clip_grad_norm = real(c, "clip_grad_norm");
  o.lr_schedule = parse_enum(str(c, "lr_schedule"), lr_schedule_names(), source + ": lr_schedule");
  o.plateau_factor = real(c, "plateau_factor");
  o.plateau_patience = num(c, "plateau_patience");
  o.min_lr = real(c, "min_lr");
  o.early_stopping = num(c, "early_stopping");
  o.best_rule = str(c, "best_rule");
  o.bucket = c.at("bucket").get<bool>();
  o.seed = c.at("seed").get<uint64_t>();
  o.out_dir = str(c, "out");
  if (o.epochs <= 0 || o.batch_size <= 0 || !(o.lr > 0)) throw Error("epochs, batch_size and lr must be positive");
  job.model = build_model(c, job.heads, o.seed, &o.pad_to);
  return job;
}

TrainJobResult run_train_job(TrainJob& job) {
  TrainJobResult r;
  TrainOptions& o = job.options;
  // The config goes first, so an interrupted run can be resumed from its directory alone (and
  // after the directory check, so a refused run leaves the earlier run's config alone).
  const bool writes = o.parallel.writes_files();  // rank 0 of a data-parallel run
  if (writes) {
    prepare_training_dir(o.out_dir, o.resume);
    AtomicFile cfg(o.out_dir + "/config.json");
    cfg.write(job.config_json + "\n");
    cfg.commit();
  }
  r.train = train_model(job.model, job.data, job.split, job.heads, o);
  // Test rows: the separate test set, else the split's test part.
  const Dataset* test_data = job.test.size() > 0 ? &job.test : &job.data;
  std::vector<int64_t> rows = job.test.size() > 0 ? std::vector<int64_t>() : job.split.test;
  for (int64_t i = 0; job.test.size() > 0 && i < job.test.size(); ++i) rows.push_back(i);
  if (!rows.empty()) {
    if (test_data->targets != job.data.targets) fail(test_data->source, "test targets differ from the training targets");
    r.test = evaluate_model(job.model, *test_data, rows, job.heads, o.batch_size, o.pad_to, nullptr, o.parallel);
    r.test_rows = static_cast<int64_t>(rows.size());
    r.train.test_metrics = r.test.metrics;
    r.train.log.add(r.train.best_epoch, "test", r.test.metrics);
    if (writes) {
      r.train.log.write(o.out_dir + "/metrics.csv");
      write_predictions_table(o.out_dir + "/test_predictions.tsv", *test_data, rows, job.heads, r.test.output,
                             native_output_activation_of(job.model));
    }
  }
  return r;
}

}  // namespace seqnn
