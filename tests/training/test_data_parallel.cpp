// Data-parallel training's parts (training/process_group.h, gradient_buckets.h, data_parallel.h):
// the launchers' environments, the split of a batch, and the bucketed gradient sum checked
// against one process's gradient of the whole batch, with two Gloo ranks as two threads here.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <thread>

#include "seqnn/training/data_parallel.h"
#include "seqnn/training/local_workers.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

using Env = std::map<std::string, std::string>;

TEST(DataParallelWorld, TorchrunSlurmAndSingleProcessEnvironments) {
  WorldSpec one = world_from_environment({});
  EXPECT_FALSE(one.distributed());
  EXPECT_EQ(one.launcher, "none");

  WorldSpec t = world_from_environment(
      {{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29999"}});
  EXPECT_EQ(t.rank, 3);
  EXPECT_EQ(t.size, 8);
  EXPECT_EQ(t.local_rank, 1);
  EXPECT_EQ(t.master_addr, "node7");
  EXPECT_EQ(t.master_port, 29999);
  EXPECT_EQ(t.launcher, "torchrun");

  WorldSpec s = world_from_environment({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "6"}, {"SLURM_LOCALID", "2"},
                                        {"SLURM_LAUNCH_NODE_IPADDR", "10.0.0.4"}});
  EXPECT_EQ(s.rank, 5);
  EXPECT_EQ(s.size, 6);
  EXPECT_EQ(s.local_rank, 2);
  EXPECT_EQ(s.master_addr, "10.0.0.4");
  EXPECT_EQ(s.master_port, 29500);
  EXPECT_EQ(s.launcher, "slurm");
  // MASTER_ADDR wins over the node srun ran on; torchrun's variables over SLURM's.
  EXPECT_EQ(world_from_environment({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"MASTER_ADDR", "n1"}}).master_addr, "n1");
  EXPECT_EQ(world_from_environment({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"RANK", "1"}, {"WORLD_SIZE", "4"}}).size, 4);

  auto error = [](const Env& env) { return test::error_of([&] { world_from_environment(env); }); };
  EXPECT_EQ(error({{"RANK", "2"}, {"WORLD_SIZE", "2"}}), "environment: RANK=2 is not below WORLD_SIZE=2");
  EXPECT_EQ(error({{"WORLD_SIZE", "2"}}), "environment: WORLD_SIZE is set but RANK is not");
  EXPECT_EQ(error({{"RANK", "x"}, {"WORLD_SIZE", "2"}}), "environment variable RANK='x' is not an integer >= 0");
  EXPECT_EQ(error({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}),
            "environment: MASTER_PORT must be in 1..65535");
  EXPECT_EQ(error({{"SLURM_PROCID", "4"}, {"SLURM_NTASKS", "4"}}), "environment: SLURM_PROCID=4 is not below SLURM_NTASKS=4");
}

TEST(DataParallelSplit, OneProcessTakesTheWholeBatch) {
  const std::vector<int64_t> rows = {10, 11, 12, 13, 14, 15, 16};
  EXPECT_EQ(DataParallel().part(rows), rows);
  EXPECT_EQ(DataParallel().gather_rows(torch::ones({2, 3})).size(0), 2);
  EXPECT_DOUBLE_EQ(DataParallel().sum(2.5), 2.5);
}

// The model both ranks train: two layers, so its gradients fill several small buckets.
struct TinyNet {
  torch::Tensor w1, b1, w2, b2;
  // Fixed values, not random ones: the ranks are threads, and LibTorch's generator is global.
  TinyNet() {
    w1 = torch::sin(torch::arange(20, torch::kFloat)).reshape({5, 4}).requires_grad_();
    b1 = torch::cos(torch::arange(5, torch::kFloat)).requires_grad_();
    w2 = torch::sin(torch::arange(5, torch::kFloat) * 0.7).reshape({1, 5}).requires_grad_();
    b2 = torch::full({1}, 0.3).requires_grad_();
  }
  std::vector<torch::Tensor> parameters() const { return {w1, b1, w2, b2}; }
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& y) const {
    torch::Tensor h = torch::tanh(torch::nn::functional::linear(x, w1, b1));
    return torch::mse_loss(torch::nn::functional::linear(h, w2, b2), y);
  }
};

