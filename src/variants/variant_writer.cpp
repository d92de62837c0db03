#include "seqnn/variants/variant_writer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"
#include "seqnn/util/text_sink.h"

namespace seqnn {
namespace {

std::vector<std::string> identity_fields(const Variant& v, int64_t padded) {
  return {v.chrom, std::to_string(v.pos), v.id, v.ref, v.alt, std::to_string(padded)};
}
const std::vector<std::string> kIdentityColumns = {"chrom", "pos", "id", "ref", "alt", "padded"};

// Every (name, task) column in output order: scores first, then MC statistics.
struct Column {
  std::string name, task;
  size_t block;    // index into chunk.scores (or chunk.mc when mc_block)
  bool mc_block;
  int64_t task_index;
};

std::vector<Column> layout_columns(const VariantOutputLayout& layout) {
  std::vector<Column> cols;
  auto add = [&](const std::vector<std::string>& names, bool mc) {
    for (size_t b = 0; b < names.size(); ++b) {
      for (size_t t = 0; t < layout.tasks.size(); ++t) cols.push_back({names[b], layout.tasks[t], b, mc, static_cast<int64_t>(t)});
    }
  };
  add(layout.scores, false);
  if (layout.mc) add(mc_statistic_names(), true);
  return cols;
}

// The chunk's blocks as contiguous float64 (n, tasks) tensors, indexed like Column::block.
struct ChunkValues {
  std::vector<at::Tensor> scores, mc;
  explicit ChunkValues(const ScoredChunk& c) {
    for (const auto& t : c.scores) scores.push_back(t.to(torch::kFloat64).contiguous());
    for (const auto& t : c.mc) mc.push_back(t.to(torch::kFloat64).contiguous());
  }
  double at(const Column& col, int64_t row) const {
    const at::Tensor& t = col.mc_block ? mc[col.block] : scores[col.block];
    return t.data_ptr<double>()[row * t.size(1) + col.task_index];
  }
};

class TsvVariantWriter final : public VariantWriter {
 public:
  TsvVariantWriter(const std::string& path, const VariantOutputLayout& layout)
      : file_(std::make_unique<AtomicFile>(path)), columns_(layout_columns(layout)) {
    std::vector<std::string> header = kIdentityColumns;
    for (const auto& c : columns_) header.push_back(c.name + "." + c.task);
    if (!file_->resumed()) file_->write(join(header) + "\n");
  }
  void write(const ScoredChunk& chunk) override {
    ChunkValues values(chunk);
    std::string buf;
    for (size_t r = 0; r < chunk.variants.size(); ++r) {
      buf += join(identity_fields(chunk.variants[r], chunk.padded[r]));
      for (const auto& c : columns_) {
        buf += '\t';
        append_number(buf, values.at(c, static_cast<int64_t>(r)));
      }
      buf += '\n';
    }
    file_->write(buf);
    std::fflush(file_->handle());  // output appears progressively
  }
  void close() override {
    if (!file_) return;
    files_ = {file_->path()};
    file_->commit();
    file_.reset();
  }
  std::vector<std::string> files() const override { return files_; }

