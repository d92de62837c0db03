#include "attribution/deeplift.h"

#include <torch/torch.h>

#include <set>

#include "seqnn/util/error.h"

namespace seqnn::deeplift {

// How a node's gradient is taken (outside the anonymous namespace: Engine::Impl holds them).
enum class Rule { kInput, kFixed, kLinear, kRescale, kMax };

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The op's name without its origin: "aten::relu" -> "relu"; native layers ("conv0_relu",
// "dense1_bn") -> the part after the layer's name.
std::string base_name(const std::string& op) {
  if (op.rfind("aten::", 0) == 0) return op.substr(6);
  const size_t u = op.find('_');
  return u == std::string::npos ? op : op.substr(u + 1);
}

const std::set<std::string>& rescale_ops() {
  static const std::set<std::string> ops = {
      "relu", "relu_", "leaky_relu", "leaky_relu_", "gelu", "sigmoid", "sigmoid_", "tanh", "tanh_", "softplus",
      "exp", "exp_", "elu", "elu_", "selu", "celu", "silu", "silu_", "mish", "hardtanh", "hardtanh_",
      "hardsigmoid", "hardswish", "log", "log1p", "sqrt", "rsqrt", "square", "pow", "abs", "clamp", "clamp_",
      "clamp_min", "clamp_max", "reciprocal", "erf", "sin", "cos"};
  return ops;
}

// Linear in every input that depends on the sequence.
const std::set<std::string>& linear_ops() {
  static const std::set<std::string> ops = {
      "add", "add_", "sub", "sub_", "rsub", "neg", "contiguous", "clone", "to", "type_as", "batch_norm", "bn",
      "dropout", "dropout_", "feature_dropout", "alpha_dropout", "feature_alpha_dropout", "cat", "stack", "slice",
      "select", "flatten", "view", "reshape", "unsqueeze", "squeeze", "transpose", "permute", "unflatten", "mean",
      "sum"};
  return ops;
}

// Linear when only one factor depends on the sequence (for div: the numerator).
const std::set<std::string>& product_ops() {
  static const std::set<std::string> ops = {"mul", "mul_", "div", "div_", "linear", "addmm", "matmul", "mm"};
  return ops;
}

const std::set<std::string>& max_ops() {
  static const std::set<std::string> ops = {"max_pool1d", "amax", "max"};
  return ops;
}

bool is_inplace(const std::string& base) { return !base.empty() && base.back() == '_'; }

// A node with a custom backward, as the autograd function sees it.
struct Site {
  const OpNode* node = nullptr;
  std::vector<at::Tensor> inputs;  // the node's inputs; `slot` is the one that depends on the sequence
  size_t slot = 0;
  bool inplace = false;
  double eps = 1e-6;
  at::Tensor call(const at::Tensor& z) const {
    std::vector<at::Tensor> in = inputs;
    in[slot] = inplace ? z.clone() : z;
    return node->apply(in);
  }
};

const Site* site_of(AutogradContext* ctx) {
  return reinterpret_cast<const Site*>(static_cast<intptr_t>(ctx->saved_data["site"].toInt()));
}

// d call(z) / d z applied to `grad_out`, with autograd on inside a backward pass.
at::Tensor vjp(const Site& site, const at::Tensor& z, const at::Tensor& grad_out) {
  torch::AutoGradMode on(true);
  at::Tensor zz = z.detach().requires_grad_(true);
  at::Tensor y = site.call(zz);
  auto g = torch::autograd::grad({y}, {zz}, {grad_out}, /*retain_graph=*/false, /*create_graph=*/false,
                                 /*allow_unused=*/true);
  return g[0].defined() ? g[0] : torch::zeros_like(z);
}

void check_same_shape(const Site& site, const at::Tensor& z, const at::Tensor& y) {
  if (y.sizes() != z.sizes()) {
    throw Error("deeplift-shap: the model's " + site.node->op + " changes the shape of its input (" +
                c10::str(z.sizes()) + " -> " + c10::str(y.sizes()) + "), which the rescale rule needs kept");
  }
}

// The rescale rule: multiplier (f(x) - f(r)) / (x - r) on the input half, f'(x) where the
// difference is below rounding; the reference half gets no gradient (only f(x) is differentiated).
struct RescaleFn : public torch::autograd::Function<RescaleFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& z, const Site* site) {
    at::Tensor y = site->call(z);
    check_same_shape(*site, z, y);
    ctx->save_for_backward({z, y});
    ctx->saved_data["site"] = static_cast<int64_t>(reinterpret_cast<intptr_t>(site));
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Site& site = *site_of(ctx);
    auto saved = ctx->get_saved_variables();
    const at::Tensor& z = saved[0];
    const at::Tensor& y = saved[1];
    const int64_t M = z.size(0) / 2;
    at::Tensor gx = grads[0].narrow(0, 0, M);
    at::Tensor dx = z.narrow(0, 0, M) - z.narrow(0, M, M);
    at::Tensor dy = y.narrow(0, 0, M) - y.narrow(0, M, M);
    at::Tensor small = dx.abs() < site.eps;
    at::Tensor m = gx * dy / torch::where(small, torch::ones_like(dx), dx);
    if (small.any().item<bool>()) {
      at::Tensor grad = vjp(site, z, torch::cat({gx, torch::zeros_like(gx)})).narrow(0, 0, M);
      m = torch::where(small, grad, m);
    }
    return {torch::cat({m, torch::zeros_like(m)}), at::Tensor()};
  }
};

