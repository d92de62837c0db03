#!/usr/bin/env bash
# Runs the whole test suite in the sanitizer build (make check-asan, docs/reliability.md): every
# ASan or UBSan report aborts the process it happens in, so it fails its test. Prints the time taken.
# Usage: scripts/check-asan.sh BUILD
set -euo pipefail
BUILD=${1:-build-asan}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# LeakSanitizer suppressions: only allocations made inside LibTorch (each one explained there).
# fast_unwind_on_malloc=0: full stacks through LibTorch (built without frame pointers), so the
# suppressions can name the LibTorch function that leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$(date +%s)
status=0
(cd "$BUILD" && ctest --output-on-failure -j"$(nproc)" ${CTEST_ARGS:-}) || status=$?
echo "check-asan: suite ran in $(( $(date +%s) - start )) s under ASan + UBSan (exit $status)" >&2
exit "$status"
