#!/usr/bin/env bash
# S1 training time per sequence length: one epoch over N chr20 segments of each length band
# (from the variable-length MFE table), batch 8, starting from MODEL (its architecture).
#   BUILD=build MODEL=bench_out/rna_s1/model_best.pt bench/rna_train_time.sh
set -euo pipefail
BUILD=${BUILD:-build}
MODEL=${MODEL:?set MODEL to an S1 model file}
DATA=${DATA:-../shared/data/rna/chr20_len20-200_mfefreq0.02.tsv.gz}
OUT=${OUT:-/tmp/seqnn_rna_train_time}
N=${N:-100}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
for band in 40-60 90-110 180-200; do
  lo=${band%-*}; hi=${band#*-}
  zcat "$DATA" | awk -F'\t' -v lo="$lo" -v hi="$hi" -v n="$N" \
    'NR == 1 || (length($2) >= lo && length($2) <= hi && k++ < n)' > "$OUT/band$band.tsv"
  rm -rf "$OUT/run$band"  # trainers refuse a directory that holds a checkpoint (docs/cli.md)
  "$BUILD/seqnn" rna train -q --data "$OUT/band$band.tsv" --init "$MODEL" --epochs 1 --batch-size 8 \
    --val-fraction 0.1 --threads "$THREADS" --seed 1 --out "$OUT/run$band" 2>&1 | tail -1 | sed "s/^/length $band nt: /"
done
