// TorchScript models as op graphs. The module is frozen (weights and eval-mode branches become
// constants, submodules are inlined), then the forward graph is read node by node: each node is
// run once on a sample to learn its shapes and classified by what it does along the sequence
// axis (models/op_graph.h). The first node that fits no class blocks the analysis, by name.
#include <torch/csrc/jit/ir/constants.h>
#include <torch/script.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "models/jit_call.h"
#include "models/model_backend.h"
#include "seqnn/util/error.h"

namespace seqnn {
namespace {

using torch::jit::Node;
using torch::jit::Value;

struct Blocked {
  std::string why;
};

// What a graph value is during the walk.
struct ValueInfo {
  enum class Kind { kConstant, kTensor, kTensorList, kBatchSize, kShape, kUnusable };
  Kind kind = Kind::kUnusable;
  c10::IValue constant;
  std::vector<int> nodes;        // kTensor (one) / kTensorList: op graph node ids
  std::vector<int64_t> shape;    // kShape
  std::vector<size_t> batch_at;  // kShape
  std::string why;               // kUnusable
};

const std::set<std::string>& elementwise_ops() {
  static const std::set<std::string> ops = {
      "relu", "relu_", "gelu", "sigmoid", "sigmoid_", "tanh", "tanh_", "softplus", "exp", "exp_", "elu", "elu_",
      "leaky_relu", "leaky_relu_", "silu", "silu_", "hardtanh", "hardtanh_", "hardsigmoid", "hardswish", "mish",
      "celu", "selu", "neg", "abs", "log", "log1p", "sqrt", "rsqrt", "square", "pow", "clamp", "clamp_",
      "clamp_min", "clamp_max", "add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_", "rsub",
      "reciprocal", "erf", "sin", "cos", "contiguous", "clone", "to", "type_as", "detach", "batch_norm",
      "dropout", "dropout_", "feature_dropout", "alpha_dropout", "feature_alpha_dropout"};
  return ops;
}

const std::set<std::string>& binary_ops() {
  static const std::set<std::string> ops = {"add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_", "rsub", "pow"};
  return ops;
}

int64_t normalise_dim(int64_t d, int64_t rank) { return d < 0 ? d + rank : d; }

std::vector<int64_t> dims_of(const c10::IValue& v, int64_t rank) {
  std::vector<int64_t> dims;
  if (v.isInt()) dims.push_back(v.toInt());
  if (v.isIntList()) dims = v.toIntVector();
  for (auto& d : dims) d = normalise_dim(d, rank);
  return dims;
}

int64_t first_int(const c10::IValue& v) {
  if (v.isInt()) return v.toInt();
  std::vector<int64_t> list = v.toIntVector();
  if (list.size() != 1) throw Blocked{"a 1-d op with " + std::to_string(list.size()) + " spatial sizes"};
  return list[0];
}

class Walker {
 public:
  Walker(std::shared_ptr<torch::jit::Module> frozen, const at::Tensor& sample, const std::vector<at::Tensor>& args)
      : frozen_(std::move(frozen)), sample_x_(sample), sample_args_(args) {}

  OpGraph run() {
    std::shared_ptr<torch::jit::Graph> graph = frozen_->get_method("forward").graph();
    read_inputs(*graph);
    for (Node* node : graph->nodes()) visit(node);
    const ValueInfo& out = info(graph->return_node()->input(0));
    if (out.kind != ValueInfo::Kind::kTensor && out.kind != ValueInfo::Kind::kTensorList) {
      throw Blocked{"model output that is not a tensor or a tuple of tensors"};
    }
    g_.outputs = out.nodes;
    return std::move(g_);
  }

 private:
  std::shared_ptr<torch::jit::Module> frozen_;
  at::Tensor sample_x_;
  std::vector<at::Tensor> sample_args_;
  OpGraph g_;
  std::vector<at::Tensor> samples_;     // each op node's value on the sample
  std::vector<bool> depends_;           // whether the node's value depends on the sequence
  std::unordered_map<const Value*, ValueInfo> info_;

  const ValueInfo& info(const Value* v) {
    auto it = info_.find(v);
    if (it == info_.end()) throw Blocked{"value %" + v->debugName() + " of unknown origin"};
    if (it->second.kind == ValueInfo::Kind::kUnusable) throw Blocked{it->second.why};
    return it->second;
  }

