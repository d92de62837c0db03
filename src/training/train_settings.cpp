// The settings of a training job, with defaults and help. One table feeds the config parser,
// the command-line flags and docs/training.md.
#include "seqnn/training/train_job.h"

namespace seqnn {

const std::vector<TrainSetting>& train_settings() {
  static const std::vector<TrainSetting> settings = {
      // Data.
      {"fasta", "string", "\"\"", "FASTA of training sequences (with --labels)"},
      {"data", "string", "\"\"", "--arch s1: table of RNA sequences with structure or base_pairs columns"},
      {"loss_weights", "string", "\"\"", "--arch s1: weights of the loss kinds, e.g. on=30,sl_size=0.2"},
      {"labels", "string", "\"\"", "TSV of labels for --fasta: name column, then target columns"},
      {"label_columns", "strings", "[]", "target columns of --labels or --bed (default: all)"},
      {"positives", "string", "\"\"", "FASTA of positive examples (binary target 'label' = 1)"},
      {"negatives", "string", "\"\"", "FASTA of negative examples (label = 0)"},
      {"class_fasta", "strings", "[]", "one FASTA per class (class index = order); multi-class target 'class'"},
      {"bed", "string", "\"\"", "BED of intervals with label columns from column 5 (needs --genome, --max-length)"},
      {"genome", "string", "\"\"", "indexed genome FASTA for --bed"},
      {"table", "string", "\"\"", "TSV/CSV table with a sequence column and target columns"},
      {"sequence_column", "string", "\"sequence\"", "sequence column of --table"},
      {"id_column", "string", "\"\"", "id column of --table"},
      {"target_columns", "strings", "[]", "target columns of --table"},
      {"target_transform", "string", "\"none\"", "transform of table targets: none, log, ic50 (1 - log(x)/log(50000))"},
      {"filter", "strings", "[]", "keep table rows with column=value (repeatable)"},
      {"test_fasta", "string", "\"\"", "separate test set: FASTA (with --test-labels)"},
      {"test_labels", "string", "\"\"", "labels TSV of --test-fasta"},
      {"test_positives", "string", "\"\"", "separate test set: positives FASTA"},
      {"test_negatives", "string", "\"\"", "separate test set: negatives FASTA"},
      {"test_table", "string", "\"\"", "separate test set: table (same columns as --table)"},
      // Split.
      {"val_fraction", "float", "0.1", "fraction of the training data held out for validation"},
      {"test_fraction", "float", "0.0", "fraction held out for testing (when there is no separate test set)"},
      {"split_seed", "int", "0", "seed of the random split (same seed, same split)"},
      {"split_column", "string", "\"\"", "table column with train/val/test per row (instead of a random split)"},
      {"folds", "int", "0", "k-fold cross-validation: number of folds (random, by --split-seed)"},
      {"fold", "int", "0", "k-fold: the held-out test fold (0-based); --val-fraction of the rest validates"},
      {"fold_file", "string", "\"\"", "TSV id<TAB>fold; rows of --fold validate (instead of a random split)"},
      // Targets.
      {"task", "string", "\"auto\"", "auto, binary, multiclass or regression"},
      {"auc_threshold", "float", "null", "regression heads also report auroc/auprc of label >= this value"},
      // Model.
      {"model_config", "string", "\"\"", "model config JSON (cnn or rnn); otherwise built from the flags below"},
      {"arch", "string", "\"cnn\"", "cnn, lstm, gru, cnn-lstm, cnn-gru, or s1 (RNA structure boxes, docs/rna.md)"},
      {"alphabet", "string", "\"dna\"", "dna, rna, protein (+gap)"},
      {"max_length", "int", "0", "fixed input length (sequences padded to it); 0 = longest in each batch"},
      {"num_filters", "ints", "[32, 32]", "filters per conv layer"},
      {"filter_width", "ints", "[9]", "width per conv layer (the last value repeats)"},
      {"pool", "ints", "[1]", "max-pool width per conv layer (the last value repeats; 1 = none)"},
      {"padding", "string", "\"same\"", "conv padding: same or valid"},
      {"batch_norm", "bool", "false", "batch norm after each conv and dense layer"},
      {"conv_dropout", "float", "0.0", "dropout after each conv layer"},
      {"global_pool", "string", "\"max\"", "CNN: flatten (needs --max-length), max or avg"},
      {"dense_units", "ints", "[]", "hidden dense layers"},
      {"dropout", "float", "0.0", "dropout after dense layers and between recurrent layers"},
      {"hidden", "int", "64", "recurrent hidden size"},
      {"layers", "int", "1", "stacked recurrent layers"},
      {"bidirectional", "bool", "false", "bidirectional recurrent layers"},
      {"embedding", "int", "0", "learned embedding size (0 = one-hot input)"},
      {"rnn_pool", "string", "\"last\"", "summary of the recurrent outputs: last, mean or max"},
      // Loop.
      {"epochs", "int", "10", "training epochs"},
      {"batch_size", "int", "32", "mini-batch size"},
      {"optimizer", "string", "\"adam\"", "adam, adamw, sgd or rmsprop"},
      {"lr", "float", "0.001", "learning rate"},
      {"weight_decay", "float", "0.0", "weight decay (L2 for adam/sgd/rmsprop, decoupled for adamw)"},
      {"momentum", "float", "0.9", "momentum for sgd and rmsprop"},
      {"clip_grad_norm", "float", "0.0", "clip the gradient norm to this value (0 = off)"},
      {"lr_schedule", "string", "\"none\"", "none or plateau (reduce on validation-loss plateau)"},
      {"plateau_factor", "float", "0.5", "plateau: multiply the learning rate by this"},
      {"plateau_patience", "int", "2", "plateau: epochs without improvement before reducing"},
      {"min_lr", "float", "1e-06", "plateau: lower bound of the learning rate"},
      {"early_stopping", "int", "0", "stop after this many epochs without a new best epoch (0 = off)"},
      {"best_rule", "string", "\"sum\"", "best epoch: sum (of validation metrics, lower-is-better negated) or a column"},
      {"bucket", "bool", "false", "length bucketing of batches (variable-length sequences)"},
      {"seed", "int", "0", "seed of initialisation, batch order and dropout"},
      {"result", "string", "\"\"", "result directory"},
  };
  return settings;
}

}  // namespace seqnn