// The max rule (shap's maxpool): with c = max(max(x), max(r)) per window, the input half's
// ordinary max gradient carries g * (c - max(r)) to the position of max(x), the reference half's
// carries g * (max(x) - c) to the position of max(r); one of the two is 0, the other the window's
// whole difference, and each position divides what it received by its own x - r (never 0 where
// something arrives: that position's difference is at least the window's).
struct MaxFn : public torch::autograd::Function<MaxFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& z, const Site* site) {
    at::Tensor y = site->call(z);
    ctx->save_for_backward({z, y});
    ctx->saved_data["site"] = static_cast<int64_t>(reinterpret_cast<intptr_t>(site));
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Site& site = *site_of(ctx);
    auto saved = ctx->get_saved_variables();
    const at::Tensor& z = saved[0];
    const at::Tensor& y = saved[1];
    const int64_t M = z.size(0) / 2;
    at::Tensor gx = grads[0].narrow(0, 0, M);
    at::Tensor yx = y.narrow(0, 0, M), yr = y.narrow(0, M, M);
    at::Tensor c = torch::maximum(yx, yr);
    at::Tensor spread = vjp(site, z, torch::cat({gx * (c - yr), gx * (yx - c)}));
    at::Tensor arrived = spread.narrow(0, 0, M) + spread.narrow(0, M, M);
    at::Tensor dx = z.narrow(0, 0, M) - z.narrow(0, M, M);
    at::Tensor small = dx.abs() < site.eps;
    at::Tensor m = torch::where(small, torch::zeros_like(dx), arrived / torch::where(small, torch::ones_like(dx), dx));
    return {torch::cat({m, torch::zeros_like(m)}), at::Tensor()};
  }
};

std::string supported_ops_line() {
  return "conv, linear, pools, crops, reshapes, batch norm, add/sub, products with values independent of the "
         "sequence, relu/sigmoid/tanh/softplus/exp/elu/gelu/silu and other univariate functions, max pool and "
         "max over an axis";
}

}  // namespace

at::Tensor scalar_of(const at::Tensor& output, const std::vector<int64_t>& targets) {
  at::Tensor o = output;
  if (!targets.empty()) {
    if (o.dim() < 2) throw Error("--target: the output has no columns (shape " + c10::str(o.sizes()) + ")");
    for (int64_t t : targets) {
      if (t < 0 || t >= o.size(1)) {
        throw Error("--target " + std::to_string(t) + ": the output has " + std::to_string(o.size(1)) + " columns");
      }
    }
    o = o.index_select(1, torch::tensor(targets, torch::TensorOptions().dtype(torch::kLong).device(o.device())));
  }
  return o.dim() == 1 ? o : o.flatten(1).sum(1);
}

struct Engine::Impl {
  OpGraph graph;
  std::vector<Rule> rules;
  std::vector<size_t> slots;  // kRescale / kMax: the input that depends on the sequence
  double eps = 1e-6;
};