  int add_node(OpNode n, at::Tensor sample, bool depends) {
    samples_.push_back(std::move(sample));
    depends_.push_back(depends);
    return g_.add(std::move(n));
  }

  void read_inputs(const torch::jit::Graph& graph) {
    const auto inputs = graph.inputs();
    for (size_t i = 1; i < inputs.size(); ++i) {  // input 0 is the module itself
      const size_t k = i - 1;
      if (k > sample_args_.size()) throw Blocked{"forward() takes more inputs than were given"};
      OpNode n;
      n.kind = OpKind::kInput;
      n.op = k == 0 ? "input" : "argument " + std::to_string(k);
      n.input_index = static_cast<int>(k);
      n.has_length = k == 0;
      ValueInfo vi;
      vi.kind = ValueInfo::Kind::kTensor;
      vi.nodes = {add_node(std::move(n), k == 0 ? sample_x_ : sample_args_[k - 1], k == 0)};
      info_[inputs[i]] = vi;
    }
  }

  void visit(Node* node) {
    const std::string kind = node->kind().toQualString();
    if (kind == "prim::Constant") {
      auto c = torch::jit::toIValue(node->output());
      if (!c) throw Blocked{"a constant seqnn cannot read"};
      set_constant(node->output(), *c);
    } else if (kind == "prim::ListConstruct" || kind == "prim::TupleConstruct") {
      visit_list(node);
    } else if (kind == "prim::DictConstruct") {
      visit_dict(node);
    } else if (kind == "prim::TupleIndex" || kind == "prim::TupleUnpack" || kind == "prim::ListUnpack") {
      visit_unpack(node);
    } else if (kind == "prim::If") {
      visit_if(node);
    } else if (kind == "aten::dim") {
      const ValueInfo& x = info(node->input(0));
      if (x.kind != ValueInfo::Kind::kTensor) throw Blocked{"aten::dim of a list"};
      set_constant(node->output(), samples_[static_cast<size_t>(x.nodes[0])].dim());
    } else if (kind == "aten::size") {
      visit_size(node);
    } else if (kind == "aten::__getitem__" && info(node->input(0)).kind == ValueInfo::Kind::kShape) {
      visit_shape_item(node);
    } else if (!any_tensor_input(node)) {
      evaluate_constant(node);
    } else {
      visit_tensor_op(node);
    }
  }

  // Branches on what the freezer could not fold but the shapes decide (batch norm's input-rank
  // check): the taken block is read in place of the node.
  void visit_if(Node* node) {
    const ValueInfo& cond = info(node->input(0));
    if (cond.kind != ValueInfo::Kind::kConstant || !cond.constant.isBool()) throw Blocked{"prim::If (control flow on data)"};
    torch::jit::Block* block = node->blocks()[cond.constant.toBool() ? 0 : 1];
    for (Node* inner : block->nodes()) visit(inner);
    for (size_t i = 0; i < node->outputs().size(); ++i) info_[node->output(i)] = info(block->outputs()[i]);
  }

  void set_constant(const Value* v, c10::IValue c) {
    ValueInfo vi;
    vi.kind = ValueInfo::Kind::kConstant;
    vi.constant = std::move(c);
    info_[v] = vi;
  }

  bool any_tensor_input(const Node* node) {
    for (const Value* v : node->inputs()) {
      auto k = info(v).kind;
      if (k != ValueInfo::Kind::kConstant) return true;
    }
    return false;
  }

  // A node on constants only (e.g. int arithmetic the freezer left): run it now.
  void evaluate_constant(Node* node) {
    if (node->blocks().size() > 0) throw Blocked{std::string(node->kind().toQualString()) + " (control flow)"};
    torch::jit::Stack stack;
    for (const Value* v : node->inputs()) stack.push_back(info(v).constant);
    try {
      node->getOperation()(stack);
    } catch (const std::exception&) {
      throw Blocked{node->kind().toQualString()};
    }
    for (size_t i = 0; i < node->outputs().size(); ++i) set_constant(node->output(i), stack[i]);
  }