 private:
  std::unique_ptr<AtomicFile> file_;
  std::vector<Column> columns_;
  std::vector<std::string> files_;
};

std::string sanitise_key(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') c = '_';
  }
  return out;
}

// The input header with our ##INFO lines before "#CHROM", which keeps only the 8 fixed columns
// (samples are not carried over: one output record per ALT allele).
std::string annotated_header(const std::string& input, const std::vector<Column>& columns) {
  std::string out;
  for (const auto& line : split(input, '\n')) {
    if (line.empty()) continue;
    if (line.rfind("#CHROM", 0) == 0) break;
    out += line + "\n";
  }
  if (out.empty()) out = "##fileformat=VCFv4.2\n";
  for (const auto& c : columns) {
    const std::string what = c.mc_block ? "MC-dropout statistic " : "variant effect score ";
    out += "##INFO=<ID=" + vcf_info_key(c.name, c.task) + ",Number=1,Type=Float,Description=\"seqnn " + what + c.name +
           " for output " + c.task + "\">\n";
  }
  out += "##INFO=<ID=SEQNN_padded,Number=1,Type=Integer,Description=\"seqnn: N-padded bases in the windows\">\n";
  return out + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
}

class VcfVariantWriter final : public VariantWriter {
 public:
  VcfVariantWriter(const std::string& path, const VariantOutputLayout& layout)
      : sink_(path, ends_with(path, ".gz"), TextSink::Index::kVcfCsi), path_(path), columns_(layout_columns(layout)) {
    if (!sink_.resumed()) sink_.write(annotated_header(layout.vcf_header, columns_));
    for (const auto& c : columns_) keys_.push_back(vcf_info_key(c.name, c.task));
  }
  void write(const ScoredChunk& chunk) override {
    ChunkValues values(chunk);
    std::string buf;
    for (size_t r = 0; r < chunk.variants.size(); ++r) {
      const Variant& v = chunk.variants[r];
      buf += join({v.chrom, std::to_string(v.pos), v.id, v.ref, v.alt, v.qual, v.filter}) + '\t';
      if (v.info != ".") buf += v.info + ';';
      buf += "SEQNN_padded=" + std::to_string(chunk.padded[r]);
      for (size_t c = 0; c < columns_.size(); ++c) {
        buf += ';' + keys_[c] + '=';
        append_number(buf, values.at(columns_[c], static_cast<int64_t>(r)));
      }
      buf += '\n';
    }
    sink_.write(buf);
    sink_.flush();
  }
  void close() override {
    if (closed_) return;
    sink_.commit();
    closed_ = true;
  }
  std::vector<std::string> files() const override {
    std::vector<std::string> out;
    if (closed_) out.push_back(path_);
    if (!sink_.index_path().empty()) out.push_back(sink_.index_path());
    return out;
  }
  std::string note() const override { return sink_.index_problem().empty() ? "" : path_ + ": " + sink_.index_problem(); }

 private:
  TextSink sink_;
  std::string path_;
  std::vector<Column> columns_;
  std::vector<std::string> keys_;
  bool closed_ = false;
};

class NpyVariantWriter final : public VariantWriter {
 public:
  NpyVariantWriter(const std::string& path, const VariantOutputLayout& layout)
      : stem_(path.substr(0, path.size() - 4)), rows_(std::make_unique<AtomicFile>(stem_ + ".rows.tsv")) {
    const int64_t tasks = static_cast<int64_t>(layout.tasks.size());
    for (const auto& s : layout.scores) scores_.push_back(std::make_unique<NpyWriter>(stem_ + "." + s + ".npy", at::kFloat, std::vector<int64_t>{tasks}));
    if (layout.mc) {
      for (const auto& s : mc_statistic_names()) mc_.push_back(std::make_unique<NpyWriter>(stem_ + "." + s + ".npy", at::kFloat, std::vector<int64_t>{tasks}));
    }
    if (!rows_->resumed()) rows_->write(join(kIdentityColumns) + "\n");
  }
  void write(const ScoredChunk& chunk) override {
    if (chunk.variants.empty()) return;
    for (size_t i = 0; i < scores_.size(); ++i) scores_[i]->append(chunk.scores[i]);
    for (size_t i = 0; i < mc_.size(); ++i) mc_[i]->append(chunk.mc[i]);
    std::string buf;
    for (size_t r = 0; r < chunk.variants.size(); ++r) buf += join(identity_fields(chunk.variants[r], chunk.padded[r])) + "\n";
    rows_->write(buf);
  }
  void close() override {
    if (!rows_) return;
    for (auto* group : {&scores_, &mc_}) {
      for (auto& w : *group) {
        w->close();
        files_.push_back(w->path());
      }
    }
    files_.push_back(rows_->path());
    rows_->commit();
    rows_.reset();
  }
  std::vector<std::string> files() const override { return files_; }

 private:
  std::string stem_;
  std::unique_ptr<AtomicFile> rows_;
  std::vector<std::unique_ptr<NpyWriter>> scores_, mc_;
  std::vector<std::string> files_;
};

}  // namespace

std::string vcf_info_key(const std::string& score, const std::string& task) {
  return "SEQNN_" + score + "_" + sanitise_key(task);
}

std::unique_ptr<VariantWriter> make_variant_writer(const std::string& path, const VariantOutputLayout& layout) {
  if (ends_with(path, ".tsv")) return std::make_unique<TsvVariantWriter>(path, layout);
  if (ends_with(path, ".vcf") || ends_with(path, ".vcf.gz")) return std::make_unique<VcfVariantWriter>(path, layout);
  if (ends_with(path, ".npy")) return std::make_unique<NpyVariantWriter>(path, layout);
  throw Error(path + ": unknown output format (use .tsv, .vcf, .vcf.gz or .npy)");
}

}  // namespace seqnn