Engine::Engine(Model& model, const at::Tensor& x, const std::vector<at::Tensor>& args) : impl_(std::make_unique<Impl>()) {
  OpGraphAnalysis analysis = analyse_op_graph(model, x, args);
  if (!analysis.graph) throw Error("deeplift-shap: the model cannot be read as an op graph: " + analysis.blocked_by);
  Impl& p = *impl_;
  p.graph = std::move(*analysis.graph);
  p.eps = x.scalar_type() == at::kDouble ? 1e-10 : 1e-6;
  const size_t n = p.graph.nodes.size();
  std::vector<bool> depends(n, false);
  p.rules.assign(n, Rule::kFixed);
  p.slots.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const OpNode& node = p.graph.nodes[i];
    if (node.kind == OpKind::kInput) {
      p.rules[i] = Rule::kInput;
      depends[i] = node.input_index == 0;
      continue;
    }
    std::vector<size_t> dep;
    for (size_t j = 0; j < node.inputs.size(); ++j) {
      if (depends[static_cast<size_t>(node.inputs[j])]) dep.push_back(j);
    }
    if (dep.empty()) continue;  // kFixed: the same for input and reference rows
    depends[i] = true;
    const std::string base = base_name(node.op);
    Rule rule = Rule::kLinear;
    const bool max_like = (node.kind == OpKind::kPool && node.max_pool) ||
                          (node.kind == OpKind::kReduce && node.reduce == ReduceOp::kMax) ||
                          ((node.kind == OpKind::kPositionWise || node.kind == OpKind::kRowWise) && max_ops().count(base));
    if (max_like) {
      rule = Rule::kMax;
    } else if (node.kind == OpKind::kPositionWise || node.kind == OpKind::kRowWise) {
      const bool divisor = (base == "div" || base == "div_") && dep.size() == 1 && dep[0] != 0;
      if (rescale_ops().count(base) || divisor) {
        rule = Rule::kRescale;
      } else if (product_ops().count(base)) {
        if (dep.size() > 1) {
          throw Error("deeplift-shap: no DeepLIFT rule for the model's " + node.op +
                      " of two values that both depend on the sequence (supported: " + supported_ops_line() + ")");
        }
      } else if (!linear_ops().count(base)) {
        throw Error("deeplift-shap: no DeepLIFT rule for the model's " + node.op + " (supported: " + supported_ops_line() + ")");
      }
    }
    if (rule != Rule::kLinear && dep.size() != 1) {
      throw Error("deeplift-shap: no DeepLIFT rule for the model's " + node.op + " of several values that depend on the sequence");
    }
    p.rules[i] = rule;
    p.slots[i] = dep.empty() ? 0 : dep[0];
  }
  // The graph must be the model: a graph read op by op could miss what an op does.
  torch::NoGradGuard no_grad;
  const std::string gap = op_graph_output_gap(model.forward(x, args), [&] {
    std::vector<at::Tensor> values = run_op_graph(p.graph, x, args);
    std::vector<at::Tensor> outs;
    for (int o : p.graph.outputs) outs.push_back(values[static_cast<size_t>(o)]);
    return outs;
  }());
  if (!gap.empty()) throw Error("deeplift-shap: the model's op graph does not reproduce its forward pass (" + gap + ")");
}

Engine::~Engine() = default;

Engine::Pass Engine::run(const at::Tensor& x, const at::Tensor& r, const std::vector<at::Tensor>& args, size_t output,
                         const std::vector<int64_t>& targets) {
  const Impl& p = *impl_;
  if (output >= p.graph.outputs.size()) throw Error("deeplift-shap: output " + std::to_string(output) + " is not in the graph");
  torch::AutoGradMode grad_on(true);
  const int64_t M = x.size(0);
  at::Tensor z = torch::cat({x, r}).detach().requires_grad_(true);
  std::vector<at::Tensor> args2;
  for (const at::Tensor& a : args) args2.push_back(torch::cat({a, a}));
  std::vector<std::unique_ptr<Site>> sites;
  std::vector<at::Tensor> values(p.graph.nodes.size());
  for (size_t i = 0; i < p.graph.nodes.size(); ++i) {
    const OpNode& node = p.graph.nodes[i];
    if (p.rules[i] == Rule::kInput) {
      if (node.input_index > static_cast<int>(args2.size())) {
        throw Error("the model takes " + std::to_string(node.input_index) + " extra input(s), " + std::to_string(args2.size()) + " given");
      }
      values[i] = node.input_index == 0 ? z : args2[static_cast<size_t>(node.input_index - 1)];
      continue;
    }
    std::vector<at::Tensor> in;
    in.reserve(node.inputs.size());
    for (int j : node.inputs) in.push_back(values[static_cast<size_t>(j)]);
    const bool inplace = is_inplace(base_name(node.op));
    if (p.rules[i] == Rule::kFixed || p.rules[i] == Rule::kLinear) {
      if (inplace) in[0] = in[0].clone();
      values[i] = node.apply(in);
      continue;
    }
    auto site = std::make_unique<Site>();
    site->node = &node;
    site->slot = p.slots[i];
    site->inplace = inplace;
    site->eps = p.eps;
    const at::Tensor zin = in[site->slot];
    site->inputs = std::move(in);
    site->inputs[site->slot] = at::Tensor();  // filled per call
    values[i] = p.rules[i] == Rule::kRescale ? RescaleFn::apply(zin, site.get()) : MaxFn::apply(zin, site.get());
    sites.push_back(std::move(site));
  }
  at::Tensor s = scalar_of(values[static_cast<size_t>(p.graph.outputs[output])], targets);
  values.clear();
  Pass pass;
  pass.fx = s.narrow(0, 0, M).detach();
  pass.fr = s.narrow(0, M, M).detach();
  if (!s.requires_grad()) {  // the output does not depend on the sequence
    pass.multipliers = torch::zeros_like(x);
    return pass;
  }
  auto g = torch::autograd::grad({s.narrow(0, 0, M).sum()}, {z}, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                 /*allow_unused=*/true);
  pass.multipliers = g[0].defined() ? g[0].narrow(0, 0, M) : torch::zeros_like(x);
  return pass;
}

}  // namespace seqnn::deeplift