  void visit_list(Node* node) {
    ValueInfo vi;
    bool all_constant = true, all_tensors = true, ints = true;
    for (const Value* v : node->inputs()) {
      const ValueInfo& in = info(v);
      all_constant = all_constant && in.kind == ValueInfo::Kind::kConstant;
      all_tensors = all_tensors && in.kind == ValueInfo::Kind::kTensor;
      ints = ints && (in.kind == ValueInfo::Kind::kBatchSize || (in.kind == ValueInfo::Kind::kConstant && in.constant.isInt()));
    }
    if (all_constant) return evaluate_constant(node);
    if (all_tensors) {
      vi.kind = ValueInfo::Kind::kTensorList;
      for (const Value* v : node->inputs()) vi.nodes.push_back(info(v).nodes[0]);
    } else if (ints && node->kind() == c10::prim::ListConstruct) {
      vi.kind = ValueInfo::Kind::kShape;
      for (const Value* v : node->inputs()) {
        const ValueInfo& in = info(v);
        if (in.kind == ValueInfo::Kind::kBatchSize) vi.batch_at.push_back(vi.shape.size());
        vi.shape.push_back(in.kind == ValueInfo::Kind::kBatchSize ? 0 : in.constant.toInt());
      }
    } else {
      throw Blocked{std::string(node->kind().toQualString()) + " of mixed values"};
    }
    info_[node->output()] = vi;
  }

  // {key: tensor, ...}: the values in order, as ModelOutput lists a dict's tensors.
  void visit_dict(Node* node) {
    ValueInfo vi;
    vi.kind = ValueInfo::Kind::kTensorList;
    for (size_t i = 1; i < node->inputs().size(); i += 2) {
      const ValueInfo& v = info(node->input(i));
      if (v.kind != ValueInfo::Kind::kTensor) throw Blocked{"prim::DictConstruct of non-tensors"};
      vi.nodes.push_back(v.nodes[0]);
    }
    info_[node->output()] = vi;
  }

  void visit_unpack(Node* node) {
    const ValueInfo& in = info(node->input(0));
    if (in.kind != ValueInfo::Kind::kTensorList) throw Blocked{node->kind().toQualString()};
    auto element = [&](size_t i, const Value* out) {
      if (i >= in.nodes.size()) throw Blocked{node->kind().toQualString()};
      ValueInfo vi;
      vi.kind = ValueInfo::Kind::kTensor;
      vi.nodes = {in.nodes[i]};
      info_[out] = vi;
    };
    if (node->kind() == c10::prim::TupleIndex) {
      element(static_cast<size_t>(info(node->input(1)).constant.toInt()), node->output());
    } else {
      for (size_t i = 0; i < node->outputs().size(); ++i) element(i, node->output(i));
    }
  }

  // x.size(d): the batch size for d = 0 (filled in at call time), the sample's size otherwise
  // (sequence length and channels are fixed for a model seqnn runs).
  void visit_size(Node* node) {
    const ValueInfo& x = info(node->input(0));
    if (x.kind != ValueInfo::Kind::kTensor) throw Blocked{"aten::size of a list"};
    const at::Tensor& s = samples_[static_cast<size_t>(x.nodes[0])];
    if (node->inputs().size() == 1) {  // x.shape: a list whose first entry is the batch size
      ValueInfo vi;
      vi.kind = ValueInfo::Kind::kShape;
      vi.shape = s.sizes().vec();
      vi.batch_at = {0};
      info_[node->output()] = vi;
      return;
    }
    const int64_t d = normalise_dim(info(node->input(1)).constant.toInt(), s.dim());
    if (d == 0) {
      ValueInfo vi;
      vi.kind = ValueInfo::Kind::kBatchSize;
      info_[node->output()] = vi;
    } else {
      set_constant(node->output(), s.size(d));
    }
  }

  // x.shape[d]: as x.size(d).
  void visit_shape_item(Node* node) {
    const ValueInfo& shape = info(node->input(0));
    const int64_t rank = static_cast<int64_t>(shape.shape.size());
    const int64_t d = normalise_dim(info(node->input(1)).constant.toInt(), rank);
    if (d < 0 || d >= rank) throw Blocked{"aten::__getitem__ out of range"};
    if (std::find(shape.batch_at.begin(), shape.batch_at.end(), static_cast<size_t>(d)) != shape.batch_at.end()) {
      ValueInfo vi;
      vi.kind = ValueInfo::Kind::kBatchSize;
      info_[node->output()] = vi;
    } else {
      set_constant(node->output(), shape.shape[static_cast<size_t>(d)]);
    }
  }

