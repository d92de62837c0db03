#!/usr/bin/env bash
# Memory stays bounded as N grows: `seqnn predict` on 10,000 and on 100,000 random 1000-bp windows
# of GRCh37 chr20 (BED + bgzip genome) through a small native CNN, output to .npy. Prints peak RSS
# (from /usr/bin/time, independent of seqnn's own report) and the ratio of the two runs.
# Usage: bench/predict_memory.sh [BUILD_DIR] [THREADS]
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-2}
SEQNN="$BUILD/seqnn"
GENOME=${GENOME:-../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz}
[ -f "$GENOME" ] || { echo "predict_memory: $GENOME not found (needs ../shared/data)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/seqnn_mem_XXXXXX)
trap 'rm -rf "$TMP"' EXIT

"$SEQNN" init-model --config configs/small_cnn.json --seed 1 --out "$TMP/small.seqnn" 2>/dev/null
declare -A rss secs
for n in 10000 100000; do
  "$SEQNN" simulate --genome "$GENOME" --n "$n" --length 1000 --seed 42 -o "$TMP/w$n.bed" 2>/dev/null
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$TMP/rss$n" "$SEQNN" predict --model "$TMP/small.seqnn" --bed "$TMP/w$n.bed" \
    --genome "$GENOME" --out "$TMP/out$n.npy" --threads "$THREADS" --batch-size 256 -q 2> "$TMP/log$n"
  end=$(date +%s.%N)
  rss[$n]=$(cat "$TMP/rss$n")
  secs[$n]=$(awk -v a="$start" -v b="$end" 'BEGIN{print b - a}')
  echo "N=$n: $(tail -n 1 "$TMP/log$n")"
done
printf '%-10s %12s %10s %10s\n' "windows" "peak RSS MiB" "seconds" "windows/s"
for n in 10000 100000; do
  awk -v n="$n" -v r="${rss[$n]}" -v s="${secs[$n]}" 'BEGIN{printf "%-10s %12.1f %10.1f %10.0f\n", n, r / 1024, s, n / s}'
done
awk -v a="${rss[100000]}" -v b="${rss[10000]}" 'BEGIN{printf "peak RSS ratio (100k / 10k): %.3f\n", a / b}'
