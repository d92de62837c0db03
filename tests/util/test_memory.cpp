// keep_freed_memory: large blocks come from the heap and stay there once freed.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>

#include "seqnn/util/memory.h"

namespace seqnn {
namespace {

TEST(UtilMemory, FreedLargeBlocksStayInTheHeap) {
  // ASan replaces glibc's malloc, whose settings (and mallinfo2) this test is about.
  if (SEQNN_SANITIZED) GTEST_SKIP() << "sanitizer build: malloc is ASan's, not glibc's";
  keep_freed_memory();
  const size_t bytes = size_t{64} << 20;  // far above glibc's default mmap threshold
  const size_t mapped_before = mallinfo2().hblks;
  auto* block = static_cast<volatile char*>(std::malloc(bytes));
  ASSERT_NE(block, nullptr);
  for (size_t i = 0; i < bytes; i += 4096) block[i] = 1;  // touch every page
  EXPECT_EQ(mallinfo2().hblks, mapped_before) << "the block was a separate mapping";
  std::free(const_cast<char*>(block));
  EXPECT_GE(mallinfo2().fordblks, bytes) << "the freed block went back to the kernel";
}

}  // namespace
}  // namespace seqnn