  void visit_tensor_op(Node* node) {
    if (node->blocks().size() > 0) throw Blocked{std::string(node->kind().toQualString()) + " (control flow)"};
    OpNode n;
    n.op = node->kind().toQualString();
    std::vector<JitSlot> slots;
    std::vector<c10::IValue> constants;  // per input: the constant, or None for tensors
    bool depends = false;
    for (const Value* v : node->inputs()) slots.push_back(slot_of(v, n, constants, depends));
    n.apply = jit_call(frozen_, node, std::move(slots));
    std::vector<at::Tensor> in;
    for (int id : n.inputs) in.push_back(samples_[static_cast<size_t>(id)]);
    at::Tensor out;
    try {
      out = n.apply(in);
    } catch (const std::exception&) {
      throw Blocked{n.op + " (fails on a sample)"};
    }
    if (depends) classify(node, n, constants, in, out);
    else n.kind = OpKind::kRowWise;  // independent of the sequence: computed once per row
    ValueInfo vi;
    vi.kind = ValueInfo::Kind::kTensor;
    vi.nodes = {add_node(std::move(n), out, depends)};
    info_[node->output(0)] = vi;
    for (size_t i = 1; i < node->outputs().size(); ++i) {
      ValueInfo extra;
      extra.why = "output " + std::to_string(i) + " of " + std::string(node->kind().toQualString());
      info_[node->output(i)] = extra;
    }
  }

  JitSlot slot_of(const Value* v, OpNode& n, std::vector<c10::IValue>& constants, bool& depends) {
    const ValueInfo& vi = info(v);
    JitSlot s;
    constants.push_back(vi.kind == ValueInfo::Kind::kConstant ? vi.constant : c10::IValue());
    switch (vi.kind) {
      case ValueInfo::Kind::kConstant: s.constant = vi.constant; break;
      case ValueInfo::Kind::kBatchSize: s.kind = JitSlot::Kind::kBatchSize; break;
      case ValueInfo::Kind::kShape:
        s.kind = JitSlot::Kind::kShape;
        s.shape = vi.shape;
        s.batch_at = vi.batch_at;
        break;
      case ValueInfo::Kind::kTensor:
      case ValueInfo::Kind::kTensorList:
        s.kind = vi.kind == ValueInfo::Kind::kTensor ? JitSlot::Kind::kTensor : JitSlot::Kind::kTensorList;
        for (int id : vi.nodes) {
          s.tensors.push_back(n.inputs.size());
          n.inputs.push_back(id);
          depends = depends || depends_[static_cast<size_t>(id)];
        }
        break;
      case ValueInfo::Kind::kUnusable: break;
    }
    return s;
  }

  bool input_has_length(const OpNode& n, size_t i) const {
    return g_.nodes[static_cast<size_t>(n.inputs[i])].has_length;
  }

  void classify(const Node* node, OpNode& n, const std::vector<c10::IValue>& c, const std::vector<at::Tensor>& in,
                const at::Tensor& out) {
    const std::string op = node->kind().toUnqualString();
    bool any_length = false;
    for (size_t i = 0; i < n.inputs.size(); ++i) any_length = any_length || input_has_length(n, i);
    if (!any_length) return classify_rows(op, n, c, in, out);
    const bool first_has_length = input_has_length(n, 0);
    const int64_t L = in[0].size(-1);
    if (op == "conv1d" || op == "_convolution") return conv(op, n, c, in[0], first_has_length);
    if (op == "max_pool1d" || op == "avg_pool1d") return pool(op, n, c, first_has_length, L, out);
    if (elementwise_ops().count(op)) return elementwise(op, n, c, L, out);
    if (op == "softmax" || op == "log_softmax") return position_wise_if(n, L, out, normalise_dim(c[1].toInt(), 3) == 1);
    if (op == "slice") return slice(n, c, L, out);
    if (op == "cat") return position_wise_if(n, L, out, normalise_dim(c[1].toInt(), 3) == 1);
    if (op == "flatten" || op == "view" || op == "reshape") return flatten(n, in[0], out);
    if (op == "mean" || op == "sum" || op == "amax" || op == "max") return reduce(op, n, c, L, out);
    throw Blocked{n.op + " on the sequence axis"};
  }

