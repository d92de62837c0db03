#!/usr/bin/env bash
# Character LM on the BLAT_ECOLX alignment sequences with gaps removed; held-out perplexity on a
# 10% split (seed 1). Usage: bench/training/char_lm_blat.sh BUILD
# RESUME=1 continues an interrupted run in OUT (train-lm --resume) up to EPOCHS.
set -euo pipefail
BUILD=${1:-build}
A2M=${A2M:-../shared/data/protein/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m}
OUT=${OUT:-$BUILD/bench_out/lm_blat}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-3}
# Unless resuming, start in a fresh directory: trainers refuse one that holds a checkpoint (docs/cli.md).
[ -n "${RESUME:-}" ] || rm -rf "$OUT"
"$BUILD"/seqnn train-lm --fasta "$A2M" --strip-gaps --alphabet protein --embedding 32 --hidden 128 \
  --epochs "$EPOCHS" --batch-size 32 --lr 0.003 --val-fraction 0.1 --split-seed 1 --seed 1 \
  --threads "$THREADS" --quiet --out "$OUT" ${RESUME:+--resume}
"$BUILD"/seqnn generate --model "$OUT/model_best.pt" --n 5 --temperature 0.8 --seed 1 --max-length 400 --out "$OUT/generated.fa" --quiet
