#include "seqnn/inference/prediction_writer.h"

#include <torch/torch.h>

#include <cstdio>

#include "seqnn/inference/output_columns.h"
#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

void check_rows(const RowLabels& rows, const ModelOutput& out) {
  for (const auto& t : out.tensors) {
    if (t.size(0) != static_cast<int64_t>(rows.rows.size())) {
      throw Error("prediction writer: " + std::to_string(rows.rows.size()) + " row labels for " +
                  std::to_string(t.size(0)) + " predictions");
    }
  }
}

std::string join_tab(const std::vector<std::string>& fields) { return join(fields, '\t'); }

class TsvWriter final : public PredictionWriter {
 public:
  TsvWriter(const std::string& path, std::vector<std::string> output_names)
      : file_(std::make_unique<AtomicFile>(path)), output_names_(std::move(output_names)),
        header_written_(file_->resumed()) {}

  void write(const RowLabels& rows, const ModelOutput& out) override {
    check_rows(rows, out);
    std::vector<at::Tensor> flat;
    for (const auto& t : out.tensors) flat.push_back(t.reshape({t.size(0), -1}).to(torch::kFloat64).contiguous());
    if (!header_written_) write_header(rows, out);
    std::string buf;
    char num[32];
    for (size_t r = 0; r < rows.rows.size(); ++r) {
      buf += join_tab(rows.rows[r]);
      for (const auto& t : flat) {
        const double* p = t.data_ptr<double>() + static_cast<int64_t>(r) * t.size(1);
        for (int64_t c = 0; c < t.size(1); ++c) {
          std::snprintf(num, sizeof num, "\t%.7g", p[c]);
          buf += num;
        }
      }
      buf += '\n';
    }
    file_->write(buf);
  }

  void close() override {
    if (!file_) return;
    files_ = {file_->path()};
    file_->commit();
    file_.reset();
  }
  std::vector<std::string> files() const override { return files_; }

 private:
  void write_header(const RowLabels& rows, const ModelOutput& out) {
    std::vector<std::string> header = rows.columns;
    for (auto& name : output_column_names(out, output_names_, "output.")) header.push_back(std::move(name));
    file_->write(join_tab(header) + "\n");
    header_written_ = true;
  }

  std::unique_ptr<AtomicFile> file_;
  std::vector<std::string> output_names_;
  bool header_written_ = false;
  std::vector<std::string> files_;
};

class NpyOutputWriter final : public PredictionWriter {
 public:
  explicit NpyOutputWriter(std::string path) : path_(std::move(path)) {
    stem_ = path_.substr(0, path_.size() - 4);
    rows_file_ = std::make_unique<AtomicFile>(stem_ + ".rows.tsv");
  }

  void write(const RowLabels& rows, const ModelOutput& out) override {
    check_rows(rows, out);
    if (writers_.empty()) {
      for (size_t k = 0; k < out.size(); ++k) {
        std::string p = out.size() == 1 ? path_ : stem_ + "." + out.names[k] + ".npy";
        auto trailing = out[k].sizes().slice(1).vec();
        at::ScalarType t = at::isFloatingType(out[k].scalar_type()) ? at::kFloat : out[k].scalar_type();
        writers_.push_back(std::make_unique<NpyWriter>(p, t, trailing));
        npy_paths_.push_back(p);
      }
      if (!rows_file_->resumed()) rows_file_->write(join_tab(rows.columns) + "\n");
    }
    for (size_t k = 0; k < out.size(); ++k) writers_[k]->append(out[k]);
    std::string buf;
    for (const auto& r : rows.rows) buf += join_tab(r) + "\n";
    rows_file_->write(buf);
  }

  void close() override {
    for (auto& w : writers_) w->close();
    if (rows_file_) {
      rows_file_->commit();
      rows_file_.reset();
    }
    files_ = npy_paths_;
    files_.push_back(stem_ + ".rows.tsv");
  }
  std::vector<std::string> files() const override { return files_; }

 private:
  std::string path_, stem_;
  std::vector<std::unique_ptr<NpyWriter>> writers_;
  std::vector<std::string> npy_paths_;
  std::unique_ptr<AtomicFile> rows_file_;
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<PredictionWriter> make_prediction_writer(const std::string& path, std::vector<std::string> output_names) {
  if (ends_with(path, ".tsv")) return std::make_unique<TsvWriter>(path, std::move(output_names));
  if (ends_with(path, ".npy")) return std::make_unique<NpyOutputWriter>(path);
  fail(path, "unsupported output format (use .tsv or .npy)");
}

}  // namespace seqnn