  // Ops on values without a length axis: any op that keeps row i of the batch on row i.
  void classify_rows(const std::string& op, OpNode& n, const std::vector<c10::IValue>& c,
                     const std::vector<at::Tensor>& in, const at::Tensor& out) {
    const int64_t rows = in[0].size(0);
    if (out.dim() == 0 || out.size(0) != rows) throw Blocked{n.op + " (mixes the rows of a batch)"};
    n.kind = OpKind::kRowWise;
    if (op == "linear" && c[1].isTensor()) {
      n.kind = OpKind::kLinear;
      n.weight = c[1].toTensor();
      if (c[2].isTensor()) n.bias = c[2].toTensor();
      return;
    }
    static const std::set<std::string> batch_safe = {
        "linear", "addmm", "matmul", "mm", "flatten", "view", "reshape", "transpose", "permute", "layer_norm",
        "unflatten"};
    // Ops whose argument 1 is a dimension: it must not be the batch.
    static const std::set<std::string> with_dim = {"softmax", "log_softmax", "cat", "stack", "slice", "select",
                                                   "unsqueeze", "squeeze", "mean", "sum", "amax", "max"};
    if (!elementwise_ops().count(op) && !batch_safe.count(op) && !with_dim.count(op)) throw Blocked{n.op};
    mark_sampled_dropout(op, n, c);
    if (with_dim.count(op) && c.size() > 1 && (c[1].isInt() || c[1].isIntList())) {
      const int64_t rank = out.dim();  // the output's rank fits unsqueeze and stack too
      for (int64_t d : dims_of(c[1], rank)) {
        if (d == 0) throw Blocked{n.op + " along the batch"};
      }
    }
  }

  // Dropout in training mode (Monte-Carlo sampling): plain dropout draws one mask entry per
  // element, which an engine can reproduce; feature and alpha dropout draw otherwise.
  static void mark_sampled_dropout(const std::string& op, OpNode& n, const std::vector<c10::IValue>& c) {
    if (op.find("dropout") == std::string::npos || !c.back().isBool() || !c.back().toBool()) return;
    if (op != "dropout" && op != "dropout_") throw Blocked{n.op + " in training mode"};
    n.dropout = c[1].toDouble();
    n.apply = [](const std::vector<at::Tensor>& v) { return v[0]; };
  }

  void conv(const std::string& op, OpNode& n, const std::vector<c10::IValue>& c, const at::Tensor& x, bool has_length) {
    if (!has_length || x.dim() != 3) throw Blocked{n.op + " on a value without a sequence axis"};
    if (!c[1].isTensor()) throw Blocked{n.op + " with a computed weight"};
    if (op == "_convolution" && (c[6].toBool() || !c[4].isIntList())) throw Blocked{"transposed convolution"};
    n.kind = OpKind::kConv;
    n.has_length = true;
    n.weight = c[1].toTensor();
    if (c[2].isTensor()) n.bias = c[2].toTensor();
    n.kernel = n.weight.size(2);
    n.stride = first_int(c[3]);
    n.dilation = first_int(c[5]);
    n.groups = op == "_convolution" ? c[8].toInt() : c[6].toInt();
    if (c[4].isString()) {
      if (c[4].toStringRef() == "same") {
        const int64_t total = n.dilation * (n.kernel - 1);
        n.pad_left = total / 2;
        n.pad_right = total - n.pad_left;
      }
    } else {
      n.pad_left = n.pad_right = first_int(c[4]);
    }
  }

  void pool(const std::string& op, OpNode& n, const std::vector<c10::IValue>& c, bool has_length, int64_t L,
            const at::Tensor& out) {
    if (!has_length) throw Blocked{n.op + " on a value without a sequence axis"};
    n.kind = OpKind::kPool;
    n.has_length = true;
    n.max_pool = op == "max_pool1d";
    n.kernel = first_int(c[1]);
    const bool default_stride = c[2].isIntList() && c[2].toIntVector().empty();
    n.stride = default_stride ? n.kernel : first_int(c[2]);
    n.pad_left = n.pad_right = first_int(c[3]);
    if (n.max_pool) {
      n.dilation = first_int(c[4]);
    } else {
      // Average pooling is exact on a zero-padded window only when padding counts as zeros and
      // the output has no partial window past the end (ceil mode).
      const int64_t floor_length = (L + 2 * n.pad_left - n.kernel) / n.stride + 1;
      if (out.size(2) != floor_length) throw Blocked{"avg_pool1d with ceil_mode"};
      if (n.pad_left > 0 && !c[5].toBool()) throw Blocked{"avg_pool1d with count_include_pad=False"};
    }
  }

