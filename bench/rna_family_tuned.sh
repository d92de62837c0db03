#!/usr/bin/env bash
# Second half of the leave-one-family-out benchmark (after bench/rna_family_cv.sh, same OUT): the
# decoding of `rna predict` (box thresholds, or the pairs decoder's gamma) chosen per held-out
# family on that run's validation set (the other families' 10 %, never the held-out family), then
# the held-out family predicted with the choice. Writes $OUT/summary_tuned.tsv.
#   BUILD=build OUT=bench_out/rna_family bench/rna_family_tuned.sh
set -euo pipefail
BUILD=${BUILD:-build}
OUT=${OUT:-/tmp/seqnn_rna_family}
FAMILIES=${FAMILIES:-5s srp tRNA tmRNA grp1 16s 23s}
VARIANTS=${VARIANTS:-thermo}
THREADS=${THREADS:-2}
CANDIDATES=(${CANDIDATES:-"--min-pixel-prob=0.1,--min-norm=0" "--min-pixel-prob=0.2,--min-norm=0.05" "--decoder=pairs,--gamma=8" "--decoder=pairs,--gamma=16"})
S=$BUILD/seqnn
mean_f1() { "$S" rna eval -q --truth "$1" --pred "$2" 2>&1 | sed -n 's/.* F1 \([0-9.]*\).*/\1/p'; }
header="family\tn"
for v in $VARIANTS; do header="$header\ts1_$v\t${v}_decoding"; done
printf "$header\n" > "$OUT/summary_tuned.tmp"
for f in $FAMILIES; do
  D=$OUT/$f
  row="$f\t$(($(wc -l < "$D/split/test.tsv") - 1))"
  awk -F'\t' 'NR > 1 { print ">" $1 "\n" $2 }' "$D/split/valid.tsv" > "$D/split/valid.fa"
  for v in $VARIANTS; do
    best=-1; choice=""
    for c in "${CANDIDATES[@]}"; do
      "$S" rna predict -q --model "$D/$v/model_best.pt" --fasta "$D/split/valid.fa" --out "$D/$v/valid_pred.tsv" \
        --threads "$THREADS" ${c//,/ }
      f1=$(mean_f1 "$D/split/valid.tsv" "$D/$v/valid_pred.tsv")
      if awk -v a="$f1" -v b="$best" 'BEGIN { exit !(a > b) }'; then best=$f1; choice=$c; fi
    done
    "$S" rna predict -q --model "$D/$v/model_best.pt" --fasta "$D/split/test.fa" --out "$D/$v/pred_tuned.tsv" \
      --threads "$THREADS" ${choice//,/ }
    "$S" rna eval -q --truth "$D/split/test.tsv" --pred "$D/$v/pred_tuned.tsv" --out "$D/$v/scores_tuned.tsv"
    row="$row\t$(mean_f1 "$D/split/test.tsv" "$D/$v/pred_tuned.tsv")\t${choice//,/ } (valid F1 $best)"
  done
  printf "$row\n" | tee -a "$OUT/summary_tuned.tmp"
done
mv "$OUT/summary_tuned.tmp" "$OUT/summary_tuned.tsv"
column -t -s $'\t' "$OUT/summary_tuned.tsv"
