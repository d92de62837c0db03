#!/bin/sh
# Spearman rho (column 2500) of BLAT_ECOLX against training updates: trains with a snapshot
# every K updates, then scores every snapshot with S samples per ELBO.
# Usage: bench/deepsequence/curve.sh SEQNN OUTDIR UPDATES K S THREADS
set -eu
SEQNN=$1; OUT=$2; N=$3; K=$4; S=$5; T=$6
D=../shared/data/protein
ALN=$D/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m
CSV=$D/BLAT_ECOLX_Ranganathan2015.csv
mkdir -p "$OUT"
[ -f "$OUT/model.pt" ] || "$SEQNN" deepseq train -a $ALN -o "$OUT/model.pt" --updates "$N" --snapshot-every "$K" \
  --checkpoint-every 0 --log-every 10 --threads "$T" --device cpu --seed 1 2> "$OUT/train.log"
printf "updates\ttrain_seconds\tspearman\tscore_summary\n" > "$OUT/curve.tsv"
step=$K
while [ "$step" -le "$N" ]; do
  m="$OUT/model.step$step.pt"
  "$SEQNN" deepseq score -m "$m" -a $ALN --mutations $CSV --spearman 2500 --samples "$S" --threads "$T" \
    --device cpu --quiet -o "$OUT/scores.step$step.csv" 2> "$OUT/score.step$step.log"
  secs=$(awk -v s="$step" '$1 == s {print $2}' "$OUT/model.pt.loss.tsv")
  rho=$(sed -n 's/.*deepseq \(-\{0,1\}[0-9.]*\) (n=.*/\1/p' "$OUT/score.step$step.log")
  printf "%s\t%s\t%s\t%s\n" "$step" "$secs" "$rho" "$(tail -1 "$OUT/score.step$step.log")" >> "$OUT/curve.tsv"
  step=$((step + K))
done
cat "$OUT/curve.tsv"