  void elementwise(const std::string& op, OpNode& n, const std::vector<c10::IValue>& c, int64_t L,
                   const at::Tensor& out) {
    mark_sampled_dropout(op, n, c);
    if (op == "batch_norm" && c[5].toBool()) throw Blocked{"batch_norm in training mode"};
    if (binary_ops().count(op)) {
      for (const auto& k : c) {
        if (k.isTensor() && k.toTensor().numel() > 1 && k.toTensor().size(-1) != 1) {
          throw Blocked{n.op + " with a constant that varies along the sequence"};
        }
      }
    }
    position_wise_if(n, L, out, true);
  }

  // Position-wise ops keep the (N, C, L) layout and the length of their inputs.
  void position_wise_if(OpNode& n, int64_t L, const at::Tensor& out, bool ok) {
    if (!ok || out.dim() != 3 || out.size(2) != L) throw Blocked{n.op + " across the sequence axis"};
    n.kind = OpKind::kPositionWise;
    n.has_length = true;
  }

  void slice(OpNode& n, const std::vector<c10::IValue>& c, int64_t L, const at::Tensor& out) {
    const int64_t dim = normalise_dim(c[1].toInt(), 3);
    // x[:, ...]: the whole batch axis (the end is "None", i.e. the largest int64).
    const bool whole_axis = (c[2].isNone() || c[2].toInt() == 0) && c[4].toInt() == 1 &&
                            (c[3].isNone() || c[3].toInt() >= std::numeric_limits<int32_t>::max());
    if (dim == 1 || (dim == 0 && whole_axis)) return position_wise_if(n, L, out, true);  // x[:, ...] or channels
    if (dim != 2) throw Blocked{"aten::slice along the batch"};
    if (c[4].toInt() != 1) throw Blocked{"aten::slice with a step along the sequence"};
    auto bound = [L](const c10::IValue& v, int64_t fallback) {
      int64_t b = v.isNone() ? fallback : v.toInt();
      if (b < 0) b += L;
      return std::clamp<int64_t>(b, 0, L);
    };
    n.kind = OpKind::kCrop;
    n.has_length = true;
    n.crop_start = bound(c[2], 0);
    n.crop_end = std::max(n.crop_start, bound(c[3], L));
  }

  void flatten(OpNode& n, const at::Tensor& x, const at::Tensor& out) {
    if (x.dim() != 3 || out.dim() != 2 || out.size(1) != x.size(1) * x.size(2)) throw Blocked{n.op + " of the sequence axis"};
    n.kind = OpKind::kFlatten;
  }

  void reduce(const std::string& op, OpNode& n, const std::vector<c10::IValue>& c, int64_t L, const at::Tensor& out) {
    std::vector<int64_t> dims = dims_of(c[1], 3);
    const bool keepdim = c.size() > 2 && c[2].isBool() && c[2].toBool();
    if (dims == std::vector<int64_t>{1}) return position_wise_if(n, L, out, true);
    if (dims != std::vector<int64_t>{2}) throw Blocked{n.op + " over several axes"};
    if (op == "max" && !c[1].isInt()) throw Blocked{"aten::max without a dimension"};
    n.kind = OpKind::kReduce;
    n.reduce = op == "mean" ? ReduceOp::kMean : op == "sum" ? ReduceOp::kSum : ReduceOp::kMax;
    n.keepdim = keepdim;
  }
};

}  // namespace

OpGraphAnalysis torchscript_op_graph(const torch::jit::Module& module, const at::Tensor& sample,
                                     const std::vector<at::Tensor>& args) {
  std::shared_ptr<torch::jit::Module> frozen;
  try {
    frozen = std::make_shared<torch::jit::Module>(torch::jit::freeze(module, c10::nullopt, /*optimize_numerics=*/false));
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("the module cannot be frozen: ") + first_line(e.what())};
  }
  try {
    c10::InferenceMode guard;
    return {Walker(frozen, sample, args).run(), ""};
  } catch (const Blocked& b) {
    return {std::nullopt, b.why};
  } catch (const std::exception& e) {  // an op the walk could not even call
    return {std::nullopt, "graph (" + first_line(e.what()) + ")"};
  }
}

}  // namespace seqnn
