// Native CNNs as op graphs: each block of the config becomes the nodes it runs, with `apply`
// calling the network's own modules so the graph computes exactly what forward() does.
#include <torch/torch.h>

#include "models/model_backend.h"
#include "seqnn/models/cnn.h"
#include "seqnn/models/ensemble_net.h"
#include "seqnn/models/pair_net.h"
#include "seqnn/models/rnn.h"

namespace seqnn {
namespace {

namespace F = torch::nn::functional;

int add_unary(OpGraph& g, int input, OpKind kind, std::string name, bool has_length,
              std::function<at::Tensor(const at::Tensor&)> fn) {
  OpNode n;
  n.kind = kind;
  n.op = std::move(name);
  n.inputs = {input};
  n.has_length = has_length;
  n.apply = [fn = std::move(fn)](const std::vector<at::Tensor>& v) { return fn(v[0]); };
  return g.add(std::move(n));
}

int add_conv(OpGraph& g, int input, const ConvLayerConfig& c, const torch::nn::Conv1d& conv, const std::string& name) {
  OpNode n;
  n.kind = OpKind::kConv;
  n.op = name;
  n.inputs = {input};
  n.has_length = true;
  n.apply = [impl = conv.ptr()](const std::vector<at::Tensor>& v) { return impl->forward(v[0]); };
  n.weight = conv->weight;
  n.bias = conv->bias;
  n.kernel = c.width;
  n.stride = c.stride;
  n.dilation = c.dilation;
  if (c.padding == Padding::kSame) {  // PyTorch's "same": the odd extra column goes on the right
    const int64_t total = c.dilation * (c.width - 1);
    n.pad_left = total / 2;
    n.pad_right = total - n.pad_left;
  }
  return g.add(std::move(n));
}

int add_pool(OpGraph& g, int input, const ConvLayerConfig& c, const std::string& name) {
  const int64_t width = c.pool;
  const bool is_max = c.pool_type == PoolType::kMax;
  int id = add_unary(g, input, OpKind::kPool, name, true, [width, is_max](const at::Tensor& x) {
    return is_max ? F::max_pool1d(x, F::MaxPool1dFuncOptions(width)) : F::avg_pool1d(x, F::AvgPool1dFuncOptions(width));
  });
  OpNode& n = g.nodes[static_cast<size_t>(id)];
  n.kernel = n.stride = width;
  n.max_pool = is_max;
  return id;
}

int add_linear(OpGraph& g, int input, const torch::nn::Linear& linear, const std::string& name) {
  OpNode n;
  n.kind = OpKind::kLinear;
  n.op = name;
  n.inputs = {input};
  n.apply = [impl = linear.ptr()](const std::vector<at::Tensor>& v) { return impl->forward(v[0]); };
  n.weight = linear->weight;
  n.bias = linear->bias;
  return g.add(std::move(n));
}

// Batch norm (in eval) and the activation after a conv or dense layer; dropout is the identity.
int add_norm_and_activation(OpGraph& g, int x, const torch::nn::BatchNorm1d& bn, Activation activation,
                            const std::string& name, bool has_length) {
  const OpKind kind = has_length ? OpKind::kPositionWise : OpKind::kRowWise;
  if (bn) x = add_unary(g, x, kind, name + "_bn", has_length, [impl = bn.ptr()](const at::Tensor& t) { return impl->forward(t); });
  if (activation != Activation::kNone) {
    x = add_unary(g, x, kind, name + "_" + name_of(activation), has_length,
                  [activation](const at::Tensor& t) { return apply_activation(t, activation); });
  }
  return x;
}

// Dropout: the identity here; a Monte-Carlo engine samples its mask (OpNode::dropout).
int add_dropout(OpGraph& g, int x, double p, const std::string& name, bool has_length) {
  if (p <= 0) return x;
  int id = add_unary(g, x, has_length ? OpKind::kPositionWise : OpKind::kRowWise, name + "_dropout", has_length,
                     [](const at::Tensor& t) { return t; });
  g.nodes[static_cast<size_t>(id)].dropout = p;
  return id;
}

int add_global_pool(OpGraph& g, int x, GlobalPool pool) {
  if (pool == GlobalPool::kFlatten) {
    return add_unary(g, x, OpKind::kFlatten, "flatten", false, [](const at::Tensor& t) { return t.flatten(1); });
  }
  const bool is_max = pool == GlobalPool::kMax;
  int id = add_unary(g, x, OpKind::kReduce, is_max ? "global_max" : "global_avg", false, [is_max](const at::Tensor& t) {
    return is_max ? std::get<0>(t.max(2)) : t.mean(2);
  });
  g.nodes[static_cast<size_t>(id)].reduce = is_max ? ReduceOp::kMax : ReduceOp::kMean;
  return id;
}

}  // namespace

OpGraphAnalysis native_op_graph(const CnnNetImpl& net) {
  OpGraph g;
  OpNode input;
  input.kind = OpKind::kInput;
  input.op = "input";
  input.has_length = true;
  int x = g.add(std::move(input));
  const ConvStack& convs = net.conv_stack();
  for (size_t i = 0; i < convs.layers().size(); ++i) {
    const ConvLayerConfig& c = convs.layers()[i];
    const std::string name = "conv" + std::to_string(i);
    x = add_conv(g, x, c, convs.conv(i), name);
    x = add_norm_and_activation(g, x, convs.batch_norm(i), c.activation, name, true);
    if (c.pool > 1) x = add_pool(g, x, c, name + "_pool");
    x = add_dropout(g, x, c.dropout, name, true);
  }
  x = add_global_pool(g, x, net.config().global_pool);
  const DenseStack& dense = net.dense_stack();
  for (size_t i = 0; i < dense.layers().size(); ++i) {
    const std::string name = "dense" + std::to_string(i);
    x = add_linear(g, x, dense.linear(i), name);
    x = add_norm_and_activation(g, x, dense.batch_norm(i), dense.layers()[i].activation, name, false);
    x = add_dropout(g, x, dense.layers()[i].dropout, name, false);
  }
  x = add_linear(g, x, net.output_layer(), "output");
  x = add_norm_and_activation(g, x, torch::nn::BatchNorm1d(nullptr), net.config().output_activation, "output", false);
  g.outputs = {x};
  return {std::move(g), ""};
}

OpGraphAnalysis native_op_graph(const RnnNetImpl&) {
  return {std::nullopt, "recurrent layer (a recurrent state carries every position to the end)"};
}

OpGraphAnalysis native_op_graph(const PairNetImpl&) {
  return {std::nullopt, "two-input network (its second input is not a sequence the graph follows)"};
}

OpGraphAnalysis native_op_graph(const EnsembleNetImpl&) { return {std::nullopt, "ensemble (a mean of whole models)"}; }

}  // namespace seqnn
