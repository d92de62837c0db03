#include "seqnn/models/model.h"

#include <unistd.h>

#include "models/model_backend.h"
#include "seqnn/models/shipped_models.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"

namespace seqnn {

namespace {

// "MODEL: forward failed on input of shape [N, A, L]: <cause>", the cause taken from the end of a
// TorchScript traceback (its first line only says that an operation failed).
[[noreturn]] void forward_failed(const ModelBackend& b, const at::Tensor& x, const std::string& message) {
  const std::string source = b.info().source;
  fail(source.empty() ? "model" : source,
       "forward failed on input of shape " + c10::str(x.sizes()) + ": " + error_cause(message));
}

}  // namespace

Model::Model(std::shared_ptr<ModelBackend> backend) : backend_(std::move(backend)) {}

Model Model::load(const std::string& path_or_name) {
  std::string path = path_or_name;
  if (access(path.c_str(), F_OK) != 0) {  // not a file: a shipped model's name, if it is one
    try {
      path = resolve_model_path(path_or_name);
    } catch (const Error&) {
    }
  }
  require_readable(path, "model");
  if (auto native = try_load_native_backend(path)) return Model(native);
  return Model(load_torchscript_backend(path));
}

ModelBackend& Model::backend() const {
  if (!backend_) throw Error("seqnn::Model: no model loaded");
  return *backend_;
}

ModelOutput Model::forward(const at::Tensor& x, const std::vector<at::Tensor>& args) {
  ModelBackend& b = backend();
  at::Tensor input = at::isFloatingType(x.scalar_type()) ? x : x.to(b.dtype());
  try {
    return b.forward(input, args);
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    forward_failed(b, x, e.what_without_backtrace());
  } catch (const std::exception& e) {
    forward_failed(b, x, e.what());
  }
}

void Model::train(bool on) { backend().train(on); }
bool Model::is_training() const { return backend().is_training(); }
void Model::to(at::Device device) { backend().to(device, dtype()); }
void Model::to(at::ScalarType dtype) { backend().to(device(), dtype); }
at::Device Model::device() const { return backend().device(); }
at::ScalarType Model::dtype() const { return backend().dtype(); }
ModelInfo Model::info() const { return backend().info(); }

int64_t Model::enable_mc_dropout() {
  const int64_t n = backend().enable_mc_dropout();
  if (n == 0) {
    backend().train(false);
    std::string source = backend().info().source;
    fail(source.empty() ? "model" : source,
         "has no dropout layers, so Monte-Carlo dropout cannot sample (no nn.Dropout* module and no "
         "F.dropout call in any forward)");
  }
  return n;
}
void Model::save(const std::string& path) const { backend().save(path); }

}  // namespace seqnn
