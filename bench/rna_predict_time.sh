#!/usr/bin/env bash
# seqnn rna predict time per sequence length (random sequences), one model.
#   BUILD=build-rna MODEL=/tmp/seqnn_rna_chr20/model_best.pt bench/rna_predict_time.sh
set -euo pipefail
BUILD=${BUILD:-build}
MODEL=${MODEL:?set MODEL to an S1 model file}
OUT=${OUT:-/tmp/seqnn_rna_time}
LENGTHS=${LENGTHS:-50 100 200 400}
N=${N:-10}
THREADS=${THREADS:-2}
/usr/bin/python3 bench/rna_random_fasta.py --lengths $LENGTHS --n "$N" --out "$OUT"
for L in $LENGTHS; do
  "$BUILD/seqnn" rna predict -q --model "$MODEL" --fasta "$OUT/len$L.fa" --out "$OUT/pred$L.tsv" --threads "$THREADS" --batch-size 1 2>&1 | sed "s/^/length $L: /"
done
