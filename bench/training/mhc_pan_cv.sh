#!/usr/bin/env bash
# Peptide-MHC class I, the pan-allele model (seqnn mhc train): one model for all 48 human alleles
# of the Kim 2014 BLIND set, the allele as its 34-residue pseudo-sequence. 5-fold cross-validation
# with the folds made within each allele exactly as the per-allele benchmark makes them
# (mhc_all_alleles.sh: fold k tested, 10 % of the rest validates, split seed 1), so every test row
# is the one the allele's own model was tested on; then per-allele, pooled and mean AUC / Spearman
# next to the per-allele models (when PER_ALLELE holds their run) and NetMHCpan's predictions for
# the same rows. Then leave-allele-out: for each allele of LEAVE_OUT, a model trained without any
# row of that allele, tested on all of its rows.
# Usage: bench/training/mhc_pan_cv.sh BUILD
#   ENSEMBLE (3) members per model, THREADS (2), EPOCHS (30), OUT, PER_ALLELE, LEAVE_OUT, DATA.
set -euo pipefail
BUILD=${1:-build}
DATA=${DATA:-../shared/data/mhc}
OUT=${OUT:-$BUILD/bench_out/mhc_pan}
PER_ALLELE=${PER_ALLELE:-$BUILD/bench_out/mhc_all}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-30}
ENSEMBLE=${ENSEMBLE:-3}
LEAVE_OUT=${LEAVE_OUT-HLA-A*02:02 HLA-B*45:01 HLA-B*54:01 HLA-A*02:01}
COMBINED="$DATA/combined_test_BLIND_dataset_from_kim2013.csv"
[ -d "$PER_ALLELE" ] || PER_ALLELE=""

train() {
  "$BUILD"/seqnn mhc train --table "$DATA/bdata.2013.mhci.public.blind.1.txt" --pseudo-sequences "$DATA/MHC_pseudo.dat" \
    --filter species=human --arch lstm --embedding 32 --hidden 64 --peptide-units 64 --allele-units 64 --combine product \
    --dense-units 64 --dropout 0.2 --bucket --epochs "$EPOCHS" --batch-size 64 --lr 0.001 --early-stopping 6 \
    --best-rule meas.spearman --val-fraction 0.1 --split-seed 1 --seed 1 --ensemble "$ENSEMBLE" --calibration-peptides 0 \
    --threads "$THREADS" --quiet "$@"
}

# A fresh run needs a fresh directory: trainers refuse one that holds a checkpoint (docs/cli.md).
start=$(date +%s)
for k in 0 1 2 3 4; do
  rm -rf "$OUT/cv/fold$k"
  train --folds 5 --fold "$k" --out "$OUT/cv/fold$k"
done
echo "5 folds x $ENSEMBLE members trained in $(( $(date +%s) - start )) s" >&2
/usr/bin/python3 "$(dirname "$0")"/mhc_baseline.py "$COMBINED" --pan "$OUT/cv" $PER_ALLELE

if [ -n "$LEAVE_OUT" ]; then
  start=$(date +%s)
  for allele in $LEAVE_OUT; do
    tag=$(echo "$allele" | tr -d '*:')
    rm -rf "$OUT/leave_out/$tag"
    train --test-allele "$allele" --out "$OUT/leave_out/$tag"
  done
  echo "leave-allele-out models trained in $(( $(date +%s) - start )) s" >&2
  /usr/bin/python3 "$(dirname "$0")"/mhc_baseline.py "$COMBINED" --pan "$OUT/leave_out" $PER_ALLELE
fi
