// TorchScript models: anything saved with torch.jit.save in PyTorch.
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/script.h>

#include <set>

#include "models/model_backend.h"
#include "seqnn/util/zip_check.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

at::Tensor as_tensor(const c10::IValue& v, const std::string& what) {
  if (!v.isTensor()) throw Error("model output " + what + " is a " + v.tagKind() + ", not a tensor");
  return v.toTensor();
}

ModelOutput output_entries(const c10::IValue& out) {
  ModelOutput result;
  if (out.isTensor()) return ModelOutput::single(out.toTensor());
  if (out.isTuple() || out.isList()) {
    result.kind = ModelOutput::Kind::kTuple;
    std::vector<c10::IValue> items;
    if (out.isTuple()) {
      for (const auto& e : out.toTupleRef().elements()) items.push_back(e);
    } else {
      for (const auto& e : out.toList()) items.push_back(e);
    }
    for (size_t i = 0; i < items.size(); ++i) {
      result.names.push_back(std::to_string(i));
      result.tensors.push_back(as_tensor(items[i], "element " + std::to_string(i)));
    }
    return result;
  }
  if (out.isGenericDict()) {
    result.kind = ModelOutput::Kind::kDict;
    for (const auto& entry : out.toGenericDict()) {
      const auto& key = entry.key();
      std::string name = key.isString() ? key.toStringRef() : key.isInt() ? std::to_string(key.toInt()) : "";
      if (name.empty()) throw Error("model output dict keys must be strings or ints");
      result.names.push_back(name);
      result.tensors.push_back(as_tensor(entry.value(), "'" + name + "'"));
    }
    return result;
  }
  throw Error(std::string("model output of type ") + out.tagKind() +
              " is not supported (return a tensor, a tuple/list of tensors or a dict of tensors)");
}

// A tuple, list or dict with no entries is a model without outputs: nothing could be predicted
// (a prediction file would hold the names column only).
ModelOutput to_model_output(const c10::IValue& out, const std::string& path) {
  ModelOutput result = output_entries(out);
  if (result.tensors.empty()) {
    fail(path, std::string("the model's forward returned an empty ") +
                   (result.kind == ModelOutput::Kind::kDict ? "dict" : "tuple or list") + " (a model needs at least one output)");
  }
  return result;
}

// What can be known of the outputs without running the model, checked at load: the names in
// seqnn_output_names (they become column names, so none may be empty or repeated), and a forward
// whose returned tuple, list or dict is built with no entries or names one constant key twice (a
// dict literal keeps the last entry of a repeated key: an output would vanish silently).
void check_declared_outputs(const torch::jit::Module& module, const std::string& path) {
  if (module.hasattr("seqnn_output_names")) {
    const c10::IValue names = module.attr("seqnn_output_names");
    if (!names.isList()) fail(path, "seqnn_output_names must be a list of strings");
    std::set<std::string> seen;
    for (const auto& n : names.toList()) {
      const c10::IValue name = n.get();
      if (!name.isString() || name.toStringRef().empty()) fail(path, "seqnn_output_names holds an empty or non-string name");
      if (!seen.insert(name.toStringRef()).second) {
        fail(path, "seqnn_output_names names the output column '" + name.toStringRef() + "' twice");
      }
    }
  }
  auto forward = module.find_method("forward");
  if (!forward) fail(path, "the TorchScript module has no forward method");
  const torch::jit::Node* made = forward->graph()->return_node()->input(0)->node();
  const c10::Symbol kind = made->kind();
  const bool dict = kind == c10::prim::DictConstruct;
  if (!dict && kind != c10::prim::TupleConstruct && kind != c10::prim::ListConstruct) return;
  if (made->inputs().empty()) {
    fail(path, std::string("the model's forward returns an empty ") + (dict ? "dict" : "tuple or list") +
                   " (a model needs at least one output)");
  }
  if (!dict) return;
  std::set<std::string> keys;
  for (size_t k = 0; k < made->inputs().size(); k += 2) {
    const auto key = torch::jit::toIValue(made->input(k));
    if (!key) continue;  // computed at run time
    const std::string name = key->isString() ? key->toStringRef() : key->isInt() ? std::to_string(key->toInt()) : "";
    if (!keys.insert(name).second) {
      fail(path, "the model's forward returns a dict that names the output '" + name + "' twice (one would be lost)");
    }
  }
}

bool is_dropout_op(c10::Symbol kind) {
  static const c10::Symbol ops[] = {
      c10::Symbol::fromQualString("aten::dropout"),       c10::Symbol::fromQualString("aten::dropout_"),
      c10::Symbol::fromQualString("aten::feature_dropout"), c10::Symbol::fromQualString("aten::feature_dropout_"),
      c10::Symbol::fromQualString("aten::alpha_dropout"), c10::Symbol::fromQualString("aten::alpha_dropout_"),
      c10::Symbol::fromQualString("aten::feature_alpha_dropout"),
      c10::Symbol::fromQualString("aten::feature_alpha_dropout_")};
  for (const auto& op : ops) {
    if (kind == op) return true;
  }
  return false;
}

