#pragma once
// Allocator tuning for commands whose steps allocate and free large tensors (the CLI sets it for
// every command: predict and ISM batches churn the same way, 736k page faults for 500 Basset
// sequences before).
namespace seqnn {

// Keeps glibc from returning large blocks to the kernel: a DeepSequence training step allocates
// and frees several 40-80 MB tensors, and with the default mmap threshold each one is a fresh
// mapping whose page faults cost as much system time as the step's arithmetic (measured: 8.1 ->
// 3.5 s of system time for 12 BLAT updates). Peak memory becomes the high-water mark of one step.
// Process-wide and idempotent; a no-op where the C library has no mallopt.
void keep_freed_memory();

}  // namespace seqnn
