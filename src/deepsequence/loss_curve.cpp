#include "seqnn/deepsequence/loss_curve.h"

#include <cstdio>
#include <cstdlib>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/strings.h"

namespace seqnn::ds {

void LossCurve::load_existing(int64_t upto) {
  std::FILE* f = std::fopen(path_.c_str(), "r");
  if (!f) return;
  char line[512];
  while (std::fgets(line, sizeof line, f)) {
    const long long step = std::atoll(line);  // 0 for the header
    if (step > 0 && step <= upto) text_ += line;
  }
  std::fclose(f);
}

void LossCurve::add(int64_t step, double seconds, const StepStats& s) {
  text_ += std::to_string(step);
  for (double v : {seconds, s.loss, s.elbo(), s.log_px, s.kl_z, s.kl_decoder}) {
    text_ += "\t";
    append_number(text_, v);
  }
  text_ += "\n";
}

void LossCurve::write() const {
  AtomicFile f(path_);
  f.write("step\tseconds\tloss\telbo\tlog_px\tkl_z\tkl_decoder\n" + text_);
  f.commit();
}

}  // namespace seqnn::ds
