#!/usr/bin/env bash
# Data-parallel scaling of `seqnn train` (docs/distributed.md): the PUM2 CLIP-seq CNN of
# bench/training/rbp_cnn.sh for EPOCHS epochs with
#   (a) 1 process, 1 thread, batch 64;
#   (b) 2 processes (--nproc 2, Gloo on 127.0.0.1), 1 thread each, batch 32 per rank (global 64:
#       the same optimisation as (a));
#   (c) 2 processes, 1 thread each, batch 64 per rank (global 128).
# Prints each run's summary line (training examples/s over all ranks; for 2 ranks the all-reduce
# time per step that the backward pass did not hide) and the test auROC. Nothing else may run on
# the machine meanwhile. Usage: bench/training/data_parallel_scaling.sh BUILD
set -euo pipefail
BUILD=${1:-build}
DATA=${DATA:-../shared/data/dna/rbp_clip}
OUT=${OUT:-$BUILD/bench_out/data_parallel}
EPOCHS=${EPOCHS:-2}
if [ ! -f "$DATA/pum2.train.positive.fasta" ]; then
  echo "data_parallel_scaling: $DATA not present (../shared/data); skipping" >&2
  exit 77
fi
train() {  # NAME BATCH NPROC
  rm -rf "$OUT/$1"
  "$BUILD"/seqnn train \
    --positives "$DATA/pum2.train.positive.fasta" --negatives "$DATA/pum2.train.negative.fasta" \
    --test-positives "$DATA/pum2.test.positive.fasta" --test-negatives "$DATA/pum2.test.negative.fasta" \
    --alphabet rna --max-length 200 --global-pool flatten --padding valid \
    --num-filters 30 30 30 --filter-width 25 --pool 2 --conv-dropout 0.3 \
    --dense-units 100 --dropout 0.5 \
    --epochs "$EPOCHS" --batch-size "$2" --lr 0.001 \
    --val-fraction 0.1 --split-seed 1 --seed 1 --best-rule "label.auroc" \
    --threads 1 --nproc "$3" --quiet --out "$OUT/$1" 2>&1 | grep -v -e Warning -e InitGoogleLogging | tail -1 | sed "s/^/$1: /"
}
train a_1proc_b64 64 1
train b_2proc_b32 32 2
train c_2proc_b64 64 2
