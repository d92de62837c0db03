#!/usr/bin/env bash
# Recipe of the shipped pan-allele peptide-MHC class I model (models/mhc/pan.pt): the model of
# docs/mhc.md and docs/benchmarks.md ("Pan-allele model") trained on every human row of the Kim
# 2014 BLIND set, 10 % of each allele's rows validating (best epoch, early stopping; split seed 1),
# an ensemble of 3 members (seeds 1, 2, 3), then calibrated for percentile ranks on 10,000
# random peptides per training allele. Deterministic for the seed and thread count (2 threads).
# Usage: models/recipes/mhc_pan.sh BUILD      (DATA: the shared data folder, default ../shared/data)
# Writes MODELS/mhc/pan.pt (MODELS: default models) and prints the training summary; ENSEMBLE (3),
# CALIBRATION (10000) and EPOCHS (30) exist for tests/models/test_recipes.sh (a slice of the data).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
DATA=${DATA:-../shared/data}
WORK=${WORK:-$BUILD/models_work/mhc_pan}
THREADS=${THREADS:-2}
MODELS=${MODELS:-models}
[ -f "$DATA/mhc/bdata.2013.mhci.public.blind.1.txt" ] || { echo "mhc recipe: $DATA/mhc not found (the shared MHC data)" >&2; exit 1; }
rm -rf "$WORK"
start=$(date +%s.%N)
"$BUILD"/seqnn mhc train --table "$DATA/mhc/bdata.2013.mhci.public.blind.1.txt" --pseudo-sequences "$DATA/mhc/MHC_pseudo.dat" \
  --filter species=human --arch lstm --embedding 32 --hidden 64 --peptide-units 64 --allele-units 64 --combine product \
  --dense-units 64 --dropout 0.2 --bucket --epochs "${EPOCHS:-30}" --batch-size 64 --lr 0.001 --early-stopping 6 \
  --best-rule meas.spearman --val-fraction 0.1 --split-seed 1 --seed 1 --ensemble "${ENSEMBLE:-3}" --calibration-peptides "${CALIBRATION:-10000}" \
  --threads "$THREADS" --quiet --out "$WORK"
end=$(date +%s.%N)
mkdir -p "$MODELS/mhc"
cp "$WORK/model_best.pt" "$MODELS/mhc/pan.pt"
awk -v a="$start" -v b="$end" 'BEGIN { printf "mhc/pan: trained and calibrated in %.1f s; ", b - a }'
ls -l "$MODELS/mhc/pan.pt" | awk '{ print $5 " bytes" }'
