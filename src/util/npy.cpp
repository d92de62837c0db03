#include "seqnn/util/npy.h"

#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {
namespace {

const char kMagic[] = "\x93NUMPY";

std::string descr_of(at::ScalarType t) {
  switch (t) {
    case at::kBool: return "|b1";
    case at::kByte: return "|u1";
    case at::kChar: return "|i1";
    case at::kShort: return "<i2";
    case at::kInt: return "<i4";
    case at::kLong: return "<i8";
    case at::kHalf: return "<f2";
    case at::kFloat: return "<f4";
    case at::kDouble: return "<f8";
    default: break;
  }
  throw Error(std::string("npy: unsupported dtype ") + c10::toString(t));
}

at::ScalarType dtype_of(const std::string& descr, const std::string& path) {
  static const std::pair<const char*, at::ScalarType> table[] = {
      {"|b1", at::kBool}, {"|u1", at::kByte}, {"|i1", at::kChar}, {"<i2", at::kShort},
      {"<i4", at::kInt},  {"<i8", at::kLong}, {"<f2", at::kHalf}, {"<f4", at::kFloat},
      {"<f8", at::kDouble}};
  for (const auto& [name, type] : table) {
    if (descr == name) return type;
  }
  fail(path, "unsupported npy dtype '" + descr + "' (little-endian numeric types only)");
}

// Header: magic, version 1.0, uint16 length, then a Python dict literal padded with spaces so the
// whole header has a fixed size: the row count can then be patched in place when writing ends.
std::string make_header(at::ScalarType dtype, int64_t rows, const std::vector<int64_t>& trailing) {
  std::ostringstream dict;
  dict << "{'descr': '" << descr_of(dtype) << "', 'fortran_order': False, 'shape': (" << rows << ",";
  for (size_t i = 0; i < trailing.size(); ++i) dict << (i ? ", " : " ") << trailing[i];
  dict << "), }";
  std::string body = dict.str();
  size_t total = 128;
  while (total < 10 + body.size() + 1 + 24) total += 64;  // room for any row count
  body.resize(total - 10 - 1, ' ');
  body += '\n';
  std::string header(kMagic, 6);
  header += '\x01';
  header += '\x00';
  uint16_t len = static_cast<uint16_t>(body.size());
  header += static_cast<char>(len & 0xff);
  header += static_cast<char>(len >> 8);
  return header + body;
}

}  // namespace

NpyWriter::NpyWriter(const std::string& path, at::ScalarType dtype, std::vector<int64_t> trailing_shape)
    : path_(path), file_(std::make_unique<AtomicFile>(path)), dtype_(dtype), trailing_(std::move(trailing_shape)) {
  if (!file_->resumed()) {
    file_->write(header(0));
    return;
  }
  // A resumed run: the header (patched on close) and whole rows are there already.
  const int64_t header_bytes = static_cast<int64_t>(header(0).size());
  int64_t row_bytes = static_cast<int64_t>(c10::elementSize(dtype_));
  for (int64_t d : trailing_) row_bytes *= d;
  const int64_t data_bytes = file_->resumed_bytes() - header_bytes;
  if (data_bytes < 0 || (row_bytes > 0 && data_bytes % row_bytes != 0)) {
    fail(file_->partial_path(), "cannot resume: the partial array does not end on a whole row (run without --resume)");
  }
  rows_ = row_bytes > 0 ? data_bytes / row_bytes : 0;
}

NpyWriter::~NpyWriter() = default;

std::string NpyWriter::header(int64_t rows) const { return make_header(dtype_, rows, trailing_); }

void NpyWriter::append(const at::Tensor& rows) {
  if (!file_) throw Error("npy: append after close");
  auto expected = std::vector<int64_t>(trailing_);
  auto shape = rows.sizes().vec();
  if (shape.empty() || std::vector<int64_t>(shape.begin() + 1, shape.end()) != expected) {
    fail(file_->path(), "npy: rows of shape " + c10::str(rows.sizes()) + " do not match row shape " +
                            c10::str(at::IntArrayRef(expected)));
  }
  at::Tensor data = rows.to(at::kCPU, dtype_).contiguous();
  file_->write(data.data_ptr(), data.numel() * data.element_size());
  rows_ += shape[0];
}

void NpyWriter::close() {
  if (!file_) return;
  file_->seek(0);
  file_->write(header(rows_));
  file_->commit();
  file_.reset();
}

