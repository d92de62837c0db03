#!/usr/bin/env bash
# S1 training on the notebook-recipe chr20 64-nt data (a subset: the full 100,000 x run-7
# architecture is far beyond a shared CPU), then validation metrics per epoch in metrics.csv.
#   BUILD=build-rna N=4000 EPOCHS=4 FILTERS=16,16,32,32 WIDTHS=9,9,9,9 bench/rna_s1_chr20.sh
set -euo pipefail
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/rna/chr20_len64_mfefreq0.1.tsv.gz}
OUT=${OUT:-/tmp/seqnn_rna_chr20}
N=${N:-4000}
EPOCHS=${EPOCHS:-4}
FILTERS=${FILTERS:-16,16,32,32}
WIDTHS=${WIDTHS:-9,9,9,9}
THREADS=${THREADS:-2}
LR=${LR:-1e-3}
# A fresh run needs a fresh directory: trainers refuse one that holds a checkpoint (docs/cli.md).
rm -rf "$OUT"
"$BUILD/seqnn" rna train --data "$DATA" --max-records "$N" --num-filters "$FILTERS" --filter-width "$WIDTHS" \
  --dense-units 50 --lr "$LR" --epochs "$EPOCHS" --batch-size 20 --max-length 200 --threads "$THREADS" --seed 5555 --out "$OUT"
column -s, -t < "$OUT/metrics.csv" | cut -c1-400
