#pragma once
// The output directory every seqnn trainer writes (docs/cli.md): its file names, its newest
// checkpoint, and the one rule for a fresh run: it may not start in a directory that already
// holds a checkpoint, because the two runs' files would mix (continue the earlier run with
// --resume, or train into a new --out).
#include <cstdint>
#include <string>

namespace seqnn {

// DIR/checkpoint_<N>.pt: the resumable state after epoch (or update) N.
std::string training_checkpoint_path(const std::string& dir, int64_t n);
// DIR/model_best.pt: the model to use.
std::string training_best_model_path(const std::string& dir);
// The N of the newest DIR/checkpoint_<N>.pt by number, or -1 when there is none (or no DIR).
int64_t newest_training_checkpoint(const std::string& dir);
// Deletes every DIR/checkpoint_<N>.pt with N < keep.
void remove_checkpoints_before(const std::string& dir, int64_t keep);

// DIR/member<K>: member K's own directory (the same layout) in a run that trains an ensemble.
std::string training_member_dir(const std::string& dir, int64_t k);

// Unless resuming, a DIR that holds files of an earlier run is an error naming one: the newest
// checkpoint ("DIR/checkpoint_<N>.pt: a checkpoint of an earlier run (...)"), also in a
// member<K>/ directory, or else a model_best.pt, train_state.pt or snapshot_<K>.pt (a run
// stopped before its first checkpoint, or whose checkpoints were deleted): a fresh run that
// failed early would leave them beside its own files, for --resume or evaluate to pick up. DIR
// need not exist yet, so the run functions check before they read any data.
void check_training_dir(const std::string& dir, bool resume);
// check_training_dir, then creates DIR when missing.
void prepare_training_dir(const std::string& dir, bool resume);

}  // namespace seqnn
