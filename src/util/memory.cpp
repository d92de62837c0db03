#include "seqnn/util/memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace seqnn {

void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);              // large blocks come from the heap...
  mallopt(M_TRIM_THRESHOLD, 1 << 30);  // ...and stay there for the next step
#endif
}

}  // namespace seqnn
