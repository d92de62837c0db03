#pragma once
// NumPy .npy files (format 1.0, C order, little endian): a streaming writer whose leading
// dimension grows as batches arrive (the header is patched on close), and a reader.
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace seqnn {

class AtomicFile;

class NpyWriter {
 public:
  // trailing_shape: the shape of one row (everything after the leading dimension).
  NpyWriter(const std::string& path, at::ScalarType dtype, std::vector<int64_t> trailing_shape);
  ~NpyWriter();
  // Appends rows: `rows` must have shape (n, trailing_shape...) and is converted to the dtype.
  void append(const at::Tensor& rows);
  int64_t rows() const { return rows_; }
  const std::string& path() const { return path_; }
  // Writes the final header and renames the file into place.
  void close();

 private:
  std::string header(int64_t rows) const;
  std::string path_;
  std::unique_ptr<AtomicFile> file_;
  at::ScalarType dtype_;
  std::vector<int64_t> trailing_;
  int64_t rows_ = 0;
};

// Writes a whole tensor at once.
void save_npy(const std::string& path, const at::Tensor& tensor);
// Reads a .npy file (bool, int8, uint8, int16, int32, int64, float16, float32, float64).
at::Tensor load_npy(const std::string& path);

}  // namespace seqnn
