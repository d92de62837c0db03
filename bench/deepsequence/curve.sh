#!/bin/sh
# Spearman rho (column 2500) of BLAT_ECOLX against training updates: trains with a snapshot
# every K updates, then scores every snapshot with S samples per ELBO. OUTDIR is the training
# run's directory (model_best.pt, checkpoint_<N>.pt, snapshot_<K>.pt, loss.tsv) and also holds
# the scores, logs and curve.
# Usage: bench/deepsequence/curve.sh SEQNN OUTDIR UPDATES K S THREADS
# Environment:
#   DEVICE=cuda   train and score on the GPU (default cpu)
#   RESUME=1      OUTDIR holds a run: continue its newest checkpoint to UPDATES (snapshots too)
#   START=N       first snapshot to score (default K); scores of other draw counts are kept apart
#   DATA=DIR      the data folder (default ../shared/data; bench/gpu/run.sh carries a copy)
set -eu
SEQNN=$1; OUT=$2; N=$3; K=$4; S=$5; T=$6
DEVICE=${DEVICE:-cpu}; START=${START:-$K}
D=${DATA:-../shared/data}/protein
ALN=$D/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m
CSV=$D/BLAT_ECOLX_Ranganathan2015.csv
mkdir -p "$OUT"
TRAIN="$SEQNN deepseq train -a $ALN -o $OUT --updates $N --snapshot-every $K --log-every 10 --threads $T --device $DEVICE --seed 1"
if [ ! -f "$OUT/model_best.pt" ]; then
  $TRAIN --checkpoint-every 0 2> "$OUT/train.log"
elif [ "${RESUME:-0}" = 1 ]; then
  $TRAIN --checkpoint-every "$K" --resume 2> "$OUT/train.resume$N.log"
fi
step=$START
while [ "$step" -le "$N" ]; do
  "$SEQNN" deepseq score -m "$OUT/snapshot_$step.pt" -a $ALN --mutations $CSV --spearman 2500 --samples "$S" \
    --threads "$T" --device "$DEVICE" --quiet -o "$OUT/scores.step$step.s$S.csv" 2> "$OUT/score.step$step.s$S.log"
  step=$((step + K))
done
# The curve, from every snapshot scored with S draws so far. The loss curve's seconds restart at
# every resume; train_seconds adds them up (training time only, not the loading at each resume).
awk 'NR > 1 { if ($2 < prev) off += prev; prev = $2; print $1 "\t" $2 + off }' "$OUT/loss.tsv" > "$OUT/seconds.tsv"
printf "updates\ttrain_seconds\tspearman\tscore_summary\n" > "$OUT/curve.s$S.tsv"
for log in "$OUT"/score.step*.s"$S".log; do
  step=$(echo "$log" | sed 's/.*score\.step\([0-9]*\)\..*/\1/')
  secs=$(awk -v s="$step" '$1 == s {printf "%.0f", $2}' "$OUT/seconds.tsv")
  rho=$(sed -n 's/.*deepseq \(-\{0,1\}[0-9.]*\) (n=.*/\1/p' "$log")
  printf "%s\t%s\t%s\t%s\n" "$step" "$secs" "$rho" "$(tail -1 "$log")"
done | sort -n >> "$OUT/curve.s$S.tsv"
cat "$OUT/curve.s$S.tsv"
