#include <gtest/gtest.h>
#include <htslib/hts_log.h>
#include <torch/torch.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  torch::set_num_threads(2);
  hts_set_log_level(HTS_LOG_OFF);  // tests provoke htslib errors on purpose
  return RUN_ALL_TESTS();
}
