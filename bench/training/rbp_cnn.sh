#!/usr/bin/env bash
# RBP CLIP-seq CNN (pysster's RBP tutorial data): train on the given train split, evaluate the
# best epoch on the given test split. Usage: bench/training/rbp_cnn.sh BUILD [PROTEINS...]
# Results: <out>/<protein>/metrics.csv (the "test" row) and the summary line on stderr.
set -euo pipefail
BUILD=${1:-build}; shift || true
PROTEINS=${*:-pum2}
DATA=${DATA:-../shared/data/dna/rbp_clip}
OUT=${OUT:-$BUILD/bench_out/rbp}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-15}
# A fresh run needs a fresh directory: trainers refuse one that holds a checkpoint (docs/cli.md).
for p in $PROTEINS; do
  rm -rf "$OUT/$p"
  "$BUILD"/seqnn train \
    --positives "$DATA/$p.train.positive.fasta" --negatives "$DATA/$p.train.negative.fasta" \
    --test-positives "$DATA/$p.test.positive.fasta" --test-negatives "$DATA/$p.test.negative.fasta" \
    --alphabet rna --max-length 200 --global-pool flatten --padding valid \
    --num-filters 30 30 30 --filter-width 25 --pool 2 --conv-dropout 0.3 \
    --dense-units 100 --dropout 0.5 \
    --epochs "$EPOCHS" --batch-size 64 --lr 0.001 --early-stopping 4 --lr-schedule plateau \
    --val-fraction 0.1 --split-seed 1 --seed 1 --best-rule "label.auroc" \
    --threads "$THREADS" --quiet --out "$OUT/$p"
  grep ',test,' "$OUT/$p/metrics.csv" | sed "s/^/$p test: /"
done