// F.dropout appears either inlined (inside an `if inplace:` block) or, in a module loaded with
// torch.jit.load, as a prim::CallFunction of torch.nn.functional.dropout: look into blocks and into
// called functions (not into called methods: a submodule's dropout belongs to that submodule).
bool block_calls_dropout(const torch::jit::Block* block, int depth);

bool called_function_calls_dropout(const torch::jit::Node* node, int depth) {
  if (node->kind() != c10::prim::CallFunction || depth > 16) return false;
  auto fn_type = node->input(0)->type()->cast<c10::FunctionType>();
  if (!fn_type) return false;
  torch::jit::GraphFunction* fn = torch::jit::tryToGraphFunction(*fn_type->function());
  return fn && block_calls_dropout(fn->graph()->block(), depth + 1);
}

bool block_calls_dropout(const torch::jit::Block* block, int depth) {
  for (const torch::jit::Node* node : block->nodes()) {
    if (is_dropout_op(node->kind()) || called_function_calls_dropout(node, depth)) return true;
    for (const torch::jit::Block* inner : node->blocks()) {
      if (block_calls_dropout(inner, depth)) return true;
    }
  }
  return false;
}

bool calls_dropout(const torch::jit::Module& m) {
  auto method = m.find_method("forward");
  return method && block_calls_dropout(method->graph()->block(), 0);
}

class TorchScriptBackend final : public ModelBackend {
 public:
  TorchScriptBackend(torch::jit::Module module, std::string path)
      : module_(std::move(module)), path_(std::move(path)) {}

  ModelOutput forward(const at::Tensor& x, const std::vector<at::Tensor>& args) override {
    std::vector<c10::IValue> inputs;
    inputs.reserve(args.size() + 1);
    inputs.emplace_back(x);
    for (const auto& a : args) inputs.emplace_back(a);
    return to_model_output(module_.forward(inputs), path_);
  }
  void train(bool on) override { module_.train(on); }
  bool is_training() const override { return module_.is_training(); }
  void to(at::Device device, at::ScalarType dtype) override { module_.to(device, dtype); }
  at::Device device() const override { return first_parameter_placement(module_.parameters()).first; }
  at::ScalarType dtype() const override { return first_parameter_placement(module_.parameters()).second; }

  ModelInfo info() const override {
    ModelInfo info;
    info.kind = "torchscript";
    info.source = path_;
    if (module_.hasattr("seqnn_input_length")) info.input_length = module_.attr("seqnn_input_length").toInt();
    if (module_.hasattr("seqnn_alphabet")) info.alphabet = module_.attr("seqnn_alphabet").toStringRef();
    if (module_.hasattr("seqnn_output_names")) {
      for (const auto& n : module_.attr("seqnn_output_names").toList()) info.output_names.push_back(n.get().toStringRef());
    }
    for (const auto& p : module_.parameters()) info.parameters += p.numel();
    return info;
  }

  void save(const std::string& path) const override { module_.save(path); }
  OpGraphAnalysis op_graph(const at::Tensor& sample, const std::vector<at::Tensor>& args) override {
    return torchscript_op_graph(module_, sample, args);
  }

  // What counts as dropout in a scripted model: any module whose own forward graph calls a dropout
  // op (aten::dropout, feature_dropout, alpha_dropout, feature_alpha_dropout), i.e. nn.Dropout*,
  // nn.AlphaDropout and modules that call F.dropout(x, p, self.training) themselves. Only that
  // module's own `training` flag is set, so its children (batch norm) stay in eval mode.
  int64_t enable_mc_dropout() override {
    module_.eval();
    int64_t n = 0;
    for (const auto& sub : module_.modules()) {
      if (calls_dropout(sub)) {
        sub._ivalue()->setAttr("training", true);
        ++n;
      }
    }
    return n;
  }

 private:
  mutable torch::jit::Module module_;
  std::string path_;
};

}  // namespace

std::shared_ptr<ModelBackend> load_torchscript_backend(const std::string& path) {
  require_intact_zip(path, "model");
  try {
    torch::jit::Module module = torch::jit::load(path, torch::kCPU);
    module.eval();
    check_declared_outputs(module, path);
    return std::make_shared<TorchScriptBackend>(std::move(module), path);
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    fail(path, "cannot load model (not a seqnn model nor a TorchScript file saved with torch.jit.save): " +
                   error_cause(e.what_without_backtrace()));
  } catch (const std::exception& e) {  // torch::jit::ErrorReport: a damaged TorchScript program
    fail(path, "cannot load model (its TorchScript code does not compile): " + error_cause(e.what()));
  }
}

}  // namespace seqnn
