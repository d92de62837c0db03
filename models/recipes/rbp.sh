#!/usr/bin/env bash
# Recipe of the shipped RBP binding models (models/rbp/{pum2,qki,nova}.pt): the pysster-style CNN
# of docs/benchmarks.md trained on the given train split of the CLIP-seq sets in
# ../shared/data/dna/rbp_clip, best epoch by validation auROC, then tested on the given test split.
# Deterministic for the seed and thread count (seed 1, 2 threads).
# Usage: models/recipes/rbp.sh BUILD [PROTEINS...]   (default: pum2 qki nova)
# Writes MODELS/rbp/NAME.pt (MODELS: default models) and prints the test metrics row of each run;
# tests/models/test_recipes.sh runs it on a slice of the data into a temporary MODELS.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}; shift || true
PROTEINS=${*:-pum2 qki nova}
DATA=${DATA:-../shared/data/dna/rbp_clip}
WORK=${WORK:-$BUILD/models_work/rbp}
THREADS=${THREADS:-2}
MODELS=${MODELS:-models}
[ -d "$DATA" ] || { echo "rbp recipe: $DATA not found (the shared CLIP-seq data sets)" >&2; exit 1; }
for p in $PROTEINS; do
  start=$(date +%s.%N)
  # The benchmark's recipe (docs/benchmarks.md), one protein at a time into $WORK/NAME.
  OUT="$WORK" DATA="$DATA" THREADS="$THREADS" EPOCHS="${EPOCHS:-30}" bench/training/rbp_cnn.sh "$BUILD" "$p" > /dev/null
  end=$(date +%s.%N)
  mkdir -p "$MODELS/rbp"
  cp "$WORK/$p/model_best.pt" "$MODELS/rbp/$p.pt"
  awk -v p="$p" -v a="$start" -v b="$end" 'BEGIN { printf "%s: trained in %.1f s; ", p, b - a }'
  grep ',test,' "$WORK/$p/metrics.csv"
done
