#!/usr/bin/env bash
# `make run`: a short end-to-end tour of seqnn on data that ships with the project (and, when
# ../shared/data is present, on real GRCh37 chr20 windows).
set -euo pipefail
BUILD=${1:-build}
SEQNN="$BUILD/seqnn"
OUT=demo_out
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "seqnn info: versions, BLAS, threads, devices"
"$SEQNN" info

step "A TorchScript model exported from PyTorch (DeepSEA architecture, 200 bp, 12 outputs) on 2,000 random sequences"
"$SEQNN" simulate --n 2000 --length 200 --seed 1 -o "$OUT/random200.fa"
"$SEQNN" predict --model tests/fixtures/deepsea_small.pt --fasta "$OUT/random200.fa" --out "$OUT/deepsea_small.tsv" --batch-size 128
head -n 4 "$OUT/deepsea_small.tsv" | cut -f 1-6

step "A native model from a JSON config (configs/small_cnn.json), saved, reloaded and run to .npy"
"$SEQNN" init-model --config configs/small_cnn.json --seed 7 --out "$OUT/small_cnn.seqnn"
"$SEQNN" simulate --n 1000 --length 1000 --seed 2 -o "$OUT/random1000.fa"
"$SEQNN" predict --model "$OUT/small_cnn.seqnn" --fasta "$OUT/random1000.fa" --out "$OUT/small_cnn.npy"

GENOME=../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz
if [ -f "$GENOME" ]; then
  step "BED windows from GRCh37 chr20 (bgzip + .fai/.gzi), streamed through the native model"
  "$SEQNN" simulate --genome "$GENOME" --n 5000 --length 1000 --seed 3 -o "$OUT/chr20_windows.bed"
  "$SEQNN" predict --model "$OUT/small_cnn.seqnn" --bed "$OUT/chr20_windows.bed" --genome "$GENOME" --out "$OUT/chr20_windows.tsv"
  head -n 3 "$OUT/chr20_windows.tsv"
else
  step "(../shared/data not present: skipping the chr20 BED demo)"
fi
printf '\nDemo outputs are in %s/\n' "$OUT"
