#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz, docs/reliability.md) built in BUILD, each for
# FUZZ_SECONDS, FUZZ_JOBS at a time (one core each), starting from the committed seed corpus and
# the corpus earlier runs grew in BUILD/fuzz/<target>/corpus. Writes BUILD/fuzz/<target>.log and a
# summary table BUILD/fuzz/summary.tsv (executions, coverage, findings); exits 1 when any target
# found something (its input is in BUILD/fuzz/<target>/, named crash-*, leak-*, timeout-* or oom-*).
# Usage: scripts/run-fuzzers.sh BUILD   (FUZZ_SECONDS=600, FUZZ_JOBS=2, FUZZ_TARGETS="fasta bed ...")
set -euo pipefail
BUILD=${1:-build-asan}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-2}
BIN=$BUILD/tests/seqnn_fuzz
CORPORA=$ROOT/tests/fuzz/corpus
TARGETS=${FUZZ_TARGETS:-$(ls "$CORPORA")}
OUT=$BUILD/fuzz
[ -x "$BIN" ] || { echo "run-fuzzers: $BIN not built (make fuzz builds it)" >&2; exit 1; }
mkdir -p "$OUT"

# LibTorch's and OpenBLAS's own threads would take the other fuzzers' cores.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local t=$1
  mkdir -p "$OUT/$t/corpus"
  local dict=()
  [ "$t" = json ] && dict=(-dict="$ROOT/tests/fuzz/json.dict")
  # Model and archive files reach LibTorch's zip reader, whose one known leak is suppressed by its stack
  # (scripts/lsan.supp): that needs full stacks through LibTorch's frame-pointer-less code.
  local asan=$ASAN_OPTIONS
  case $t in model|archive) asan=$asan:fast_unwind_on_malloc=0 ;; esac
  # -timeout: one input taking 20 s is a hang; -rss_limit_mb: LibTorch plus ASan's shadow memory.
  ASAN_OPTIONS=$asan "$BIN" --target="$t" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=6144 -print_final_stats=1 \
    -artifact_prefix="$OUT/$t/" "${dict[@]}" "$OUT/$t/corpus" "$CORPORA/$t" > "$OUT/$t.log" 2>&1 || true
  echo "run-fuzzers: $t done" >&2
}

echo "run-fuzzers: ${TARGETS//$'\n'/ } for $SECONDS_EACH s each, $JOBS at a time" >&2
running=0
for t in $TARGETS; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

# One row per target from libFuzzer's final statistics and its last status line.
found=0
{
  printf 'target\tseconds\texecutions\texec_per_s\tcoverage\tfeatures\tcorpus\tpeak_rss_mb\tfindings\n'
  for t in $TARGETS; do
    log=$OUT/$t.log
    stat() { grep -o "stat::$1: *[0-9]*" "$log" | tail -n1 | grep -o '[0-9]*$' || echo NA; }
    last=$(grep -E '^#[0-9]+' "$log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' <<< "$last" | grep -o '[0-9]*' || echo NA)
    ft=$(grep -o 'ft: [0-9]*' <<< "$last" | grep -o '[0-9]*' || echo NA)
    corp=$(grep -o 'corp: [0-9]*' <<< "$last" | grep -o '[0-9]*' || echo NA)
    n=$(find "$OUT/$t" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    [ "$n" -eq 0 ] || found=1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$SECONDS_EACH" "$(stat number_of_executed_units)" \
      "$(stat average_exec_per_sec)" "$cov" "$ft" "$corp" "$(stat peak_rss_mb)" "$n"
  done
} > "$OUT/summary.tsv"
column -t -s $'\t' "$OUT/summary.tsv" >&2
exit "$found"
