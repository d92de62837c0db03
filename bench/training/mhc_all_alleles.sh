#!/usr/bin/env bash
# Peptide-MHC class I on every human allele of the Kim 2014 BLIND set: one allele-specific
# BiLSTM per allele (as NetMHC and mhcflurry's allele-specific models do), each with the 5-fold
# cross-validation of mhc_lstm_cv.sh; then one table of per-allele, pooled and mean AUC and
# Spearman next to NetMHCpan's predictions for the same rows.
# Usage: bench/training/mhc_all_alleles.sh BUILD   (EPOCHS, THREADS, OUT as in mhc_lstm_cv.sh)
set -euo pipefail
BUILD=${1:-build}
DATA=${DATA:-../shared/data/mhc}
OUT=${OUT:-$BUILD/bench_out/mhc_all}
export OUT BASELINE=0
alleles=$(awk -F'\t' 'NR > 1 && $1 == "human" {print $2}' "$DATA/bdata.2013.mhci.public.blind.1.txt" | sort -u)
start=$(date +%s)
for allele in $alleles; do
  echo "== $allele" >&2
  "$(dirname "$0")"/mhc_lstm_cv.sh "$BUILD" "$allele"
done
echo "all alleles trained in $(( $(date +%s) - start )) s" >&2
/usr/bin/python3 "$(dirname "$0")"/mhc_baseline.py "$DATA/combined_test_BLIND_dataset_from_kim2013.csv" --all "$OUT"
