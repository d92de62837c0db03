#pragma once
// at::parallel_for whose workers see the caller's thread-local state (grad mode, inference mode,
// dispatch keys): tensor ops inside the loop need it (an in-place op on an inference tensor fails
// outside inference mode, and grad mode would record autograd graphs), and LibTorch 1.13's
// parallel_for does not pass it on to its OpenMP workers.
#include <ATen/Parallel.h>
#include <ATen/ThreadLocalState.h>

#include <cstdint>

namespace seqnn {

template <class F>
void parallel_for_with_state(int64_t begin, int64_t end, int64_t grain, const F& f) {
  const at::ThreadLocalState state;
  at::parallel_for(begin, end, grain, [&](int64_t first, int64_t last) {
    at::ThreadLocalStateGuard guard(state);
    f(first, last);
  });
}

}  // namespace seqnn
