#!/usr/bin/env bash
# Runs every benchmark whose data is present; results are recorded in docs/benchmarks.md.
set -euo pipefail
BUILD=${1:-build}
THREADS=${THREADS:-$(nproc)}
PY=/usr/bin/python3
echo "== one-hot encoding vs numpy";  $PY bench/bench_onehot.py "$BUILD" ../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz 1
echo "== predict vs PyTorch";         $PY bench/bench_predict.py "$BUILD" 2048 64 "$THREADS"
echo "== predict memory vs N";        bench/predict_memory.sh "$BUILD" "$THREADS"
