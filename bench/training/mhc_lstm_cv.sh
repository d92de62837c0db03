#!/usr/bin/env bash
# Peptide-MHC class I affinity: a bidirectional LSTM regressor on y = 1 - log(IC50)/log(50000),
# 5-fold cross-validation (fold k tested, 10% of the rest validates) on one allele of the Kim et
# al. 2014 BLIND set, then NetMHCpan's predictions for the same test rows as a baseline.
# Usage: bench/training/mhc_lstm_cv.sh BUILD [ALLELE]
set -euo pipefail
BUILD=${1:-build}
ALLELE=${2:-HLA-A*02:01}
DATA=${DATA:-../shared/data/mhc}
OUT=${OUT:-$BUILD/bench_out/mhc}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-30}
THR=$(/usr/bin/python3 -c 'import math; print(1 - math.log(500) / math.log(50000))')  # binder at 500 nM
tag=$(echo "$ALLELE" | tr -d '*:')
# A fresh run needs a fresh directory: trainers refuse one that holds a checkpoint (docs/cli.md).
for k in 0 1 2 3 4; do
  rm -rf "$OUT/$tag/fold$k"
  "$BUILD"/seqnn train --table "$DATA/bdata.2013.mhci.public.blind.1.txt" \
    --filter "mhc=$ALLELE" --filter species=human --sequence-column sequence --id-column sequence \
    --target-columns meas --target-transform ic50 --auc-threshold "$THR" \
    --alphabet protein --arch lstm --embedding 32 --hidden 64 --bidirectional --rnn-pool last \
    --dense-units 64 --dropout 0.2 --bucket \
    --epochs "$EPOCHS" --batch-size 32 --lr 0.001 --early-stopping 6 --best-rule meas.spearman \
    --folds 5 --fold "$k" --val-fraction 0.1 --split-seed 1 --seed 1 \
    --threads "$THREADS" --quiet --out "$OUT/$tag/fold$k"
done
if [ "${BASELINE:-1}" = 1 ]; then
  /usr/bin/python3 "$(dirname "$0")"/mhc_baseline.py "$DATA/combined_test_BLIND_dataset_from_kim2013.csv" "$ALLELE" "$OUT/$tag"
fi
