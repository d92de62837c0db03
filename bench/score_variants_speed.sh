#!/usr/bin/env bash
# Variants per second and peak RSS of `seqnn score-variants` on 100,000 random SNVs of GRCh37
# chr20, with and without Monte-Carlo dropout (--mc-samples 10; MC_SAMPLES=0 skips that run).
# Flags after CONFIG go to every run, e.g. `--ism-engine naive` against `--ism-engine incremental`.
# Usage: [MC_SAMPLES=K] bench/score_variants_speed.sh [BUILD_DIR] [THREADS] [N] [CONFIG] [FLAGS...]
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-$(nproc)}
N=${3:-100000}
CONFIG=${4:-configs/small_cnn.json}
FLAGS=("${@:5}")
MC_SAMPLES=${MC_SAMPLES:-10}
GENOME=../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz
[ -f "$GENOME" ] || { echo "skip: $GENOME not present"; exit 0; }
TMP=$(mktemp -d /tmp/seqnn_bench_sv.XXXXXX)
/usr/bin/python3 bench/make_random_snvs.py "$GENOME" "$N" 42 "$TMP/snvs.vcf"
"$BUILD/seqnn" init-model -c "$CONFIG" -o "$TMP/model.seqnn" --seed 1 > /dev/null
run() {
  local label=$1; shift
  /usr/bin/time -f "%M %e" -o "$TMP/time" "$BUILD/seqnn" score-variants -m "$TMP/model.seqnn" -g "$GENOME" \
    -v "$TMP/snvs.vcf" --threads "$THREADS" --batch-size 256 -q "${FLAGS[@]}" "$@" 2> "$TMP/log" || { cat "$TMP/log"; exit 1; }
  read -r kb secs < "$TMP/time"
  tail -1 "$TMP/log"
  awk -v l="$label" -v n="$N" -v s="$secs" -v kb="$kb" \
    'BEGIN { printf "%-28s %8d variants %8.1f s %9.0f variants/s  peak RSS %6.1f MiB\n", l, n, s, n / s, kb / 1024 }' 
}
echo "config $CONFIG, $N random SNVs on chr20, threads $THREADS${FLAGS[*]:+, flags ${FLAGS[*]}}"
run "deterministic (diff)" -o "$TMP/det.tsv"
[ "$MC_SAMPLES" -eq 0 ] || run "--mc-samples $MC_SAMPLES (paired)" -o "$TMP/mc.tsv" --mc-samples "$MC_SAMPLES"
rm -rf "$TMP"
