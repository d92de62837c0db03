#!/usr/bin/env bash
# Smoke test of the shipped models' recipes (models/recipes/*.sh): each runs end to end on a slice
# of ../shared/data (1-2 epochs, one small ensemble member) into a temporary models folder, and
# what it writes is a model that seqnn loads and predicts with. The full runs are the recipes
# themselves (minutes); the shipped files are checked against their references elsewhere.
# Usage: test_recipes.sh BUILD_DIR SOURCE_DIR      (exit 77 = skipped: no shared data)
set -euo pipefail
BUILD=$(cd "$1" && pwd); SRC=$(cd "$2" && pwd)
DATA=$SRC/../shared/data
if [ ! -d "$DATA/dna/rbp_clip" ] || [ ! -d "$DATA/mhc" ]; then
  echo "skipped: $DATA (the shared data) not found"; exit 77
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
first_records() { awk -v n="$2" '/^>/ { k++ } k <= n' "$1"; }

mkdir -p "$T/rbp"
for part in train.positive train.negative test.positive test.negative; do
  first_records "$DATA/dna/rbp_clip/pum2.$part.fasta" 60 > "$T/rbp/pum2.$part.fasta"
done
DATA="$T/rbp" WORK="$T/work_rbp" MODELS="$T/models" EPOCHS=2 THREADS=1 "$SRC/models/recipes/rbp.sh" "$BUILD" pum2
test -s "$T/models/rbp/pum2.pt"
"$BUILD/seqnn" evaluate -q --model "$T/models/rbp/pum2.pt" --positives "$T/rbp/pum2.test.positive.fasta" \
  --negatives "$T/rbp/pum2.test.negative.fasta" > "$T/rbp_eval.txt"
grep -q auroc "$T/rbp_eval.txt" || { echo "rbp recipe: evaluate printed no auroc:"; cat "$T/rbp_eval.txt"; exit 1; }

mkdir -p "$T/mhc"
# Two alleles' rows of the BLIND table (header kept) and the pseudo-sequences.
awk -F'\t' 'NR == 1 || (($2 == "HLA-A*02:01" || $2 == "HLA-B*07:02") && ++n[$2] <= 200)' \
  "$DATA/mhc/bdata.2013.mhci.public.blind.1.txt" > "$T/mhc/bdata.2013.mhci.public.blind.1.txt"
cp "$DATA/mhc/MHC_pseudo.dat" "$T/mhc/"
[ "$(wc -l < "$T/mhc/bdata.2013.mhci.public.blind.1.txt")" -gt 100 ] || { echo "mhc recipe: allele slice too small"; exit 1; }
DATA="$T" WORK="$T/work_mhc" MODELS="$T/models" EPOCHS=1 ENSEMBLE=2 CALIBRATION=200 THREADS=1 \
  "$SRC/models/recipes/mhc_pan.sh" "$BUILD"
printf 'GILGFVFTL\nTPRVTGGGAM\n' | "$BUILD/seqnn" mhc predict -q --model "$T/models/mhc/pan.pt" \
  --alleles HLA-A*02:01,HLA-B*07:02 --peptides - --out "$T/p.tsv"
[ "$(wc -l < "$T/p.tsv")" -eq 5 ] || { echo "mhc recipe: expected 4 predictions:"; cat "$T/p.tsv"; exit 1; }
echo "recipes: rbp.sh and mhc_pan.sh ran on slices and wrote loadable models"
