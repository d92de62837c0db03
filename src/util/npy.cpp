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
  file_->write(header(0));
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

at::Tensor load_npy(const std::string& path) {
  require_readable(path, ".npy file");
  std::ifstream in(path, std::ios::binary);
  char pre[10];
  if (!in.read(pre, 10) || std::memcmp(pre, kMagic, 6) != 0) fail(path, "not a .npy file (bad magic)");
  uint32_t len = 0;
  if (pre[6] == 1) {
    len = static_cast<uint8_t>(pre[8]) | (static_cast<uint8_t>(pre[9]) << 8);
  } else {
    char more[2];
    in.read(more, 2);
    len = static_cast<uint8_t>(pre[8]) | (static_cast<uint8_t>(pre[9]) << 8) |
          (static_cast<uint8_t>(more[0]) << 16) | (static_cast<uint32_t>(static_cast<uint8_t>(more[1])) << 24);
  }
  std::string dict(len, '\0');
  if (!in.read(dict.data(), len)) fail(path, "truncated npy header");
  auto field = [&](const std::string& key) {
    size_t k = dict.find("'" + key + "'");
    if (k == std::string::npos) fail(path, "npy header lacks '" + key + "'");
    return dict.substr(dict.find(':', k) + 1);
  };
  std::string descr = field("descr");
  descr = descr.substr(descr.find('\'') + 1);
  descr = descr.substr(0, descr.find('\''));
  if (field("fortran_order").find("True") < field("fortran_order").find(',')) {
    fail(path, "Fortran-order npy arrays are not supported");
  }
  std::string shape_text = field("shape");
  shape_text = shape_text.substr(shape_text.find('(') + 1);
  shape_text = shape_text.substr(0, shape_text.find(')'));
  std::vector<int64_t> shape;
  std::stringstream ss(shape_text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.find_first_not_of(" ") == std::string::npos) continue;
    shape.push_back(std::stoll(item));
  }
  at::ScalarType dtype = dtype_of(descr, path);
  at::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(dtype));
  size_t bytes = t.numel() * t.element_size();
  if (!in.read(static_cast<char*>(t.data_ptr()), static_cast<std::streamsize>(bytes))) {
    fail(path, "truncated npy data");
  }
  return t;
}

}  // namespace seqnn
