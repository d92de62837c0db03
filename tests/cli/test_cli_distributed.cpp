// `seqnn train` on two local Gloo processes (--nproc 2, the torchrun variables it sets): the
// result of one process with the summed batch, the same bytes for the same seed, and a clean stop
// when a rank is killed, from whose last checkpoint --resume continues to the uninterrupted result.
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "deepsequence/toy_data.h"
#include "seqnn/deepsequence/checkpoint.h"
#include "seqnn/models/model.h"
#include "seqnn/models/native.h"
#include "seqnn/sequence/alphabet.h"
#include "seqnn/sequence/encoding.h"
#include "seqnn/training/char_lm.h"
#include "seqnn/training/local_workers.h"
#include "seqnn/training/process_group.h"
#include "test_helpers.h"

namespace seqnn {
namespace {

using test::read_text;
using test::run_cli;
using test::TempDir;

// Positives carry a motif (as in TrainingCli.TrainPredictPlotAndErrors); fixed length, so a
// rank's batch pads like the whole batch would. No dropout, no batch norm.
std::string motif_data(const TempDir& dir) {
  auto seqs = random_sequences(240, 30, Alphabet::dna(), 4);
  std::string pos, neg;
  for (size_t i = 0; i < seqs.size(); ++i) {
    std::string s = seqs[i];
    if (i % 2 == 0) s.replace(i % 24, 6, "TTGACA");
    (i % 2 == 0 ? pos : neg) += ">s" + std::to_string(i) + "\n" + s + "\n";
  }
  test::write_text(dir.file("pos.fa"), pos);
  test::write_text(dir.file("neg.fa"), neg);
  return "train --num-filters 8 --filter-width 5 --lr 0.01 --positives " + dir.file("pos.fa") + " --negatives " +
         dir.file("neg.fa") + " --val-fraction 0.25 --test-fraction 0.2 --threads 1 --seed 3 -q";
}

std::vector<torch::Tensor> parameters_of(const std::string& path) {
  std::vector<torch::Tensor> out;
  for (const auto& p : native_module(Model::load(path))->parameters()) out.push_back(p.detach().clone());
  return out;
}

double largest_parameter_difference(const std::string& a, const std::string& b) {
  const auto pa = parameters_of(a), pb = parameters_of(b);
  EXPECT_EQ(pa.size(), pb.size());
  double worst = 0;
  for (size_t i = 0; i < pa.size() && i < pb.size(); ++i) worst = std::max(worst, test::relative_diff(pa[i], pb[i]));
  return worst;
}

// The last column of every metrics.csv row but the header: the set and epoch, in order.
std::string metrics_rows(const std::string& path) {
  std::string out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const size_t cut = line.rfind(',', line.rfind(',') - 1);
    out += line.substr(cut + 1) + "\n";
  }
  return out;
}

TEST(DistributedTraining, TwoProcessesGiveTheSingleProcessResultWithTheSummedBatch) {
  TempDir dir;
  const std::string base = motif_data(dir);
  auto one = run_cli(base + " --epochs 3 --batch-size 32 --out " + dir.file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_cli(base + " --epochs 3 --batch-size 16 --nproc 2 --out " + dir.file("two"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("across 2 ranks"), std::string::npos) << two.output;
  for (int epoch = 1; epoch <= 3; ++epoch) {
    const std::string name = "/checkpoint_" + std::to_string(epoch) + ".pt";
    EXPECT_LE(largest_parameter_difference(dir.file("one") + name, dir.file("two") + name), 1e-5) << name;
  }
  // Metrics on the union of the ranks' predictions: the same rows, values to float rounding.
  EXPECT_EQ(metrics_rows(dir.file("one") + "/metrics.csv"), metrics_rows(dir.file("two") + "/metrics.csv"));
  EXPECT_EQ(test::exists(dir.file("two") + "/test_predictions.tsv"), true);
  EXPECT_EQ(test::read_text(dir.file("one") + "/test_predictions.tsv").size(),
            test::read_text(dir.file("two") + "/test_predictions.tsv").size());

  // The same seed again: the same files, bit for bit.
  auto again = run_cli(base + " --epochs 3 --batch-size 16 --nproc 2 --out " + dir.file("again"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(read_text(dir.file("two") + "/metrics.csv"), read_text(dir.file("again") + "/metrics.csv"));
  EXPECT_EQ(largest_parameter_difference(dir.file("two") + "/model_best.pt", dir.file("again") + "/model_best.pt"), 0.0);
}

// The pid of the worker process of rank `rank` whose command line mentions `marker`, or -1.
pid_t worker_pid(int rank, const std::string& marker) {
  DIR* proc = opendir("/proc");
  pid_t found = -1;
  while (dirent* e = proc ? readdir(proc) : nullptr) {
    const std::string name = e->d_name;
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmd("/proc/" + name + "/cmdline"), env("/proc/" + name + "/environ");
    std::string c((std::istreambuf_iterator<char>(cmd)), {}), v((std::istreambuf_iterator<char>(env)), {});
    const std::string want = std::string("RANK=") + std::to_string(rank) + '\0';
    if (c.find(marker) != std::string::npos && v.find('\0' + want) != std::string::npos &&
        v.find("SEQNN_LOCAL_WORKER=1") != std::string::npos) {
      found = static_cast<pid_t>(std::stol(name));
    }
  }
  if (proc) closedir(proc);
  return found;
}

TEST(DistributedTraining, AKilledRankStopsTheRunAndResumeContinuesFromTheLastCheckpoint) {
  TempDir dir;
  const std::string base = motif_data(dir) + " --batch-size 2 --nproc 2 --epochs 30";
  const std::string out = dir.file("killed");
  const pid_t launcher = fork();
  if (launcher == 0) {
    const std::string command = "exec " + std::string(SEQNN_CLI_PATH) + " " + base + " --out " + out + " 2>" + dir.file("err");
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill rank 1 once the run has a few checkpoints.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!test::exists(out + "/checkpoint_3.pt") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const pid_t victim = worker_pid(1, out);
  ASSERT_GT(victim, 0) << "no rank 1 worker found";
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  const auto killed_at = std::chrono::steady_clock::now();
  int status = 0;
  ASSERT_EQ(waitpid(launcher, &status, 0), launcher);
  const double stop_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
  EXPECT_LT(stop_seconds, 30.0) << "the other rank did not stop in bounded time";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGKILL);
  const std::string err = read_text(dir.file("err"));
  EXPECT_NE(err.find("seqnn train: rank 1 of 2 was killed by signal 9"), std::string::npos) << err;
  EXPECT_FALSE(test::exists(out + "/checkpoint_30.pt")) << "the run finished before the kill: " << err;
  EXPECT_EQ(worker_pid(0, out), -1) << "rank 0 outlived the run";

  auto resumed = run_cli(base + " --resume --out " + out);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  auto full = run_cli(base + " --out " + dir.file("full"));
  ASSERT_EQ(full.exit_code, 0) << full.output;
  EXPECT_EQ(read_text(out + "/metrics.csv"), read_text(dir.file("full") + "/metrics.csv"));
  EXPECT_EQ(largest_parameter_difference(out + "/model_best.pt", dir.file("full") + "/model_best.pt"), 0.0);
}

TEST(DistributedTraining, LauncherMisuseAndALonelyRankFailInOneLine) {
  TempDir dir;
  const std::string base = motif_data(dir) + " --epochs 1";
  auto nested = test::run_shell("RANK=0 WORLD_SIZE=2 " + std::string(SEQNN_CLI_PATH) + " " + base + " --nproc 2 --out " +
                                dir.file("n"));
  EXPECT_EQ(nested.exit_code, 1);
  EXPECT_NE(nested.output.find("--nproc starts its own workers: under torchrun or srun"), std::string::npos) << nested.output;

  // Rank 0 of 2 whose partner never comes: the rendezvous gives up after --dist-timeout.
  const std::string port = std::to_string(free_local_port());
  auto alone = test::run_shell("RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + port + " " +
                               std::string(SEQNN_CLI_PATH) + " " + base + " --dist-timeout 1 --out " + dir.file("a"));
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_NE(alone.output.find("seqnn train (rank 0 of 2): error: rendezvous at 127.0.0.1:" + port + " did not complete"),
            std::string::npos)
      << alone.output;
  EXPECT_FALSE(test::exists(dir.file("a") + "/checkpoint_1.pt"));
}

TEST(DistributedTraining, LanguageModelOnTwoProcessesEqualsOneWithTheSummedBatch) {
  TempDir dir;
  motif_data(dir);
  const std::string base = "train-lm --fasta " + dir.file("pos.fa") + " --hidden 16 --embedding 8 --epochs 2 --threads 1 --seed 2 -q";
  auto one = run_cli(base + " --batch-size 16 --out " + dir.file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_cli(base + " --batch-size 8 --nproc 2 --out " + dir.file("two"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("across 2 ranks"), std::string::npos) << two.output;
  // Each rank's gradient weighted by its share of the batch's tokens: one process's step.
  const auto a = load_char_lm(dir.file("one") + "/checkpoint_2.pt")->parameters();
  const auto b = load_char_lm(dir.file("two") + "/checkpoint_2.pt")->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_LE(test::relative_diff(a[i], b[i]), 1e-5) << "parameter " << i;
  EXPECT_EQ(metrics_rows(dir.file("one") + "/metrics.csv"), metrics_rows(dir.file("two") + "/metrics.csv"));
}

// S1 has batch norm and averages its loss over each batch's valid pixels, so two ranks are not one
// process with the summed batch; they train, agree with each other and repeat bit for bit.
TEST(DistributedTraining, RnaS1TrainsOnTwoProcessesDeterministically) {
  TempDir dir;
  std::string table = "id\tsequence\tstructure\n";
  const auto seqs = random_sequences(60, 24, Alphabet::rna(), 8);
  for (size_t k = 0; k < seqs.size(); ++k) {
    std::string s = seqs[k];
    const std::string db = k % 2 ? "..((((....))))..((...)).." : "....(((((......)))))....";
    const std::string structure = db.substr(0, 24);
    for (size_t p = 0; p < 24; ++p) s[p] = structure[p] == '(' ? 'G' : structure[p] == ')' ? 'C' : s[p];
    table += "r" + std::to_string(k) + "\t" + s + "\t" + structure + "\n";
  }
  test::write_text(dir.file("t.tsv"), table);
  const std::string base = "rna train --data " + dir.file("t.tsv") + " --num-filters 4,4 --filter-width 3,3 --dense-units 4 "
                           "--epochs 2 --batch-size 4 --val-fraction 0.2 --threads 1 --seed 3 -q --nproc 2 --out ";
  auto first = run_cli(base + dir.file("a"));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("across 2 ranks"), std::string::npos) << first.output;
  auto again = run_cli(base + dir.file("b"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(read_text(dir.file("a") + "/metrics.csv"), read_text(dir.file("b") + "/metrics.csv"));
  EXPECT_TRUE(test::exists(dir.file("a") + "/model_best.pt"));
}

// DeepSequence's weights are sampled tensors made each step: their gradients are averaged after the
// backward pass (DataParallel::sum_in_place); every rank draws the same global batch and noise.
TEST(DistributedTraining, DeepSequenceOnTwoProcessesEqualsOneWithTheSummedBatch) {
  TempDir dir;
  test::write_text(dir.file("toy.a2m"), ds::test_data::toy_alignment());
  std::string config = ds::test_data::toy_config();
  test::write_text(dir.file("b10.json"), config);
  config.replace(config.find("\"batch_size\": 10"), 16, "\"batch_size\": 20");
  test::write_text(dir.file("b20.json"), config);
  const std::string base = "deepseq train -a " + dir.file("toy.a2m") + " --updates 20 --checkpoint-every 10 --log-every 5 "
                           "--seed 3 --threads 1 -q ";
  auto one = run_cli(base + "-c " + dir.file("b20.json") + " -o " + dir.file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_cli(base + "-c " + dir.file("b10.json") + " --nproc 2 -o " + dir.file("two"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("across 2 ranks"), std::string::npos) << two.output;
  const ds::Checkpoint a = ds::load_checkpoint(dir.file("one") + "/checkpoint_20.pt");
  const ds::Checkpoint b = ds::load_checkpoint(dir.file("two") + "/checkpoint_20.pt");
  EXPECT_LE(test::relative_diff(a.model->encoder_params(), b.model->encoder_params()), 1e-4);
  EXPECT_LE(test::relative_diff(a.model->decoder_mu(), b.model->decoder_mu()), 1e-4);
  EXPECT_LE(test::relative_diff(a.model->decoder_log_sigma(), b.model->decoder_log_sigma()), 1e-4);
}

TEST(DistributedTraining, NcclWithTwoGpus) {
  if (!torch::cuda::is_available() || torch::cuda::device_count() < 2) GTEST_SKIP() << "NCCL needs 2 CUDA devices";
  if (!comm_backend_available(CommBackend::kNccl)) GTEST_SKIP() << "this build has no NCCL (-DSEQNN_NCCL=ON)";
  TempDir dir;
  const std::string base = motif_data(dir) + " --epochs 2 --device cuda --backend nccl";
  auto one = run_cli(base + " --batch-size 32 --nproc 1 --out " + dir.file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_cli(base + " --batch-size 16 --nproc 2 --out " + dir.file("two"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_LE(largest_parameter_difference(dir.file("one") + "/checkpoint_2.pt", dir.file("two") + "/checkpoint_2.pt"), 1e-4);
}

}  // namespace
}  // namespace seqnn