void save_npy(const std::string& path, const at::Tensor& tensor) {
  // A 0-d tensor is stored as shape (1,).
  const std::vector<int64_t> shape = tensor.dim() == 0 ? std::vector<int64_t>{1} : tensor.sizes().vec();
  NpyWriter writer(path, tensor.scalar_type(), std::vector<int64_t>(shape.begin() + 1, shape.end()));
  writer.append(tensor.reshape(shape));
  writer.close();
}

namespace {

// The value after 'key': in a .npy header dict (the text up to the next key or the end).
std::string npy_header_field(const std::string& dict, const std::string& key, const std::string& path) {
  const size_t k = dict.find("'" + key + "'");
  const size_t colon = k == std::string::npos ? k : dict.find(':', k);
  if (colon == std::string::npos) fail(path, "npy header lacks '" + key + "'");
  return dict.substr(colon + 1);
}

std::string npy_descr(const std::string& dict, const std::string& path) {
  const std::string value = npy_header_field(dict, "descr", path);
  const size_t open = value.find_first_not_of(' ');
  const size_t close = open == std::string::npos || value[open] != '\'' ? std::string::npos : value.find('\'', open + 1);
  if (close == std::string::npos) fail(path, "npy header: 'descr' is not a quoted type string");
  return value.substr(open + 1, close - open - 1);
}

bool npy_fortran_order(const std::string& dict, const std::string& path) {
  const std::string value = npy_header_field(dict, "fortran_order", path);
  const size_t first = value.find_first_not_of(' ');
  if (first != std::string::npos && value.compare(first, 4, "True") == 0) return true;
  if (first != std::string::npos && value.compare(first, 5, "False") == 0) return false;
  fail(path, "npy header: 'fortran_order' is neither True nor False");
}

std::vector<int64_t> npy_shape(const std::string& dict, const std::string& path) {
  const std::string value = npy_header_field(dict, "shape", path);
  const size_t open = value.find_first_not_of(' ');
  const size_t close = open == std::string::npos || value[open] != '(' ? std::string::npos : value.find(')', open);
  if (close == std::string::npos) fail(path, "npy header: 'shape' is not a tuple");
  std::vector<int64_t> shape;
  std::stringstream items(value.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(items, item, ',')) {
    const size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    const std::string digits = item.substr(b, item.find_last_not_of(' ') - b + 1);
    if (digits.empty() || digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string::npos) {
      fail(path, "npy header: shape entry '" + digits + "' is not a size");
    }
    shape.push_back(std::stoll(digits));
  }
  return shape;
}

}  // namespace

at::Tensor load_npy(const std::string& path) {
  require_readable(path, ".npy file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const int64_t file_bytes = static_cast<int64_t>(in.tellg());
  in.seekg(0);
  char pre[10];
  if (!in.read(pre, 10) || std::memcmp(pre, kMagic, 6) != 0) fail(path, "not a .npy file (bad magic)");
  if (pre[6] < 1 || pre[6] > 3) fail(path, "unsupported npy format version " + std::to_string(static_cast<int>(pre[6])));
  uint32_t len = static_cast<uint8_t>(pre[8]) | (static_cast<uint8_t>(pre[9]) << 8);
  int64_t header_bytes = 10;
  if (pre[6] != 1) {
    unsigned char more[2] = {0, 0};
    in.read(reinterpret_cast<char*>(more), 2);
    len |= (static_cast<uint32_t>(more[0]) << 16) | (static_cast<uint32_t>(more[1]) << 24);
    header_bytes = 12;
  }
  if (static_cast<int64_t>(len) > file_bytes - header_bytes) fail(path, "truncated npy header");
  std::string dict(len, '\0');
  if (!in.read(dict.data(), len)) fail(path, "truncated npy header");
  header_bytes += len;
  const std::string descr = npy_descr(dict, path);
  if (npy_fortran_order(dict, path)) fail(path, "Fortran-order npy arrays are not supported");
  const std::vector<int64_t> shape = npy_shape(dict, path);
  const at::ScalarType dtype = dtype_of(descr, path);
  // The data must be in the file before anything is allocated for it: a corrupt shape must not
  // become a multi-terabyte allocation.
  const int64_t element_bytes = static_cast<int64_t>(c10::elementSize(dtype));
  const int64_t available = file_bytes - header_bytes;
  int64_t needed = element_bytes;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(needed, d, &needed)) fail(path, "npy header: the shape's size overflows");
  }
  if (needed > available) fail(path, "truncated npy data (" + std::to_string(available) + " bytes, the shape needs " + std::to_string(needed) + ")");
  at::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(dtype));
  if (!in.read(static_cast<char*>(t.data_ptr()), static_cast<std::streamsize>(needed))) fail(path, "truncated npy data");
  return t;
}

}  // namespace seqnn
