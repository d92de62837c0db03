#include "seqnn/models/rnn.h"

#include <torch/torch.h>

#include "seqnn/util/error.h"

namespace seqnn {

namespace F = torch::nn::functional;
namespace rnn_utils = torch::nn::utils::rnn;

torch::Tensor one_hot_lengths(const torch::Tensor& x) {
  // Position after the last non-zero column; trailing all-zero columns are padding.
  const int64_t L = x.size(2);
  torch::Tensor nonzero = x.detach().abs().sum(1).gt(0).to(torch::kLong);       // (N, L)
  torch::Tensor pos = torch::arange(1, L + 1, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
  return (nonzero * pos).amax(1).clamp_min(1).to(torch::kCPU);
}

RnnNetImpl::RnnNetImpl(RnnConfig config) : config_(std::move(config)) {
  int64_t channels = config_.alphabet_size();
  if (config_.embedding > 0) {
    // Index 0 is padding / unknown (an all-zero one-hot column); letters are 1..A.
    embedding_ = register_module(
        "embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(channels + 1, config_.embedding).padding_idx(0)));
    channels = config_.embedding;
  }
  conv_ = ConvStack(*this, config_.conv, channels);
  channels = conv_.out_channels();
  const double between = config_.layers > 1 ? config_.rnn_dropout : 0.0;
  if (config_.cell == RnnCell::kLstm) {
    lstm_ = register_module("rnn", torch::nn::LSTM(torch::nn::LSTMOptions(channels, config_.hidden)
                                                      .num_layers(config_.layers)
                                                      .batch_first(true)
                                                      .bidirectional(config_.bidirectional)
                                                      .dropout(between)));
  } else {
    gru_ = register_module("rnn", torch::nn::GRU(torch::nn::GRUOptions(channels, config_.hidden)
                                                    .num_layers(config_.layers)
                                                    .batch_first(true)
                                                    .bidirectional(config_.bidirectional)
                                                    .dropout(between)));
  }
  dense_ = DenseStack(*this, config_.dense, config_.hidden * (config_.bidirectional ? 2 : 1));
  output_ = register_module("output", torch::nn::Linear(dense_.out_features(), config_.outputs));
}

torch::Tensor RnnNetImpl::encode(const torch::Tensor& x) {
  torch::Tensor h;
  if (embedding_) {
    torch::Tensor present = x.abs().sum(1).gt(0);                       // (N, L)
    torch::Tensor index = (x.argmax(1) + 1) * present.to(torch::kLong);  // 0 = padding / unknown
    h = embedding_->forward(index).transpose(1, 2);                     // (N, E, L)
  } else {
    h = x;
  }
  h = conv_.forward(h);
  return h.transpose(1, 2).contiguous();  // (N, L', F)
}

torch::Tensor RnnNetImpl::run_rnn(const torch::Tensor& features, const torch::Tensor& lengths) {
  auto packed = rnn_utils::pack_padded_sequence(features, lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  torch::Tensor h_n;
  auto run = [&]() -> rnn_utils::PackedSequence {
    if (lstm_) {
      auto result = lstm_->forward_with_packed_input(packed);
      h_n = std::get<0>(std::get<1>(result));
      return std::get<0>(result);
    }
    auto result = gru_->forward_with_packed_input(packed);
    h_n = std::get<1>(result);
    return std::get<0>(result);
  };
  rnn_utils::PackedSequence out = run();
  if (config_.pool == SequencePool::kLast) {
    // h_n: (layers * directions, N, H); the top layer's final states (both directions).
    if (!config_.bidirectional) return h_n[h_n.size(0) - 1];
    return torch::cat({h_n[h_n.size(0) - 2], h_n[h_n.size(0) - 1]}, 1);
  }
  auto padded = rnn_utils::pad_packed_sequence(out, /*batch_first=*/true, /*padding_value=*/0.0,
                                               /*total_length=*/features.size(1));
  torch::Tensor seq = std::get<0>(padded);  // (N, L', F)
  torch::Tensor mask = torch::arange(features.size(1)).unsqueeze(0).lt(lengths.unsqueeze(1)).to(seq.device());
  if (config_.pool == SequencePool::kMean) {
    return (seq * mask.unsqueeze(2)).sum(1) / lengths.to(seq.device(), seq.scalar_type()).unsqueeze(1);
  }
  return std::get<0>(seq.masked_fill(mask.logical_not().unsqueeze(2), -std::numeric_limits<float>::infinity()).max(1));
}

torch::Tensor RnnNetImpl::forward(torch::Tensor x) {
  if (x.dim() != 3 || x.size(1) != config_.alphabet_size()) {
    throw Error("input of shape " + c10::str(x.sizes()) + " does not match the model's (N, " +
                std::to_string(config_.alphabet_size()) + ", L) layout");
  }
  torch::Tensor lengths = one_hot_lengths(x);
  // Lengths after the conv stack, by the same rule as the layer shapes.
  for (const auto& c : config_.conv) {
    if (c.padding == Padding::kValid) lengths = (lengths - c.dilation * (c.width - 1) - 1).div(c.stride, "floor") + 1;
    lengths = lengths.div(c.pool, "floor").clamp_min(1);
  }
  torch::Tensor features = encode(x);
  lengths = lengths.clamp_max(features.size(1));
  torch::Tensor h = run_rnn(features, lengths);
  h = dense_.forward(h);
  return apply_activation(output_->forward(h), config_.output_activation);
}

}  // namespace seqnn
