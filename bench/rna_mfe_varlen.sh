#!/usr/bin/env bash
# Base-pair F1 of S1 + assembly on variable-length chr20 segments (20-200 nt) against their MFE
# structures: the fixed held-out set is the last 1,000 records of the table (rows 4,001-5,000).
#   BUILD=build MODEL=bench_out/rna_s1/model_best.pt bench/rna_mfe_varlen.sh
set -euo pipefail
BUILD=${BUILD:-build}
MODEL=${MODEL:?set MODEL to an S1 model file}
DATA=${DATA:-../shared/data/rna/chr20_len20-200_mfefreq0.02.tsv.gz}
OUT=${OUT:-/tmp/seqnn_rna_varlen}
THREADS=${THREADS:-2}
HELD_OUT=${HELD_OUT:-1000}
mkdir -p "$OUT"
zcat "$DATA" | awk 'NR == 1' > "$OUT/held_out.tsv"  # not head: SIGPIPE + pipefail
zcat "$DATA" | tail -n +2 | tail -n "$HELD_OUT" >> "$OUT/held_out.tsv"
awk -F'\t' 'NR > 1 {print ">" $1 "\n" $2}' "$OUT/held_out.tsv" > "$OUT/held_out.fa"
"$BUILD/seqnn" rna predict --model "$MODEL" --fasta "$OUT/held_out.fa" --truth "$OUT/held_out.tsv" \
  --out "$OUT/pred.tsv" --threads "$THREADS" ${PREDICT_ARGS:-}
"$BUILD/seqnn" rna eval --truth "$OUT/held_out.tsv" --pred "$OUT/pred.tsv" --boxes "$OUT/pred.boxes.tsv" --out "$OUT/scores.tsv"
