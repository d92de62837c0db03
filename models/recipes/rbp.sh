#!/usr/bin/env bash
# Recipe of the shipped RBP binding models (models/rbp/{pum2,qki,nova}.pt): the pysster-style CNN
# of docs/benchmarks.md trained on the given train split of the CLIP-seq sets in
# ../shared/data/dna/rbp_clip, best epoch by validation auROC, then tested on the given test split.
# Deterministic for the seed and thread count (seed 1, 2 threads).
# Usage: models/recipes/rbp.sh BUILD [PROTEINS...]   (default: pum2 qki nova)
# Writes models/rbp/NAME.pt and prints the test metrics row of each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}; shift || true
PROTEINS=${*:-pum2 qki nova}
DATA=${DATA:-../shared/data/dna/rbp_clip}
WORK=${WORK:-$BUILD/models_work/rbp}
THREADS=${THREADS:-2}
[ -d "$DATA" ] || { echo "rbp recipe: $DATA not found (the shared CLIP-seq data sets)" >&2; exit 1; }
for p in $PROTEINS; do
  rm -rf "$WORK/$p"
  start=$(date +%s.%N)
  "$BUILD"/seqnn train \
    --positives "$DATA/$p.train.positive.fasta" --negatives "$DATA/$p.train.negative.fasta" \
    --test-positives "$DATA/$p.test.positive.fasta" --test-negatives "$DATA/$p.test.negative.fasta" \
    --alphabet rna --max-length 200 --global-pool flatten --padding valid \
    --num-filters 30 30 30 --filter-width 25 --pool 2 --conv-dropout 0.3 \
    --dense-units 100 --dropout 0.5 \
    --epochs "${EPOCHS:-30}" --batch-size 64 --lr 0.001 --early-stopping 4 --lr-schedule plateau \
    --val-fraction 0.1 --split-seed 1 --seed 1 --best-rule "label.auroc" \
    --threads "$THREADS" --quiet --out "$WORK/$p"
  end=$(date +%s.%N)
  mkdir -p models/rbp
  cp "$WORK/$p/model_best.pt" "models/rbp/$p.pt"
  awk -v p="$p" -v a="$start" -v b="$end" 'BEGIN { printf "%s: trained in %.1f s; ", p, b - a }'
  grep ',test,' "$WORK/$p/metrics.csv"
done
