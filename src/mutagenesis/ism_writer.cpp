#include "seqnn/mutagenesis/ism_writer.h"

#include <functional>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

NamedArrays mc_arrays(const IsmResult& r, const std::function<std::string(size_t, const std::string&)>& name) {
  const auto& stats = paired_statistic_names();
  NamedArrays arrays;
  for (size_t j = 0; j < r.mc.size(); ++j) {
    const std::vector<at::Tensor> values = r.mc[j].reported();
    for (size_t s = 0; s < stats.size(); ++s) arrays.emplace_back(name(j, stats[s]), values[s]);
  }
  return arrays;
}

}  // namespace

const std::vector<std::string>& ism_mode_names() {
  static const std::vector<std::string> names = {"raw", "diff", "attribution"};
  return names;
}

IsmMode parse_ism_mode(const std::string& name) {
  if (name == "raw") return IsmMode::kRaw;
  if (name == "diff") return IsmMode::kDiff;
  if (name == "attribution") return IsmMode::kAttribution;
  throw Error("--mode " + name + ": choose raw, diff or attribution");
}

NamedArrays ism_arrays(const IsmResult& r, IsmMode mode) {
  const bool single = r.output_names.size() == 1;
  auto name = [&](size_t j, const std::string& what) {
    return single ? what : r.output_names[j] + (what.empty() ? "" : "." + what);
  };
  if (!r.mc.empty()) return mc_arrays(r, name);
  NamedArrays arrays;
  for (size_t j = 0; j < r.mutants.size(); ++j) {
    at::Tensor diff = ism_difference(r.mutants[j], r.reference[j]);
    if (mode == IsmMode::kRaw) {
      arrays.emplace_back(name(j, "mutants"), r.mutants[j]);
      arrays.emplace_back(name(j, "reference"), r.reference[j]);
    } else if (mode == IsmMode::kDiff) {
      arrays.emplace_back(name(j, ""), diff);
    } else {
      arrays.emplace_back(name(j, ""), ism_attribution(diff));
    }
  }
  if (single && arrays.size() == 1) arrays[0].first = "ism";
  return arrays;
}

IsmWriter::IsmWriter(const std::string& out) {
  if (!ends_with(out, ".npy")) throw Error(out + ": ism writes .npy arrays (give --out NAME.npy)");
  stem_ = out.substr(0, out.size() - 4);
  rows_ = std::make_unique<AtomicFile>(stem_ + ".rows.tsv");
}

IsmWriter::~IsmWriter() = default;

void IsmWriter::write(const NamedArrays& arrays, const RowLabels& labels) {
  if (streams_.empty()) {
    for (const auto& [name, t] : arrays) {
      const std::string path = arrays.size() == 1 ? stem_ + ".npy" : stem_ + "." + name + ".npy";
      std::vector<int64_t> trailing(t.sizes().begin() + 1, t.sizes().end());
      streams_.push_back(std::make_unique<NpyWriter>(path, at::kFloat, trailing));
    }
    if (!rows_->resumed()) rows_->write(join(labels.columns) + "\n");
  }
  if (arrays.size() != streams_.size()) throw Error("ism writer: " + std::to_string(arrays.size()) + " arrays for " + std::to_string(streams_.size()) + " files");
  for (size_t i = 0; i < arrays.size(); ++i) streams_[i]->append(arrays[i].second);
  std::string buf;
  for (const auto& r : labels.rows) buf += join(r) + "\n";
  rows_->write(buf);
}

std::vector<std::string> IsmWriter::close() {
  std::vector<std::string> files;
  for (auto& s : streams_) {
    s->close();
    files.push_back(s->path());
  }
  files.push_back(rows_->path());
  rows_->commit();
  return files;
}

}  // namespace seqnn