// Each rank's gradients after one step on its part of a batch of `n` rows; ranks as threads.
std::vector<std::vector<torch::Tensor>> two_rank_gradients(const torch::Tensor& x, const torch::Tensor& y) {
  const int port = free_local_port();
  std::vector<std::vector<torch::Tensor>> grads(2);
  std::vector<std::string> errors(2);
  auto rank_main = [&](int rank) {
    try {
      WorldSpec w;
      w.rank = rank;
      w.size = 2;
      w.master_port = port;
      ProcessGroupOptions o;
      o.timeout = std::chrono::seconds(30);
      DataParallel dp(ProcessGroup::join(w, o), /*bucket_bytes=*/24);  // several buckets
      TinyNet net;
      dp.attach(net.parameters());
      std::vector<int64_t> all(static_cast<size_t>(x.size(0)));
      for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
      const std::vector<int64_t> part = dp.part(all);
      for (int step = 0; step < 2; ++step) {  // the second step reuses the buckets
        for (auto& p : net.parameters()) p.mutable_grad() = torch::Tensor();
        dp.begin_step(static_cast<int64_t>(part.size()), x.size(0));
        if (!part.empty()) {
          auto idx = torch::tensor(part);
          net.loss(x.index_select(0, idx), y.index_select(0, idx)).backward();
        }
        dp.end_step();
      }
      for (auto& p : net.parameters()) grads[static_cast<size_t>(rank)].push_back(p.grad().clone());
    } catch (const std::exception& e) {
      errors[static_cast<size_t>(rank)] = e.what();
    }
  };
  std::thread r0(rank_main, 0), r1(rank_main, 1);
  r0.join();
  r1.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  return grads;
}

void expect_whole_batch_gradients(int64_t n) {
  torch::manual_seed(3);
  const torch::Tensor x = torch::randn({n, 4}), y = torch::randn({n, 1});
  TinyNet one;
  one.loss(x, y).backward();
  const auto grads = two_rank_gradients(x, y);
  ASSERT_EQ(grads[0].size(), 4u);
  ASSERT_EQ(grads[1].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_LE(test::relative_diff(one.parameters()[i].grad(), grads[0][i]), 1e-6) << "n=" << n << " parameter " << i;
    EXPECT_LE(test::max_abs_diff(grads[0][i], grads[1][i]), 0.0) << "the ranks disagree, n=" << n;
  }
}

TEST(GradientBuckets, TwoRanksSumToTheWholeBatchGradient) {
  expect_whole_batch_gradients(8);  // even halves
  expect_whole_batch_gradients(7);  // 3 and 4 rows: weights 3/7 and 4/7
  expect_whole_batch_gradients(1);  // rank 0 has no rows and sends zeros
}

TEST(GradientBuckets, ABucketWaitsForItsParameters) {
  // One process: nothing is hooked, the gradients are the local ones.
  TinyNet net;
  DataParallel dp;
  dp.attach(net.parameters());
  dp.begin_step(2, 2);
  net.loss(torch::ones({2, 4}), torch::zeros({2, 1})).backward();
  dp.end_step();
  TinyNet ref;
  ref.loss(torch::ones({2, 4}), torch::zeros({2, 1})).backward();
  EXPECT_LE(test::max_abs_diff(net.w1.grad(), ref.w1.grad()), 0.0);
}

TEST(DataParallelGather, RowsOfDifferentCountsComeBackInRankOrder) {
  const int port = free_local_port();
  std::vector<torch::Tensor> got(2);
  std::vector<std::vector<int64_t>> parts(2);
  auto rank_main = [&](int rank) {
    WorldSpec w;
    w.rank = rank;
    w.size = 2;
    w.master_port = port;
    DataParallel dp(ProcessGroup::join(w, ProcessGroupOptions()));
    torch::Tensor mine = rank == 0 ? torch::tensor({{1.f, 2.f}}) : torch::tensor({{3.f, 4.f}, {5.f, 6.f}});
    got[static_cast<size_t>(rank)] = dp.gather_rows(mine);
    parts[static_cast<size_t>(rank)] = dp.part({10, 11, 12, 13, 14, 15, 16});
    EXPECT_DOUBLE_EQ(dp.sum(rank + 1.5), 4.0);
    std::vector<torch::Tensor> b = {torch::full({3}, static_cast<float>(rank))};
    dp.broadcast_from_first(b);
    EXPECT_EQ(b[0].sum().item<float>(), 0.f);
  };
  std::thread r0(rank_main, 0), r1(rank_main, 1);
  r0.join();
  r1.join();
  const torch::Tensor expected = torch::tensor({{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}});
  EXPECT_TENSOR_NEAR(got[0], expected, 0.0);
  EXPECT_TENSOR_NEAR(got[1], expected, 0.0);
  // Contiguous blocks [n r / w, n (r + 1) / w): every row once, the larger block last.
  EXPECT_EQ(parts[0], (std::vector<int64_t>{10, 11, 12}));
  EXPECT_EQ(parts[1], (std::vector<int64_t>{13, 14, 15, 16}));
}

TEST(DataParallelRendezvous, AMissingRankTimesOutWithOneLine) {
  WorldSpec w;
  w.rank = 1;
  w.size = 2;
  w.master_port = free_local_port();  // nobody serves it
  ProcessGroupOptions o;
  o.timeout = std::chrono::seconds(1);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string e = test::error_of([&] { ProcessGroup::join(w, o); });
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 30.0);
  EXPECT_EQ(e.rfind("rendezvous at 127.0.0.1:" + std::to_string(w.master_port) + " did not complete within 1 s", 0), 0u) << e;
  EXPECT_NE(e.find("are all 2 ranks started"), std::string::npos) << e;
}

}  // namespace
}  // namespace seqnn
