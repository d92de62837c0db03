#include "seqnn/training/lm_run.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "seqnn/training/train_dir.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/progress.h"

namespace seqnn {

std::string lm_run_config_json(const LmRunOptions& o) {
  const LmTrainOptions& t = o.train;
  nlohmann::json c = nlohmann::json::parse(o.model.to_json());
  c["fasta"] = o.fasta;
  c["strip_gaps"] = o.strip_gaps;
  c["epochs"] = t.epochs;
  c["batch_size"] = t.batch_size;
  c["lr"] = t.lr;
  c["clip_grad_norm"] = t.clip_grad_norm;
  c["val_fraction"] = o.val_fraction;
  c["split_seed"] = o.split_seed;
  c["seed"] = t.seed;
  c["out"] = t.out_dir;
  return c.dump(2);
}

LmRunResult train_lm_on_fasta(const LmRunOptions& o) {
  check_training_dir(o.train.out_dir, o.train.resume);
  Dataset data = load_fasta_sequences(o.fasta, o.strip_gaps);
  SplitOptions so;
  so.val_fraction = o.val_fraction;
  so.split_seed = o.split_seed;
  const Split split = make_split(data, so);
  CharLm lm = make_char_lm(CharLmConfig::from_json(o.model.to_json(), "flags"), o.train.seed);
  if (o.train.parallel.writes_files()) {  // rank 0 of a data-parallel run
    prepare_training_dir(o.train.out_dir, o.train.resume);
    AtomicFile config(o.train.out_dir + "/config.json");
    config.write(lm_run_config_json(o) + "\n");
    config.commit();
  }
  LmRunResult r;
  r.train = train_char_lm(lm, data, split, o.train);
  r.train_sequences = static_cast<int64_t>(split.train.size());
  r.val_sequences = static_cast<int64_t>(split.val.size());
  return r;
}

std::string lm_run_summary(const LmRunResult& r, const LmRunOptions& o) {
  const LmTrainResult& t = r.train;
  char head[256], best[160];
  std::snprintf(head, sizeof head, "%lld training, %lld validation sequences; %lld epochs (%lld in this run, %.1f s, %.0f tokens/s)",
                static_cast<long long>(r.train_sequences), static_cast<long long>(r.val_sequences),
                static_cast<long long>(o.train.epochs), static_cast<long long>(t.epochs_run), t.train_seconds,
                t.train_tokens / std::max(t.train_seconds, 1e-9));
  if (t.best_on_training) {
    std::snprintf(best, sizeof best, "no validation sequences, so best epoch %lld by training perplexity %.4f",
                  static_cast<long long>(t.best_epoch), t.best_val_perplexity);
  } else {
    std::snprintf(best, sizeof best, "best epoch %lld, validation perplexity %.4f", static_cast<long long>(t.best_epoch),
                  t.best_val_perplexity);
  }
  return std::string(head) + describe_ranks(t.ranks, t.exposed_comm_seconds, t.steps) + "; " + best + " -> " +
         o.train.out_dir + "/model_best.pt";
}

GeneratedFasta generate_fasta(const std::string& model_path, const GenerateOptions& o) {
  if (o.n <= 0 || o.max_length <= 0) throw Error("--n and --max-length must be positive");
  CharLm lm = load_char_lm(model_path);
  ProgressBar bar("generate", o.n, "seq", o.progress);
  GeneratedFasta g;
  for (int64_t i = 0; i < o.n; ++i) {
    const std::string s = generate_sequences(lm, 1, o.max_length, o.temperature, o.seed + static_cast<uint64_t>(i))[0];
    g.text += ">gen_" + std::to_string(i + 1) + " length=" + std::to_string(s.size()) + " temperature=" +
              std::to_string(o.temperature) + "\n" + s + "\n";
    g.letters += static_cast<int64_t>(s.size());
    bar.advance(1);
  }
  bar.finish();
  return g;
}

}  // namespace seqnn
