#!/usr/bin/env bash
# ArchiveII (one given fold, sequences <= MAXLEN): train S1 on the fold's train partition
# (validated on its valid partition), predict the test partition, score base pairs and boxes,
# and score RNAfold 2.7.1's MFE structures on the same test sequences (the baseline).
#   BUILD=build-rna FOLD=0 MAXLEN=200 EPOCHS=3 TRAIN_ARGS="--max-records 250" bench/rna_archiveii.sh
# INIT=model.pt fine-tunes that model (e.g. S1 pre-trained on chr20 MFE structures) instead of
# training from scratch (FILTERS / WIDTHS are then the model's own); EPOCHS=0 only predicts with it.
set -euo pipefail
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/rna}
OUT=${OUT:-/tmp/seqnn_rna_archiveii}
FOLD=${FOLD:-0}
MAXLEN=${MAXLEN:-200}
EPOCHS=${EPOCHS:-3}
FILTERS=${FILTERS:-16,16,32,32}
WIDTHS=${WIDTHS:-9,9,9,9}
THREADS=${THREADS:-2}
/usr/bin/python3 bench/rna_archiveii_fold.py --data "$DATA" --fold "$FOLD" --max-length "$MAXLEN" --out "$OUT/fold"
if [ -n "${INIT:-}" ]; then ARCH=(--init "$INIT"); else ARCH=(--num-filters "$FILTERS" --filter-width "$WIDTHS"); fi
MODEL=${INIT:-}
if [ "$EPOCHS" -gt 0 ]; then
  # A fresh run needs a fresh directory (trainers refuse one that holds a checkpoint, docs/cli.md).
  case " ${TRAIN_ARGS:-} " in *" --resume "*) ;; *) rm -rf "$OUT/model" ;; esac
  "$BUILD/seqnn" rna train --data "$OUT/fold/train.tsv" --val-data "$OUT/fold/valid.tsv" "${ARCH[@]}" \
    --epochs "$EPOCHS" --batch-size 8 --max-length "$MAXLEN" --threads "$THREADS" --seed 1 ${TRAIN_ARGS:-} --out "$OUT/model"
  MODEL=$OUT/model/model_best.pt
fi
"$BUILD/seqnn" rna predict --model "$MODEL" --fasta "$OUT/fold/test.fa" --truth "$OUT/fold/test.tsv" \
  --out "$OUT/pred.tsv" --threads "$THREADS" ${PREDICT_ARGS:-}
"$BUILD/seqnn" rna eval --truth "$OUT/fold/test.tsv" --pred "$OUT/pred.tsv" --boxes "$OUT/pred.boxes.tsv" --out "$OUT/scores.tsv"
echo "RNAfold baseline on the same test sequences:"
"$BUILD/seqnn" rna eval --truth "$OUT/fold/test.tsv" --pred "$DATA/ArchiveII_RNAfold-2.7.1_mfe.txt"
