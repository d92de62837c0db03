// The settings of a training job, with defaults and help. One table feeds the config parser,
// the command-line flags and docs/training.md.
#include <nlohmann/json.hpp>

#include "seqnn/training/train_job.h"
#include "seqnn/util/json_object.h"

namespace seqnn {

const std::vector<TrainSetting>& train_settings() {
  static const std::vector<TrainSetting> settings = {
      // Data.
      {"fasta", "string", "\"\"", "FASTA of training sequences (with --labels)", "file"},
      {"labels", "string", "\"\"", "TSV of labels for --fasta: name column, then target columns", "file"},
      {"label_columns", "strings", "[]", "target columns of --labels or --bed (default: all)", ""},
      {"positives", "string", "\"\"", "FASTA of positive examples (binary target 'label' = 1)", "file"},
      {"negatives", "string", "\"\"", "FASTA of negative examples (label = 0)", "file"},
      {"class_fasta", "strings", "[]", "one FASTA per class (class index = order); multi-class target 'class'", "file"},
      {"bed", "string", "\"\"", "BED of intervals with label columns from column 5 (needs --genome, --max-length)", "file"},
      {"genome", "string", "\"\"", "indexed genome FASTA for --bed", "file"},
      {"table", "string", "\"\"", "TSV/CSV table with a sequence column and target columns", "file"},
      {"sequence_column", "string", "\"sequence\"", "sequence column of --table", ""},
      {"id_column", "string", "\"\"", "id column of --table", ""},
      {"target_columns", "strings", "[]", "target columns of --table", ""},
      {"target_transform", "string", "\"none\"", "transform of table targets: none, log, ic50 (1 - log(x)/log(50000))", ""},
      {"filter", "strings", "[]", "keep table rows with column=value (repeatable)", ""},
      {"test_fasta", "string", "\"\"", "separate test set: FASTA (with --test-labels)", "file"},
      {"test_labels", "string", "\"\"", "labels TSV of --test-fasta", "file"},
      {"test_positives", "string", "\"\"", "separate test set: positives FASTA", "file"},
      {"test_negatives", "string", "\"\"", "separate test set: negatives FASTA", "file"},
      {"test_table", "string", "\"\"", "separate test set: table (same columns as --table)", "file"},
      // Split.
      {"val_fraction", "float", "0.1", "fraction of the training data held out for validation", "fraction"},
      {"test_fraction", "float", "0.0", "fraction held out for testing (when there is no separate test set)", "fraction"},
      {"split_seed", "int", "0", "seed of the random split (same seed, same split)", "nonnegative"},
      {"split_column", "string", "\"\"", "table column with train/val/test per row (instead of a random split)", ""},
      {"folds", "int", "0", "k-fold cross-validation: number of folds (random, by --split-seed)", "nonnegative"},
      {"fold", "int", "0", "k-fold: the held-out test fold (0-based); --val-fraction of the rest validates", "nonnegative"},
      {"fold_file", "string", "\"\"", "TSV id<TAB>fold; rows of --fold validate (instead of a random split)", "file"},
      // Targets.
      {"task", "string", "\"auto\"", "auto, binary, multiclass or regression", ""},
      {"auc_threshold", "float", "null", "regression heads also report auroc/auprc of label >= this value", ""},
      // Model.
      {"model_config", "string", "\"\"", "model config JSON (cnn or rnn); otherwise built from the flags below", "file"},
      {"arch", "string", "\"cnn\"", "cnn, lstm, gru, cnn-lstm or cnn-gru (RNA structure boxes: seqnn rna train)", ""},
      {"alphabet", "string", "\"dna\"", "dna, rna, protein (+gap)", ""},
      {"max_length", "int", "0", "fixed input length (sequences padded to it); 0 = longest in each batch", "nonnegative"},
      {"num_filters", "ints", "[32, 32]", "filters per conv layer", "positive"},
      {"filter_width", "ints", "[9]", "width per conv layer (the last value repeats)", "positive"},
      {"pool", "ints", "[1]", "max-pool width per conv layer (the last value repeats; 1 = none)", "positive"},
      {"padding", "string", "\"same\"", "conv padding: same or valid", ""},
      {"batch_norm", "bool", "false", "batch norm after each conv and dense layer", ""},
      {"conv_dropout", "float", "0.0", "dropout after each conv layer", "fraction"},
      {"global_pool", "string", "\"max\"", "CNN: flatten (needs --max-length), max or avg", ""},
      {"dense_units", "ints", "[]", "hidden dense layers", "positive"},
      {"dropout", "float", "0.0", "dropout after dense layers and between recurrent layers", "fraction"},
      {"hidden", "int", "64", "recurrent hidden size", "positive"},
      {"layers", "int", "1", "stacked recurrent layers", "positive"},
      {"bidirectional", "bool", "false", "bidirectional recurrent layers", ""},
      {"embedding", "int", "0", "learned embedding size (0 = one-hot input)", "nonnegative"},
      {"rnn_pool", "string", "\"last\"", "summary of the recurrent outputs: last, mean or max", ""},
      // Loop.
      {"epochs", "int", "10", "training epochs", "positive"},
      {"batch_size", "int", "32", "mini-batch size", "positive"},
      {"optimizer", "string", "\"adam\"", "adam, adamw, sgd or rmsprop", ""},
      {"lr", "float", "0.001", "learning rate", "positive"},
      {"weight_decay", "float", "0.0", "weight decay (L2 for adam/sgd/rmsprop, decoupled for adamw)", "nonnegative"},
      {"momentum", "float", "0.9", "momentum for sgd and rmsprop", "nonnegative"},
      {"clip_grad_norm", "float", "0.0", "clip the gradient norm to this value (0 = off)", "nonnegative"},
      {"lr_schedule", "string", "\"none\"", "none or plateau (reduce on validation-loss plateau)", ""},
      {"plateau_factor", "float", "0.5", "plateau: multiply the learning rate by this", "fraction"},
      {"plateau_patience", "int", "2", "plateau: epochs without improvement before reducing", "nonnegative"},
      {"min_lr", "float", "1e-06", "plateau: lower bound of the learning rate", "nonnegative"},
      {"early_stopping", "int", "0", "stop after this many epochs without a new best epoch (0 = off)", "nonnegative"},
      {"best_rule", "string", "\"sum\"", "best epoch: sum (of validation metrics, lower-is-better negated) or a column", ""},
      {"bucket", "bool", "false", "length bucketing of batches (variable-length sequences)", ""},
      {"seed", "int", "0", "seed of initialisation, batch order and dropout", ""},
      {"out", "string", "\"\"", "output directory (metrics.csv, checkpoint_<N>.pt, model_best.pt, config.json)", ""},
  };
  return settings;
}

namespace {

// The user's value of setting `s`, checked against its type and returned as written (so the
// effective config keeps the user's spelling of numbers).
nlohmann::json checked_setting(const JsonObject& user, const TrainSetting& s) {
  const nlohmann::json& v = user.json().at(s.name);
  if (s.type == "int") {
    int64_t x = 0;
    if (!v.is_number_unsigned()) user.read(s.name, x);  // seeds may exceed int64
  } else if (s.type == "float") {
    double x = 0;
    if (!(v.is_null() && s.fallback == "null")) user.read(s.name, x);
  } else if (s.type == "string") {
    std::string x;
    user.read(s.name, x);
  } else if (s.type == "bool") {
    bool x = false;
    user.read(s.name, x);
  } else if (s.type == "ints") {
    std::vector<int64_t> x;
    user.read(s.name, x);
  } else {
    std::vector<std::string> x;
    user.read(s.name, x);
  }
  return v;
}

}  // namespace

std::string effective_train_config(const std::string& json_text, const std::string& source) {
  nlohmann::json c = nlohmann::json::object();
  std::vector<std::string> allowed;
  for (const auto& s : train_settings()) {
    c[s.name] = nlohmann::json::parse(s.fallback);
    allowed.push_back(s.name);
  }
  allowed.push_back("comment");  // free text, not copied
  const JsonObject user = json_text.empty() ? JsonObject(nlohmann::json::object(), source) : JsonObject::parse(json_text, source);
  user.allow_only(allowed);
  for (const auto& s : train_settings()) {
    if (user.has(s.name)) c[s.name] = checked_setting(user, s);
  }
  return c.dump(2);
}

}  // namespace seqnn
